public import RemitCore

/// Builds a ``TextIndex`` container: tokenises the documents, numbers the vocabulary in ascending
/// byte order, concatenates the documents with a separator after each, and sorts the suffixes
/// with SA-IS. The output depends only on the documents (in the order given) and the tokenizer.
public enum TextIndexBuilder {
    /// Progress reports: (documents done, documents total).
    public typealias Progress = @Sendable (Int, Int) -> Void

    /// The container bytes of the index over `documents` (text contributions, in model order).
    public static func build(
        _ documents: [CorpusDocument], normalization: Tokenizer.Normalization, progress: Progress? = nil
    ) throws(RemitError) -> [UInt8] {
        let tokenizer = Tokenizer(normalization: normalization)
        var provisional: [[UInt8]: UInt32] = [:]
        var provisionalBytes: [[UInt8]] = []
        var encoded: [[UInt32]] = []
        encoded.reserveCapacity(documents.count)
        for (i, document) in documents.enumerated() {
            var ids: [UInt32] = []
            tokenizer.forEachToken(in: String(decoding: document.content, as: UTF8.self)) { token in
                if let id = provisional[token] {
                    ids.append(id)
                } else {
                    let id = UInt32(provisionalBytes.count)
                    provisional[token] = id
                    provisionalBytes.append(token)
                    ids.append(id)
                }
            }
            encoded.append(ids)
            if let progress, i % 1024 == 0 { progress(i, documents.count) }
        }
        // Final ids: 1... in ascending byte order.
        let order = provisionalBytes.indices.sorted { provisionalBytes[$0].lexicographicallyPrecedes(provisionalBytes[$1]) }
        var remap = [UInt32](repeating: 0, count: provisionalBytes.count)
        for (rank, old) in order.enumerated() { remap[old] = UInt32(rank + 1) }
        let vocabulary = [[]] + order.map { provisionalBytes[$0] }
        let documentTokens = encoded.map { $0.map { remap[Int($0)] } }
        progress?(documents.count, documents.count)
        return try build(tokenized: documentTokens, vocabulary: vocabulary, documents: documents, normalization: normalization)
    }

    /// The container bytes from documents already turned into token ids (`1..<vocabulary.count`,
    /// `vocabulary[0]` empty and the rest in ascending byte order).
    public static func build(
        tokenized: [[UInt32]], vocabulary: [[UInt8]], documents: [CorpusDocument], normalization: Tokenizer.Normalization
    ) throws(RemitError) -> [UInt8] {
        precondition(tokenized.count == documents.count, "one token list per document")
        let total = tokenized.reduce(0) { $0 + $1.count + 1 }
        guard total < Int(Int32.max) - 2 else {
            throw RemitError(.indexTooLarge, "corpus of \(total) tokens is larger than the index format's limit of \(Int32.max - 3)")
        }
        var tokens: [UInt32] = []
        tokens.reserveCapacity(total)
        var starts: [UInt32] = []
        starts.reserveCapacity(tokenized.count + 1)
        var documentOf = [UInt32](repeating: 0, count: total)
        for (d, ids) in tokenized.enumerated() {
            starts.append(UInt32(tokens.count))
            let from = tokens.count
            tokens += ids
            tokens.append(0)
            for p in from..<tokens.count { documentOf[p] = UInt32(d) }
        }
        starts.append(UInt32(tokens.count))
        let suffixArray = SuffixArray.build(tokens, alphabetSize: vocabulary.count)

        var writer = IndexFile.Writer()
        writer.add("TMET", u32: [UInt32(normalization.rawValue)])
        writer.add("TOKS", u32: tokens)
        writer.add("SUFA", u32: suffixArray)
        writer.add("DOCS", u32: starts)
        writer.add("DOCA", u32: suffixArray.map { documentOf[Int($0)] })
        writer.add(strings: vocabulary, offsetsTag: "VOCO", bytesTag: "VOCB")
        DocumentTable.write(documents, into: &writer)
        writer.add(strings: documents.map(\.content), offsetsTag: "TXTO", bytesTag: "TXTB")
        return writer.bytes()
    }
}
