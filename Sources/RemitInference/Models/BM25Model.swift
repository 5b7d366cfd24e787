public import RemitCore

/// BM25 retrieval question answering over a lower-cased token index: the top-k documents by
/// BM25 (Robertson and Zaragoza 2009), the best sentence among them as an extractive answer,
/// and attribution by score share of the passages used (docs/PROTOCOL.md §10.4.2).
public struct BM25Model: Model {
    /// What the model was built from.
    public let manifest: ModelManifest
    /// The suffix-array index (lower-cased tokens).
    public let index: TextIndex
    /// Term-frequency saturation.
    public let k1: Double
    /// Length normalisation.
    public let b: Double
    private let averageLength: Double
    /// Bytes of index mapped (what a ``ModelHost`` budget counts).
    public var byteCount: Int { index.file.storage.byteCount }

    /// Wraps a loaded index; `k1` and `b` come from the manifest's params.
    public init(manifest: ModelManifest, index: TextIndex) throws(RemitError) {
        self.manifest = manifest
        self.index = index
        k1 = try ModelParams.double(manifest.params, "k1", default: 1.2)
        b = try ModelParams.double(manifest.params, "b", default: 0.75)
        let words = index.tokenCount - index.documentCount
        averageLength = index.documentCount == 0 ? 1 : Double(words) / Double(index.documentCount)
    }

    /// The default parameters.
    public static let defaultParams = ["k1": "1.2", "b": "0.75"]

    /// A query term: its id and inverse document frequency.
    struct Term {
        var id: UInt32
        var idf: Double
    }

    /// The distinct word terms of `text` found in the index, ascending by id, with their idf
    /// `ln(1 + (N − n + 0.5)/(n + 0.5))` and per-document term frequencies.
    func terms(of text: String) -> [(term: Term, frequencies: [(document: Int, tf: Int)])] {
        var ids = Set<UInt32>()
        index.tokenizer.forEachToken(in: text) { token in
            if Tokenizer.isWord(token), let id = index.tokenID(token) { ids.insert(id) }
        }
        let n = Double(index.documentCount)
        return ids.sorted().map { id in
            let range = index.range(of: [id])
            var documents = range.map { Int(index.documentArray[$0]) }
            documents.sort()
            var frequencies: [(Int, Int)] = []
            for d in documents {
                if frequencies.last?.0 == d { frequencies[frequencies.count - 1].1 += 1 } else { frequencies.append((d, 1)) }
            }
            let df = Double(frequencies.count)
            return (Term(id: id, idf: ExactMath.log(1 + (n - df + 0.5) / (df + 0.5))), frequencies)
        }
    }

    /// BM25 scores of every document holding a query term: per document the sum over terms in
    /// ascending id of `idf · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))`.
    public func scores(_ question: String) -> [(document: Int, score: Double)] {
        var scores: [Int: Double] = [:]
        for (term, frequencies) in terms(of: question) {
            for (d, tf) in frequencies {
                let dl = Double(Int(index.documentStarts[d + 1]) - Int(index.documentStarts[d]) - 1)
                let f = Double(tf)
                let part = term.idf * (f * (k1 + 1)) / (f + k1 * (1 - b + b * dl / averageLength))
                scores[d, default: 0] += part
            }
        }
        return scores.map { ($0.key, $0.value) }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.document < $1.document }
    }

    /// Answers a request of this model's family, with its attribution (docs/PROTOCOL.md §10.4).
    public func answer(_ request: ModelRequest) throws(RemitError) -> ModelAnswer {
        try check(request)
        guard case .question(let question, let topK) = request.input else { fatalError("checked above") }
        let ranked = Array(scores(question).prefix(Int(topK)))
        var explanation = Explanation()
        explanation.method = "bm25-score-share: passages credited by their share of the summed BM25 score of the passages used"
        guard !ranked.isEmpty else {
            return ModelAnswer(output: "", outputTokens: 0, coverageBps: 0, attribution: [], explanation: explanation)
        }
        let idf = Dictionary(uniqueKeysWithValues: terms(of: question).map { ($0.term.id, $0.term.idf) })
        var best: (score: Double, text: String)?
        for (d, _) in ranked {
            for sentence in Sentences.split(index.texts.string(d)) {
                var present = Set<UInt32>()
                index.tokenizer.forEachToken(in: sentence) { token in
                    if let id = index.tokenID(token), idf[id] != nil { present.insert(id) }
                }
                let score = present.sorted().reduce(0.0) { $0 + idf[$1]! }
                if score > (best?.score ?? 0) { best = (score, sentence) }
            }
        }
        var tally = AttributionTally()
        for (d, score) in ranked { tally.add(ExactMath.units(score, shift: 32), to: d) }
        let (entries, credits) = try tally.finish(index.documents)
        explanation.credits = credits
        explanation.passages = ranked.map {
            PassageScore(contribution: index.documents.contribution($0.document), label: index.documents.labels.string($0.document), score: $0.score)
        }
        let output = best?.text ?? ""
        var tokenCount = 0
        index.tokenizer.forEachToken(in: output) { _ in tokenCount += 1 }
        return ModelAnswer(output: output, outputTokens: UInt32(tokenCount), coverageBps: entries.isEmpty ? 0 : 10_000,
                           attribution: entries, explanation: explanation)
    }
}

/// Build parameters as strings in a manifest.
enum ModelParams {
    static func double(_ params: [String: String], _ key: String, default value: Double) throws(RemitError) -> Double {
        guard let text = params[key] else { return value }
        guard let v = Double(text), v.isFinite, v >= 0 else {
            throw RemitError(.modelInvalid, "model parameter \(key)=\(text) is not a finite non-negative number")
        }
        return v
    }

    static func int(_ params: [String: String], _ key: String, default value: Int, range: ClosedRange<Int>) throws(RemitError) -> Int {
        guard let text = params[key] else { return value }
        guard let v = Int(text), range.contains(v) else {
            throw RemitError(.modelInvalid, "model parameter \(key)=\(text) is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }
}
