public import RemitCore

/// A suffix-array index over tokenised documents (Infini-gram's data structure): counts any
/// n-gram in O(m log n), lists the documents holding it, and gives the next-token counts after
/// it. Loaded in place from an ``IndexFile`` (a memory map), so opening an index reads nothing.
///
/// Token ids: 0 is the document separator (one after every document, so n-grams never cross
/// documents); ids 1...V are the vocabulary in ascending byte order of their UTF-8.
public struct TextIndex: @unchecked Sendable {  // no lock: every pointer is into immutable IndexStorage kept alive by `file`
    /// The container the index reads from.
    public let file: IndexFile
    /// The tokenizer normalisation the index was built with.
    public let normalization: Tokenizer.Normalization
    /// All tokens, documents in order, each followed by a separator 0.
    public let tokens: UnsafeBufferPointer<UInt32>
    /// Suffix array over ``tokens``.
    public let suffixArray: UnsafeBufferPointer<UInt32>
    /// Token offset where each document starts, plus the total at the end (D + 1 values).
    public let documentStarts: UnsafeBufferPointer<UInt32>
    /// The document array: the document holding suffix ``suffixArray``[i], in suffix-array order,
    /// so the documents of any n-gram's range are one contiguous read.
    public let documentArray: UnsafeBufferPointer<UInt32>
    /// Token strings by id (entry 0, the separator, is empty).
    public let vocabulary: StringTable
    /// The documents' contributions and contributors.
    public let documents: DocumentTable
    /// Raw document texts (UTF-8), by document.
    public let texts: StringTable

    /// Number of tokens (separators included).
    public var tokenCount: Int { tokens.count }
    /// Number of documents.
    public var documentCount: Int { documentStarts.count - 1 }

    /// Reads an index container; checks section sizes against each other, not the suffix order.
    public init(file: IndexFile) throws(RemitError) {
        self.file = file
        let meta = try file.u32("TMET")
        guard meta.count == 1, let normalization = Tokenizer.Normalization(rawValue: UInt8(truncatingIfNeeded: meta[0])), meta[0] <= 1 else {
            throw RemitError(.indexInvalid, "index TMET section does not name a known tokenizer normalisation")
        }
        self.normalization = normalization
        tokens = try file.u32("TOKS")
        suffixArray = try file.u32("SUFA")
        documentStarts = try file.u32("DOCS")
        documentArray = try file.u32("DOCA")
        vocabulary = try file.strings(offsetsTag: "VOCO", bytesTag: "VOCB")
        documents = try DocumentTable(file)
        texts = try file.strings(offsetsTag: "TXTO", bytesTag: "TXTB")
        let n = tokens.count
        guard suffixArray.count == n, documentArray.count == n, documentStarts.count == documents.count + 1,
              texts.count == documents.count, documentStarts.last.map({ Int($0) == n }) == true, n == 0 || tokens[n - 1] == 0 else {
            throw RemitError(.indexInvalid, "index sections disagree: \(n) tokens, \(suffixArray.count) suffixes, \(documentArray.count) document marks, \(documents.count) documents")
        }
    }

    /// The tokenizer that produced the index's tokens.
    public var tokenizer: Tokenizer { Tokenizer(normalization: normalization) }

    /// The id of a token's bytes, or nil when the token is not in the vocabulary.
    public func tokenID(_ token: [UInt8]) -> UInt32? {
        var lo = 1
        var hi = vocabulary.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let entry = vocabulary[mid]
            if entry.lexicographicallyPrecedes(token) { lo = mid + 1 } else { hi = mid }
        }
        guard lo < vocabulary.count, vocabulary[lo].elementsEqual(token) else { return nil }
        return UInt32(lo)
    }

    /// Token ids of `text` under the index's tokenizer; a token outside the vocabulary becomes
    /// ``unknownToken``, which matches nothing.
    public func encode(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        tokenizer.forEachToken(in: text) { out.append(tokenID($0) ?? TextIndex.unknownToken) }
        return out
    }

    /// The id given to tokens outside the vocabulary: it occurs nowhere.
    public static let unknownToken = UInt32.max

    /// A token's text.
    public func tokenText(_ id: UInt32) -> String {
        id == TextIndex.unknownToken || Int(id) >= vocabulary.count ? "<unk>" : vocabulary.string(Int(id))
    }

    /// The suffix-array range of every suffix in `range` (all sharing a prefix of `depth` tokens)
    /// whose token at `depth` is `token`.
    public func narrow(_ range: Range<Int>, depth: Int, token: UInt32) -> Range<Int> {
        if range.isEmpty || token == TextIndex.unknownToken { return range.lowerBound..<range.lowerBound }
        let n = tokens.count
        @inline(__always) func at(_ i: Int) -> UInt32 {
            let p = Int(suffixArray[i]) + depth
            return p < n ? tokens[p] : 0
        }
        var lo = range.lowerBound
        var hi = range.upperBound
        while lo < hi {
            let mid = (lo + hi) >> 1
            if at(mid) < token { lo = mid + 1 } else { hi = mid }
        }
        let start = lo
        hi = range.upperBound
        while lo < hi {
            let mid = (lo + hi) >> 1
            if at(mid) <= token { lo = mid + 1 } else { hi = mid }
        }
        return start..<lo
    }

    /// The suffix-array range of the suffixes starting with `pattern` (empty when it never occurs).
    public func range(of pattern: some Collection<UInt32>) -> Range<Int> {
        var r = 0..<suffixArray.count
        var depth = 0
        for token in pattern {
            r = narrow(r, depth: depth, token: token)
            if r.isEmpty { return r }
            depth += 1
        }
        return r
    }

    /// How often `pattern` occurs (0 for an empty pattern's documents-only meaning: all tokens).
    public func count(_ pattern: some Collection<UInt32>) -> Int { range(of: pattern).count }

    /// The distinct documents holding `pattern`, ascending.
    public func documents(containing pattern: some Collection<UInt32>) -> [Int] {
        let r = range(of: pattern)
        var seen = Set<Int>()
        for i in r { seen.insert(Int(documentArray[i])) }
        return seen.sorted()
    }

    /// The next tokens after the suffixes in `range` (which share a prefix of `depth` tokens),
    /// as (token, sub-range) pairs in ascending token order; token 0 means the document ends.
    public func continuations(of range: Range<Int>, depth: Int) -> [(token: UInt32, range: Range<Int>)] {
        var out: [(token: UInt32, range: Range<Int>)] = []
        let n = tokens.count
        @inline(__always) func at(_ i: Int) -> UInt32 {
            let p = Int(suffixArray[i]) + depth
            return p < n ? tokens[p] : 0
        }
        var lo = range.lowerBound
        while lo < range.upperBound {
            let token = at(lo)
            // Gallop (1, 2, 4, ... past lo) to bracket the end of this token's block, then bisect.
            var known = lo
            var limit = range.upperBound
            var probe = 1
            while true {
                let candidate = lo + probe
                if candidate >= range.upperBound { break }
                if at(candidate) != token {
                    limit = candidate
                    break
                }
                known = candidate
                probe <<= 1
            }
            var a = known + 1
            var b = limit
            while a < b {
                let mid = (a + b) >> 1
                if at(mid) == token { a = mid + 1 } else { b = mid }
            }
            out.append((token: token, range: lo..<a))
            lo = a
        }
        return out
    }

    /// Document `d`'s tokens (without its separator).
    public func documentTokens(_ d: Int) -> UnsafeBufferPointer<UInt32> {
        let start = Int(documentStarts[d])
        let end = Int(documentStarts[d + 1]) - 1
        return UnsafeBufferPointer(rebasing: tokens[start..<end])
    }
}
