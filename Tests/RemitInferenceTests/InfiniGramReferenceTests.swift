import Foundation
import RemitCore
import RemitCrypto
import Testing
@testable import RemitInference

@Suite("infinigram against a naive reference")
struct InfiniGramReferenceTests {
    /// The rules of docs/PROTOCOL.md §10.4.1 written the slow way: every step searches the
    /// longest occurring suffix again and counts its documents from scratch; the explanation is
    /// built eagerly, token by token.
    static func reference(_ model: InfiniGramModel, prompt: String, maxTokens: Int, seed: UInt64?) throws -> ModelAnswer {
        let index = model.index
        var context = index.encode(prompt)
        var rng = seed.map { SplitMix64(seed: $0) }
        var tally = AttributionTally()
        var generated: [UInt32] = []
        var traces: [TokenTrace] = []
        var covered = 0
        while generated.count < maxTokens {
            var length = context.count
            while length > 0 && index.range(of: context[(context.count - length)...]).isEmpty { length -= 1 }
            let range = index.range(of: context[(context.count - length)...])
            var token: UInt32
            if rng != nil {
                let u = Int(rng!.uniform(below: UInt64(range.count)))
                let p = Int(index.suffixArray[range.lowerBound + u]) + length
                token = p < index.tokenCount ? index.tokens[p] : 0
            } else {
                var counts: [UInt32: Int] = [:]
                for i in range {
                    let p = Int(index.suffixArray[i]) + length
                    counts[p < index.tokenCount ? index.tokens[p] : 0, default: 0] += 1
                }
                token = counts.keys.min { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : $0 < $1 }!
            }
            if token == 0 { break }
            let extended = index.range(of: context[(context.count - length)...] + [token])
            var documents = 0
            if length > 0 && extended.count <= model.maxOccurrences {
                let occurrences = extended.map { Int(index.documentArray[$0]) }
                tally.distribute(InfiniGramModel.tokenUnits, occurrences: occurrences)
                documents = Set(occurrences).count
                covered += 1
            }
            traces.append(TokenTrace(token: index.tokenText(token), suffixLength: length, occurrences: extended.count, documents: documents))
            generated.append(token)
            context.append(token)
        }
        let (entries, credits) = try tally.finish(index.documents)
        var explanation = Explanation()
        explanation.tokens = traces
        explanation.method = "infinigram-suffix: each token credited to the documents holding the longest matched context suffix plus the token, by occurrence share (n-grams seen more than \(model.maxOccurrences) times credit nobody)"
        explanation.credits = credits
        return ModelAnswer(output: Tokenizer.detokenize(generated.map { index.tokenText($0) }), outputTokens: UInt32(generated.count),
                           coverageBps: entries.isEmpty ? 0 : AttributionTally.coverage(covered: covered, total: generated.count),
                           attribution: entries, explanation: explanation)
    }

    static func expectSame(_ answer: ModelAnswer, _ expected: ModelAnswer, _ what: String) {
        #expect(answer.output == expected.output, "\(what)")
        #expect(answer.outputTokens == expected.outputTokens, "\(what)")
        #expect(answer.attribution == expected.attribution, "\(what)")
        #expect(answer.coverageBps == expected.coverageBps, "\(what)")
        #expect(answer.explanation == expected.explanation, "\(what)")
        #expect(answer == expected, "\(what)")
    }

    @Test("optimised generation, attribution and explanation equal the naive reference on a repetitive seeded corpus")
    func matchesReference() throws {
        var rng = SplitMix64(seed: 2026)
        let phrases = ["the cat sat", "on the mat", "the dog ran", "to the park", "and then", "it rained", "all day"]
        let texts = (0..<60).map { i in
            (0..<(3 + Int(rng.uniform(below: 8)))).map { _ in phrases[Int(rng.uniform(below: UInt64(phrases.count)))] }.joined(separator: " ") + " \(i % 7)."
        }
        let snapshot = Fixture.snapshot(texts)
        // 3 and 40 keep ranges small (plain sorts); 256 credits ranges of hundreds (radix sorts).
        for maxOccurrences in ["3", "40", "256"] {
            let manifest = try ModelFactory.manifest(kind: .infinigram, name: "ref", snapshots: [snapshot], params: ["maxOccurrences": maxOccurrences])
            let model = try ModelFactory.buildInMemory(manifest, snapshots: [snapshot]) as! InfiniGramModel
            for (i, prompt) in ["the", "the cat", "on the", "and then it", "zebra the dog", ""].enumerated() {
                for seed in [nil, UInt64(i), UInt64(100 + i)] as [UInt64?] {
                    let answer = try model.answer(.generate(prompt: prompt, maxTokens: 40, sampling: seed.map { .seeded($0) } ?? .greedy))
                    let expected = try InfiniGramReferenceTests.reference(model, prompt: prompt, maxTokens: 40, seed: seed)
                    InfiniGramReferenceTests.expectSame(answer, expected, "maxOccurrences \(maxOccurrences) prompt \(prompt) seed \(String(describing: seed))")
                }
            }
        }
    }

    @Test("an n-gram credited with more than 65,536 occurrences (dense document numbering) equals the reference")
    func veryCommonNGram() throws {
        // 700 documents of 100 "x y" pairs: "x y" occurs 70,000 times, in every document.
        let texts = (0..<700).map { i in String(repeating: "x y ", count: 100) + "end \(i % 5)" }
        let snapshot = Fixture.snapshot(texts)
        let manifest = try ModelFactory.manifest(kind: .infinigram, name: "common", snapshots: [snapshot], params: ["maxOccurrences": "1000000"])
        let model = try ModelFactory.buildInMemory(manifest, snapshots: [snapshot]) as! InfiniGramModel
        for seed in [nil, UInt64(3)] as [UInt64?] {
            let answer = try model.answer(.generate(prompt: "x", maxTokens: 6, sampling: seed.map { .seeded($0) } ?? .greedy))
            let expected = try InfiniGramReferenceTests.reference(model, prompt: "x", maxTokens: 6, seed: seed)
            #expect(answer.explanation.tokens.first?.occurrences ?? 0 > 65_536)
            InfiniGramReferenceTests.expectSame(answer, expected, "seed \(String(describing: seed))")
        }
    }

    @Test("the document sort of an answer's first n-gram equals a plain sort for every key count and table size (seeded)")
    func documentSort() {
        var rng = SplitMix64(seed: 21)
        var other: [UInt64] = []
        // Key counts on both sides of the plain-sort and 6/8-bit digit thresholds; tables from 1 to 2^20 documents.
        for n in [0, 1, 31, 32, 47, 95, 96, 97, 255, 256, 1_000, 1_023, 1_024, 5_000] {
            for documentCount in [1, 2, 64, 65, 255, 256, 55_000, 65_536, 65_537, 1 << 20] {
                var keys = (0..<n).map { UInt64(rng.uniform(below: UInt64(documentCount))) << 32 | UInt64($0) }
                let expected = keys.sorted()
                NestedRangeCredits.sortByDocument(&keys, using: &other, documentCount: documentCount)
                #expect(keys == expected, "\(n) keys, \(documentCount) documents")
            }
        }
        // Documents bunched in a corner of a large table share the first digit: the bucketed
        // insertion sort gives up and the radix sort finishes, with the same order.
        for n in [40, 200, 1_000] {
            for spread in [1, 7, 300] {
                var keys = (0..<n).map { UInt64(rng.uniform(below: UInt64(spread))) << 32 | UInt64($0) }
                let expected = keys.sorted()
                NestedRangeCredits.sortByDocument(&keys, using: &other, documentCount: 1 << 20)
                #expect(keys == expected, "\(n) keys over \(spread) documents")
            }
        }
    }

    @Test("an answer whose explanation is built on first read encodes, decodes and compares like one built eagerly")
    func deferredExplanation() throws {
        let model = try Fixture.model(.infinigram) as! InfiniGramModel
        let answer = try model.answer(.generate(prompt: "The quick", maxTokens: 8, sampling: .seeded(5)))
        let expected = try InfiniGramReferenceTests.reference(model, prompt: "The quick", maxTokens: 8, seed: 5)
        #expect(MessageJSON.encode(answer) == MessageJSON.encode(expected))
        let decoded = try MessageJSON.decode(ModelAnswer.self, from: MessageJSON.encode(answer))
        #expect(decoded == answer)
        #expect(Set([answer, expected, decoded]).count == 1)
        // Without attribution nobody is credited, and the explanation says only how.
        let plain = try model.generate(prompt: "The quick", maxTokens: 8, sampling: .seeded(5), attribute: false)
        #expect(plain.output == answer.output && plain.attribution.isEmpty && plain.coverageBps == 0)
        #expect(plain.explanation.tokens.isEmpty && plain.explanation.credits.isEmpty && plain.explanation.method == answer.explanation.method)
        var edited = answer
        edited.explanation.method = "changed"
        #expect(edited.explanation.method == "changed" && answer.explanation.method != "changed")
    }
}
