public import RemitCore

/// Verbatim span tracing in the manner of OLMoTrace (Liu et al. 2025): finds the maximal spans of
/// any text (an external model's answer, say) that occur verbatim in the datanet, and credits
/// the documents holding them (docs/PROTOCOL.md §10.4.4).
///
/// For each token position i of the text, ℓ_i is the length of the longest token sequence
/// starting at i that occurs in the index. Span [i, i + ℓ_i) is maximal when its end is beyond
/// every earlier span's end; a maximal span is kept when ℓ_i ≥ minTokens and it holds at least
/// one word token and occurs at most `maxOccurrences` times in the datanet (more common spans are
/// generic language). Each kept span carries `length × 1_000_000` units, split among the documents
/// holding it by occurrence count. Coverage is the share of the text's tokens inside kept spans.
public struct SpanTraceModel: Model {
    /// What the model was built from.
    public let manifest: ModelManifest
    /// The suffix-array index (case-preserving tokens).
    public let index: TextIndex
    /// Bytes of index mapped (what a ``ModelHost`` budget counts).
    public var byteCount: Int { index.file.storage.byteCount }
    /// Most occurrences a span may have to be credited (param `maxOccurrences`).
    public let maxOccurrences: Int

    /// The default parameters.
    public static let defaultParams = ["maxOccurrences": "256"]

    /// Wraps a loaded index; `maxOccurrences` comes from the manifest's params.
    public init(manifest: ModelManifest, index: TextIndex) throws(RemitError) {
        self.manifest = manifest
        self.index = index
        maxOccurrences = try ModelParams.int(manifest.params, "maxOccurrences", default: 256, range: 1...1_000_000)
    }

    /// The maximal spans of `tokens` of at least `minTokens` tokens that occur at most
    /// ``maxOccurrences`` times: (start, length, suffix-array range).
    public func spans(_ tokens: [UInt32], minTokens: Int) -> [(start: Int, length: Int, range: Range<Int>)] {
        var out: [(Int, Int, Range<Int>)] = []
        var previousEnd = 0
        var length = 0
        for i in tokens.indices {
            // ℓ_i ≥ ℓ_{i-1} − 1: start from there and extend one token at a time.
            length = max(0, length - 1)
            var range = index.range(of: tokens[i..<(i + length)])
            while i + length < tokens.count {
                let narrowed = index.narrow(range, depth: length, token: tokens[i + length])
                if narrowed.isEmpty { break }
                range = narrowed
                length += 1
            }
            if i + length > previousEnd, length >= minTokens, range.count <= maxOccurrences,
               tokens[i..<(i + length)].contains(where: { Tokenizer.isWord(Array(index.vocabulary[Int($0)])) }) {
                out.append((i, length, range))
            }
            previousEnd = max(previousEnd, i + length)
        }
        return out
    }

    /// Answers a request of this model's family, with its attribution (docs/PROTOCOL.md §10.4).
    public func answer(_ request: ModelRequest) throws(RemitError) -> ModelAnswer {
        try check(request)
        guard case .trace(let text, let minTokens) = request.input else { fatalError("checked above") }
        let tokens = index.encode(text)
        let found = spans(tokens, minTokens: Int(minTokens))
        var tally = AttributionTally()
        var covered = [Bool](repeating: false, count: tokens.count)
        var traced: [TracedSpan] = []
        for (start, length, range) in found {
            let occurrences = range.map { Int(index.documentArray[$0]) }
            tally.distribute(UInt64(length) * 1_000_000, occurrences: occurrences)
            for p in start..<(start + length) { covered[p] = true }
            let documents = Array(Set(occurrences)).sorted().prefix(16)
            traced.append(TracedSpan(start: start, length: length, text: Tokenizer.detokenize(tokens[start..<(start + length)].map { index.tokenText($0) }),
                                     occurrences: range.count, contributions: documents.map { index.documents.contribution($0) }))
        }
        let (entries, credits) = try tally.finish(index.documents)
        var explanation = Explanation()
        explanation.credits = credits
        explanation.spans = traced
        explanation.method = "span-trace: maximal verbatim spans of at least \(minTokens) tokens, credited by span length and occurrence share"
        let coverage = entries.isEmpty ? 0 : AttributionTally.coverage(covered: covered.filter { $0 }.count, total: tokens.count)
        return ModelAnswer(output: text, outputTokens: UInt32(tokens.count), coverageBps: coverage, attribution: entries, explanation: explanation)
    }
}
