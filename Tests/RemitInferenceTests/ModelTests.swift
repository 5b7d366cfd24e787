import Foundation
import RemitCore
import RemitCrypto
import Testing
@testable import RemitInference

@Suite("deterministic models and their attribution")
struct ModelTests {
    static func checkReceiptRules(_ answer: ModelAnswer) throws {
        let receipt = Receipt(ledger: DatanetKeys.localLedger, channel: ChannelID(.zero), sequence: 1, requestDigest: .zero,
                              responseDigest: answer.responseDigest, model: ModelID(.zero), modelVersion: .zero, listingSequence: 0,
                              price: .zero, outputTokens: answer.outputTokens, coverageBps: answer.coverageBps, attribution: answer.attribution)
        try receipt.validate()
    }

    @Test("infinigram greedy continues the longest matched suffix and credits the documents holding it")
    func infinigramGreedy() throws {
        let model = try Fixture.model(.infinigram)
        let answer = try model.answer(.generate(prompt: "Talk is", maxTokens: 10))
        #expect(answer.output == "cheap. Show me the code.")
        #expect(answer.outputTokens == 7)
        try ModelTests.checkReceiptRules(answer)
        // "Talk is cheap" only occurs in quote 3, so it is the main credit.
        let quote3 = Fixture.documents(Fixture.quotes)[3].contribution
        #expect(answer.explanation.credits.first?.contribution == quote3)
        #expect(answer.coverageBps == 10_000)
        #expect(answer.explanation.tokens.first?.suffixLength == 2)
    }

    @Test("the ∞-gram distribution backs off to the longest suffix that occurs")
    func backoff() throws {
        let model = try Fixture.model(.infinigram) as! InfiniGramModel
        let context = model.index.encode("zebra quick brown")
        #expect(model.longestSuffix(of: context) == 2)
        var rng: SplitMix64? = nil
        let step = model.next(after: context, suffixLength: 2, rng: &rng)
        // "quick brown" is followed by fox (×2) and cat (×1): greedy takes fox.
        #expect(model.index.tokenText(step.token) == "fox")
        #expect(step.range.count == 2)
    }

    @Test("seeded sampling replays exactly and different seeds can differ")
    func seeded() throws {
        let model = try Fixture.model(.infinigram)
        let a = try model.answer(.generate(prompt: "The", maxTokens: 12, sampling: .seeded(42)))
        let b = try model.answer(.generate(prompt: "The", maxTokens: 12, sampling: .seeded(42)))
        #expect(a == b)
        let outputs = Set(try (0..<20).map { try model.answer(.generate(prompt: "The", maxTokens: 12, sampling: .seeded(UInt64($0)))).output })
        #expect(outputs.count > 1)
        try ModelTests.checkReceiptRules(a)
    }

    @Test("bm25 ranks the passage sharing rare terms first and answers with its best sentence")
    func bm25() throws {
        let model = try Fixture.model(.bm25)
        let answer = try model.answer(.question("show me the code", topK: 2))
        #expect(answer.output == "Show me the code.")
        #expect(answer.explanation.passages.count == 2)
        #expect(answer.explanation.passages[0].contribution == Fixture.documents(Fixture.quotes)[3].contribution)
        #expect(answer.explanation.passages[0].score > answer.explanation.passages[1].score)
        #expect(answer.coverageBps == 10_000)
        #expect(answer.attribution.count == 2)
        // Score share: the first passage's weight is its share of the two scores.
        let share = answer.explanation.passages[0].score / (answer.explanation.passages[0].score + answer.explanation.passages[1].score)
        let first = answer.attribution.first { $0.contribution == answer.explanation.passages[0].contribution }!
        #expect(abs(Double(first.weightBps) - share * 10_000) <= 1)
        try ModelTests.checkReceiptRules(answer)
        let none = try model.answer(.question("xylophone", topK: 3))
        #expect(none.attribution.isEmpty && none.coverageBps == 0)
    }

    @Test("span tracing finds maximal verbatim spans and credits their documents")
    func spanTrace() throws {
        let model = try Fixture.model(.spanTrace)
        let answer = try model.answer(.trace("As they say, Talk is cheap. Show me the code, please!", minTokens: 3))
        #expect(answer.explanation.spans.map(\.text) == ["Talk is cheap. Show me the code"])
        #expect(answer.attribution.map(\.contribution) == [Fixture.documents(Fixture.quotes)[3].contribution])
        #expect(answer.attribution.first?.weightBps == 10_000)
        // 8 of the 15 tokens are covered.
        #expect(answer.outputTokens == 15)
        #expect(answer.coverageBps == 8 * 10_000 / 15)
        let nothing = try model.answer(.trace("entirely novel words here", minTokens: 2))
        #expect(nothing.attribution.isEmpty && nothing.coverageBps == 0)
    }

    static let rows = ["0.0,0.0,red", "0.1,0.0,red", "0.0,0.2,red", "5.0,5.0,blue", "5.1,4.9,blue", "4.8,5.2,blue", "2.6,2.4,blue"]

    static func knn(_ kind: ModelKind, rows: [String], k: Int, features: [String] = ["x", "y"]) throws -> any Model {
        let snap = Fixture.snapshot(rows, kind: .row, schema: RowSchema(features: features, target: "t"))
        let manifest = try ModelFactory.manifest(kind: kind, name: "knn", snapshots: [snap], params: ["k": "\(k)"])
        return try ModelFactory.buildInMemory(manifest, snapshots: [snap])
    }

    @Test("knn-classify predicts the majority class and credits exactly the rows with positive Shapley value")
    func knnClassify() throws {
        let model = try ModelTests.knn(.knnClassify, rows: ModelTests.rows, k: 3) as! KNNModel
        let answer = try model.answer(.features([0.2, 0.1]))
        #expect(answer.output == "red")
        try ModelTests.checkReceiptRules(answer)
        let evaluation = try model.evaluate([0.2, 0.1])
        let positive = Set(evaluation.ranking.indices.filter { evaluation.values[$0] > 0 }.map { model.rows.documents.contribution(evaluation.ranking[$0]) })
        #expect(Set(answer.attribution.map(\.contribution)) == positive)
        #expect(positive.count == 3)
        #expect(answer.coverageBps > 0 && answer.coverageBps <= 10_000)
        #expect(throws: RemitError.self) { try model.answer(.features([1, 2, 3])) }
    }

    @Test("knn-regress predicts the mean of the k nearest targets")
    func knnRegress() throws {
        let rows = ["0.0,1.0", "1.0,2.0", "2.0,3.0", "10.0,50.0"]
        let model = try ModelTests.knn(.knnRegress, rows: rows, k: 2, features: ["x"])
        let answer = try model.answer(.features([0.4]))
        #expect(answer.output == "1.5")
        try ModelTests.checkReceiptRules(answer)
    }

    @Test("per-contributor weights are the sums of their contributions' weights and total exactly 10000")
    func contributorWeights() throws {
        let model = try Fixture.model(.spanTrace)
        let answer = try model.answer(.trace("The quick brown fox jumps over the lazy dog. Talk is cheap. Show me the code.", minTokens: 3))
        let weights = answer.contributorWeights
        #expect(answer.attribution.count >= 2)
        #expect(weights.map { Int($0.weightBps) }.reduce(0, +) == 10_000)
        for w in weights {
            let own = answer.attribution.filter { $0.contributor == w.contributor }
            #expect(Int(w.weightBps) == own.map { Int($0.weightBps) }.reduce(0, +))
            #expect(w.contributions == own.count)
        }
        #expect(weights == weights.sorted { $0.weightBps != $1.weightBps ? $0.weightBps > $1.weightBps : $0.contributor < $1.contributor })
    }

    @Test("a request of the wrong family is refused with model.bad_request")
    func wrongKind() throws {
        let model = try Fixture.model(.bm25)
        do {
            _ = try model.answer(.generate(prompt: "x", maxTokens: 1))
            Issue.record("accepted")
        } catch {
            #expect(error.code == .modelBadRequest)
        }
    }

    @Test("request canonical bytes round-trip and digest; JSON round-trips")
    func requestBytes() throws {
        let requests: [ModelRequest] = [
            .generate(prompt: "Talk is", maxTokens: 8, sampling: .seeded(9)), .generate(prompt: "", maxTokens: 1),
            .question("who?", topK: 3), .features([1.5, -0.25, 1e-300]), .trace("some text", minTokens: 4),
        ]
        for request in requests {
            #expect(try ModelRequest(canonicalBytes: request.canonicalBytes) == request)
            #expect(request.digest == BLAKE2b.hash(request.canonicalBytes))
            #expect(try MessageJSON.decode(ModelRequest.self, from: MessageJSON.encode(request)) == request)
        }
        #expect(throws: RemitError.self) { try ModelRequest.generate(prompt: "x", maxTokens: 0).validate() }
        #expect(throws: RemitError.self) { try ModelRequest.features([.nan]).validate() }
    }

    @Test("ExactMath.log is within 2 ulp of the platform log on a seeded sample")
    func exactLog() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<2_000 {
            let x = Double(sign: .plus, exponent: Int(rng.uniform(below: 60)) - 30, significand: 1 + rng.nextUnit())
            let ours = ExactMath.log(x)
            let reference = Foundation.log(x)
            #expect(abs(ours - reference) <= 2 * max(reference.ulp, Double.leastNormalMagnitude), "x \(x)")
        }
    }
}
