public import RemitCore
import RemitCrypto

/// The test vectors of docs/PROTOCOL.md §10.9: tokenizer outputs, canonical bytes and digests
/// of requests, responses and manifests, custodial keys, apportionment, and a tiny corpus with
/// its index, answers and attribution for every model kind. A test checks that the document holds
/// exactly this text; `remit protocol inference-vectors` prints it.
public enum InferenceVectors {
    static func key(_ byte: UInt8) -> SigningKey { try! SigningKey(seed: [UInt8](repeating: byte, count: 32)) }

    /// The vectors' datanet: curator `05`×32, name `vectors`.
    public static var datanet: DatanetID { DatanetID.derive(curator: key(0x05).publicKey, name: "vectors") }

    /// The tiny text corpus: three documents by contributors `04`×32, `06`×32, `04`×32.
    public static let texts = ["The cat sat on the mat.", "The cat ate the rat.", "A dog sat on the log."]

    /// The tiny corpus as a snapshot.
    public static var textSnapshot: DatanetSnapshot {
        let contributors: [UInt8] = [0x04, 0x06, 0x04]
        let documents = zip(texts, contributors).map { text, c in
            CorpusDocument(contribution: ContributionID.derive(datanet: datanet, content: BLAKE2b.hash(Array(text.utf8))),
                           contributor: key(c).publicKey, label: "author \(c)", content: Array(text.utf8))
        }
        return DatanetSnapshot(datanet: datanet, version: MerkleTree.root(of: documents.map(\.contribution.digest).sorted()),
                               name: "vectors", documents: documents, schema: nil)
    }

    /// The tiny row corpus: x, y → class.
    public static let rows = ["0.0,0.0,red", "1.0,0.0,red", "0.0,1.0,blue", "3.0,3.0,blue"]

    /// The tiny rows as a snapshot.
    public static var rowSnapshot: DatanetSnapshot {
        let documents = rows.map { row in
            CorpusDocument(contribution: ContributionID.derive(datanet: datanet, content: BLAKE2b.hash(Array(row.utf8))),
                           contributor: key(0x04).publicKey, label: "row", kind: .row, content: Array(row.utf8))
        }
        return DatanetSnapshot(datanet: datanet, version: MerkleTree.root(of: documents.map(\.contribution.digest).sorted()),
                               name: "vectors", documents: documents, schema: RowSchema(features: ["x", "y"], target: "class"))
    }

    static func hexBlock(_ bytes: [UInt8]) -> String {
        let hex = Array(Hex.encode(bytes))
        return stride(from: 0, to: hex.count, by: 64).map { String(hex[$0..<min($0 + 64, hex.count)]) }.joined(separator: "\n")
    }

    static func quoted(_ tokens: [String]) -> String { tokens.map { "`\($0)`" }.joined(separator: " ") }

    static func attributionLines(_ answer: ModelAnswer) -> String {
        answer.attribution.map { "  - `\($0.contribution)` by `\($0.contributor)`: \($0.weightBps) bps" }.joined(separator: "\n")
    }

    /// The Markdown between the inference vector markers of docs/PROTOCOL.md.
    public static func markdown() -> String {
        var out = "#### Tokenizer\n\n"
        let sample = "Don't panic: it's 42\u{2026} caf\u{E9} (naïve)!"
        out += "- `remit-words-v1`, case kept, of `\(sample)`: \(quoted(Tokenizer().tokenize(sample)))\n"
        out += "- lower-cased: \(quoted(Tokenizer(normalization: .lowercase).tokenize(sample)))\n"
        out += "- sentences of `One.  Two! 3.5 is a number?⏎⏎Four⏎ lines`: \(Sentences.split("One.  Two! 3.5 is a number?\n\nFour\n lines").map { "`\($0)`" }.joined(separator: ", "))\n"

        out += "\n#### Identifiers, keys and arithmetic\n\n"
        out += "- local ledger id: `\(DatanetKeys.localLedger)`\n"
        out += "- datanet id (curator `05`×32, name `vectors`): `\(datanet)`\n"
        let custodian = Custodian(key: key(0x21))
        out += "- custodial key of `Mark Twain` under custodian seed `21`×32: public key `\(custodian.contributorKey(for: "Mark Twain").publicKey)`; of `community`: `\(custodian.contributorKey(for: Custodian.community).publicKey)`\n"
        out += "- apportionment: 10000 by [1, 1, 1] = \(Apportionment.split(10_000, by: [1, 1, 1])); 10000 by [2, 1] = \(Apportionment.split(10_000, by: [2, 1])); 3 by [1, 1, 1, 1] = \(Apportionment.split(3, by: [1, 1, 1, 1])); 1000000 by [5, 3, 3] = \(Apportionment.split(1_000_000, by: [5, 3, 3]))\n"
        var rng = SplitMix64(seed: 42)
        out += "- SplitMix64 seed 42, first three outputs: \((0..<3).map { _ in String(rng.next(), radix: 16) }.map { "`0x\($0)`" }.joined(separator: ", ")); `uniform(below: 10)` from seed 7: \({ var r = SplitMix64(seed: 7); return (0..<8).map { _ in r.uniform(below: 10) } }())\n"
        out += "- ln: ExactMath.log(2) bits `\(String(ExactMath.log(2).bitPattern, radix: 16))`, ExactMath.log(10) bits `\(String(ExactMath.log(10).bitPattern, radix: 16))`, ExactMath.log(1 + 2.5/3.5) bits `\(String(ExactMath.log(1 + 2.5 / 3.5).bitPattern, radix: 16))`\n"

        out += "\n#### Datanet log seal\n\n"
        let text = Array(texts[0].utf8)
        let contribution = Contribution(ledger: DatanetKeys.localLedger, datanet: datanet, contributor: key(0x04).publicKey, contentDigest: BLAKE2b.hash(text),
                                        kind: .text, size: UInt64(text.count), label: "author 4", createdAt: 1_700_000_000)
        let line = Signed(signing: contribution, with: key(0x04)).jsonBytes(pretty: false)
        let start = LogSeal.start(datanet)
        out += "- chain start of the vectors datanet: `\(start.head)`\n"
        out += "- log line 1, the contribution of `\(texts[0])` by `04`×32 (label `author 4`, createdAt 1700000000, local ledger):\n\n```json\n\(String(decoding: line, as: UTF8.self))\n```\n\n"
        out += "  head after it `\(start.appending(line).head)`; `log.seal`: `\(String(decoding: MessageJSON.encode(start.appending(line), pretty: false), as: UTF8.self))`\n"

        out += "\n#### Requests and responses\n\n"
        let requests: [(String, ModelRequest)] = [
            ("generate, seeded", .generate(prompt: "The cat", maxTokens: 4, sampling: .seeded(7))),
            ("question", .question("who sat on the mat?", topK: 2)),
            ("features", .features([0.5, 0.25])),
            ("trace", .trace("a dog sat on the mat", minTokens: 3)),
        ]
        for (name, request) in requests {
            out += "- \(name) request, canonical bytes:\n\n```hex\n\(hexBlock(request.canonicalBytes))\n```\n\n  digest `\(request.digest)`\n"
        }
        let response = ModelAnswer(output: "sat on the mat.", outputTokens: 5, coverageBps: 10_000, attribution: [], explanation: Explanation())
        out += "- response bytes of output `sat on the mat.` with 5 tokens:\n\n```hex\n\(hexBlock(response.responseBytes))\n```\n\n  responseDigest `\(response.responseDigest)`\n"

        out += "\n#### The tiny corpus\n\n"
        let snapshot = textSnapshot
        out += "Documents (model order = ascending contribution id):\n\n"
        for d in snapshot.documents { out += "- `\(d.contribution)` by `\(d.contributor)`: `\(String(decoding: d.content, as: UTF8.self))`\n" }
        out += "\nSnapshot version: `\(snapshot.version)`\n"
        do {
            let lm = try ModelFactory.manifest(kind: .infinigram, name: "tiny-lm", snapshots: [snapshot])
            out += "\ninfinigram manifest canonical bytes:\n\n```hex\n\(hexBlock(lm.canonicalBytes))\n```\n\nmodelVersion `\(lm.modelVersion)`\n"
            let indexBytes = try ModelFactory.buildIndex(lm, snapshots: [snapshot])
            let index = try TextIndex(file: IndexFile(storage: IndexStorage(copying: indexBytes), name: "tiny"))
            out += "\nIndex: \(indexBytes.count) bytes, BLAKE2b-256 `\(BLAKE2b.hash(indexBytes))`. Vocabulary (id: token): "
            out += (1..<index.vocabulary.count).map { "\($0): `\(index.vocabulary.string($0))`" }.joined(separator: ", ") + "\n\n"
            out += "- tokens: \(Array(index.tokens))\n- suffix array: \(Array(index.suffixArray))\n- document starts: \(Array(index.documentStarts))\n"
            out += "- sections: " + sectionTable(indexBytes) + "\n"
            let model = try ModelFactory.buildInMemory(lm, snapshots: [snapshot])
            for request in [ModelRequest.generate(prompt: "The cat", maxTokens: 6), .generate(prompt: "the", maxTokens: 6, sampling: .seeded(7))] {
                let a = try model.answer(request)
                guard case .generate(let prompt, _, let sampling) = request.input else { continue }
                out += "\ninfinigram, prompt `\(prompt)`, \(sampling == .greedy ? "greedy" : "seeded 7"): output `\(a.output)` (\(a.outputTokens) tokens, matched suffix lengths \(a.explanation.tokens.map(\.suffixLength))), coverage \(a.coverageBps) bps, responseDigest `\(a.responseDigest)`\n\n\(attributionLines(a))\n"
            }
            for (kind, request) in [(ModelKind.bm25, ModelRequest.question("who sat on the mat?", topK: 2)), (.spanTrace, .trace("a dog sat on the mat", minTokens: 3))] {
                let manifest = try ModelFactory.manifest(kind: kind, name: "tiny-\(kind.rawValue)", snapshots: [snapshot])
                let a = try ModelFactory.buildInMemory(manifest, snapshots: [snapshot]).answer(request)
                out += "\n\(kind.rawValue) (modelVersion `\(manifest.modelVersion)`): output `\(a.output)`, coverage \(a.coverageBps) bps"
                if kind == .bm25 { out += ", scores " + a.explanation.passages.map { "`\($0.contribution.hex.prefix(8))…` \($0.score) (bits `\(String($0.score.bitPattern, radix: 16))`)" }.joined(separator: ", ") }
                if kind == .spanTrace { out += ", spans " + a.explanation.spans.map { "`\($0.text)` at \($0.start) (\($0.length) tokens)" }.joined(separator: ", ") }
                out += "\n\n\(attributionLines(a))\n"
            }
            let rows = rowSnapshot
            let knnManifest = try ModelFactory.manifest(kind: .knnClassify, name: "tiny-knn", snapshots: [rows], params: ["k": "2"])
            let knn = try ModelFactory.buildInMemory(knnManifest, snapshots: [rows]) as! KNNModel
            let query = [0.9, 0.8]
            let evaluation = try knn.evaluate(query)
            let a = try knn.answer(.features(query))
            out += "\nknn-classify, k = 2, rows \(self.rows.map { "`\($0)`" }.joined(separator: ", ")), query (0.9, 0.8): output `\(a.output)`, coverage \(a.coverageBps) bps; Shapley values by rank: "
            out += evaluation.ranking.enumerated().map { rank, i in "`\(knn.rows.documents.contribution(i).hex.prefix(8))…` \(evaluation.values[rank])" }.joined(separator: ", ")
            out += "\n\n\(attributionLines(a))\n"
        } catch {
            out += "\n(vector generation failed: \(error))\n"
        }
        return out
    }

    static func sectionTable(_ bytes: [UInt8]) -> String {
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }
        return (0..<Int(u32(12))).map { i in
            let at = 16 + 24 * i
            return "`\(String(decoding: bytes[at..<(at + 4)], as: UTF8.self))` (width \(u32(at + 4)), offset \(u64(at + 8)), length \(u64(at + 16)))"
        }.joined(separator: ", ")
    }
}
