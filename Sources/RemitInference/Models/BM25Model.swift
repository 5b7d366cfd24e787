public import RemitCore
import Synchronization

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
    private let postings = PostingsCache()
    private let sentences = SentenceCache()
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
    func terms(of text: String) -> [(term: Term, frequencies: Postings)] {
        var ids = Set<UInt32>()
        index.tokenizer.forEachToken(in: text) { token in
            if Tokenizer.isWord(token), let id = index.tokenID(token) { ids.insert(id) }
        }
        let n = Double(index.documentCount)
        return ids.sorted().map { id in
            let frequencies = postings.postings(of: id) { () -> Postings in
                let range = index.range(of: [id])
                var documents = range.map { Int(index.documentArray[$0]) }
                documents.sort()
                var frequencies: Postings = []
                for d in documents {
                    if frequencies.last?.document == d { frequencies[frequencies.count - 1].tf += 1 } else { frequencies.append((d, 1)) }
                }
                return frequencies
            }
            let df = Double(frequencies.count)
            return (Term(id: id, idf: ExactMath.log(1 + (n - df + 0.5) / (df + 0.5))), frequencies)
        }
    }

    /// BM25 scores of every document holding a query term: per document the sum over terms in
    /// ascending id of `idf · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))`.
    public func scores(_ question: String) -> [(document: Int, score: Double)] {
        ranked(terms(of: question), limit: nil)
    }

    /// The scores of `terms`, best first (ties to the smaller document), at most `limit` of them.
    func ranked(_ terms: [(term: Term, frequencies: Postings)], limit: Int?) -> [(document: Int, score: Double)] {
        // Per document, the sum over terms in ascending id (the same order either way below).
        var scores: [(document: Int, score: Double)] = []
        func part(_ term: Term, _ d: Int, _ tf: Int) -> Double {
            let dl = Double(Int(index.documentStarts[d + 1]) - Int(index.documentStarts[d]) - 1)
            let f = Double(tf)
            return term.idf * (f * (k1 + 1)) / (f + k1 * (1 - b + b * dl / averageLength))
        }
        if index.documentCount <= 1 << 16 {
            // Small datanets: a dense accumulator (no hashing), documents touched listed once.
            var dense = [Double](repeating: 0, count: index.documentCount)
            var seen = [Bool](repeating: false, count: index.documentCount)
            var touched: [Int] = []
            for (term, frequencies) in terms {
                for (d, tf) in frequencies {
                    if !seen[d] {
                        seen[d] = true
                        touched.append(d)
                    }
                    dense[d] += part(term, d, tf)
                }
            }
            scores = touched.map { ($0, dense[$0]) }
        } else {
            var table: [Int: Double] = [:]
            for (term, frequencies) in terms {
                for (d, tf) in frequencies { table[d, default: 0] += part(term, d, tf) }
            }
            scores = table.map { ($0.key, $0.value) }
        }
        func better(_ a: (document: Int, score: Double), _ b: (document: Int, score: Double)) -> Bool {
            a.score != b.score ? a.score > b.score : a.document < b.document
        }
        guard let limit, limit < scores.count else { return scores.sorted(by: better) }
        // Keep the best `limit` in a small sorted buffer: one pass instead of sorting every match.
        var best: [(document: Int, score: Double)] = []
        best.reserveCapacity(limit + 1)
        for item in scores {
            if best.count == limit, let last = best.last, !better(item, last) { continue }
            let at = best.firstIndex { better(item, $0) } ?? best.count
            best.insert(item, at: at)
            if best.count > limit { best.removeLast() }
        }
        return best
    }

    /// Answers a request of this model's family, with its attribution (docs/PROTOCOL.md §10.4).
    public func answer(_ request: ModelRequest) throws(RemitError) -> ModelAnswer {
        try check(request)
        guard case .question(let question, let topK) = request.input else { fatalError("checked above") }
        let terms = self.terms(of: question)
        let ranked = self.ranked(terms, limit: Int(topK))
        var explanation = Explanation()
        explanation.method = "bm25-score-share: passages credited by their share of the summed BM25 score of the passages used"
        guard !ranked.isEmpty else {
            return ModelAnswer(output: "", outputTokens: 0, coverageBps: 0, attribution: [], explanation: explanation)
        }
        let idf = Dictionary(uniqueKeysWithValues: terms.map { ($0.term.id, $0.term.idf) })
        var best: (score: Double, text: String)?
        for (d, _) in ranked {
            for sentence in sentences.sentences(of: d, compute: { indexedSentences(of: d) }) {
                // The idf of the question's terms present in the sentence, summed in ascending id.
                var score = 0.0
                for id in sentence.ids { if let weight = idf[id] { score += weight } }
                if score > (best?.score ?? 0) { best = (score, sentence.text) }
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

extension BM25Model {
    /// Document `d`'s sentences (``Sentences/split(_:)``), each with the distinct ids of its
    /// tokens found in the index, ascending.
    func indexedSentences(of d: Int) -> [IndexedSentence] {
        Sentences.split(index.texts.string(d)).map { sentence in
            var ids = Set<UInt32>()
            index.tokenizer.forEachToken(in: sentence) { token in
                if let id = index.tokenID(token) { ids.insert(id) }
            }
            return IndexedSentence(text: sentence, ids: ids.sorted())
        }
    }
}

/// A sentence of a document with the distinct index ids of its tokens, ascending.
struct IndexedSentence: Sendable {
    var text: String
    var ids: [UInt32]
}

/// Documents' sentences split and tokenized once and kept for the model's lifetime (a
/// document never changes: the index is immutable). The answer's best sentence is chosen among
/// the top documents' sentences, and the same documents come back for many questions.
final class SentenceCache: Sendable {
    private let table = Mutex<[Int: [IndexedSentence]]>([:])

    func sentences(of document: Int, compute: () -> [IndexedSentence]) -> [IndexedSentence] {
        if let known = table.withLock({ $0[document] }) { return known }
        let made = compute()
        table.withLock { $0[document] = made }
        return made
    }
}

/// A term's documents, ascending, with the term's frequency in each.
typealias Postings = [(document: Int, tf: Int)]

/// Postings computed from the suffix array once per term and kept for the model's lifetime
/// (a term's postings never change: the index is immutable).
final class PostingsCache: Sendable {
    private let table = Mutex<[UInt32: Postings]>([:])

    func postings(of term: UInt32, compute: () -> Postings) -> Postings {
        if let known = table.withLock({ $0[term] }) { return known }
        let made = compute()
        table.withLock { $0[term] = made }
        return made
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
