import Foundation
import RemitCore
import RemitCrypto
import Testing
@testable import RemitInference

@Suite("replay of signed receipts")
struct ReplayTests {
    static let owner = Fixture.key(0x03)

    static func signedReceipt(_ model: any Model, _ request: ModelRequest) throws -> Signed<Receipt> {
        let answer = try model.answer(request)
        let receipt = answer.receipt(request: request, manifest: model.manifest, owner: owner.publicKey, ledger: DatanetKeys.localLedger,
                                     channel: ChannelID(.zero), sequence: 1, listingSequence: 1, price: try Amount(units: 1_000))
        return Signed(signing: receipt, with: owner)
    }

    @Test("sign a receipt, recompute from the snapshot: equal; alter one contribution: differ", arguments: ModelKind.allCases)
    func replay(kind: ModelKind) throws {
        let rows = ModelTests.rows
        let snapshot: DatanetSnapshot = kind.usesText
            ? Fixture.snapshot(Fixture.quotes)
            : Fixture.snapshot(rows, kind: .row, schema: RowSchema(features: ["x", "y"], target: "t"))
        let request: ModelRequest = switch kind {
        case .infinigram: .generate(prompt: "The quick", maxTokens: 8, sampling: .seeded(3))
        case .bm25: .question("quick brown fox", topK: 3)
        case .knnClassify: .features([0.2, 0.1])
        case .knnRegress: .features([0.2, 0.1])
        case .spanTrace: .trace("talk is cheap. Show me the code", minTokens: 3)
        }
        let modelRows = kind == .knnRegress ? rows.map { $0.replacingOccurrences(of: "red", with: "1").replacingOccurrences(of: "blue", with: "2") } : rows
        let snap = kind == .knnRegress ? Fixture.snapshot(modelRows, kind: .row, schema: RowSchema(features: ["x", "y"], target: "t")) : snapshot
        let manifest = try ModelFactory.manifest(kind: kind, name: "replayed", snapshots: [snap])
        let model = try ModelFactory.buildInMemory(manifest, snapshots: [snap])
        let signed = try ReplayTests.signedReceipt(model, request)
        #expect(!signed.message.attribution.isEmpty)

        let same = try Replay.verifyAttribution(receipt: signed, request: request, manifest: manifest, snapshots: [snap])
        #expect(same.isMatch, "\(same.firstDifference ?? "")")

        // Alter the most credited contribution's content (same id, as a dishonest datanet would serve it).
        let credited = signed.message.attribution.max { $0.weightBps < $1.weightBps }!.contribution
        var altered = snap
        let at = altered.documents.firstIndex { $0.contribution == credited }!
        altered.documents[at].content = kind.usesText ? Array("Something else entirely.".utf8) : Array("9.0,9.0,\(kind == .knnRegress ? "7" : "blue")".utf8)
        let other = try Replay.verifyAttribution(receipt: signed, request: request, manifest: manifest, snapshots: [altered])
        #expect(!other.isMatch)
        #expect(other.firstDifference != nil)
    }

    @Test("a tampered receipt, another request or another model version is reported before recomputing")
    func tampered() throws {
        let snap = Fixture.snapshot(Fixture.quotes)
        let manifest = try ModelFactory.manifest(kind: .infinigram, name: "lm", snapshots: [snap])
        let model = try ModelFactory.buildInMemory(manifest, snapshots: [snap])
        let request = ModelRequest.generate(prompt: "Talk", maxTokens: 5)
        let signed = try ReplayTests.signedReceipt(model, request)
        var bumped = signed.message
        bumped.attribution[0].weightBps += 0
        bumped.coverageBps = 1
        let forged = Signed(message: bumped, signer: signed.signer, signature: signed.signature)
        let r1 = try Replay.verifyAttribution(receipt: forged, request: request, manifest: manifest, snapshots: [snap])
        #expect(r1.firstDifference?.contains("does not verify") == true)
        let r2 = try Replay.verifyAttribution(receipt: signed, request: .generate(prompt: "Talk", maxTokens: 6), manifest: manifest, snapshots: [snap])
        #expect(r2.firstDifference?.contains("requestDigest") == true)
        var otherManifest = manifest
        otherManifest.params["x"] = "1"
        let r3 = try Replay.verifyAttribution(receipt: signed, request: request, manifest: otherManifest, snapshots: [snap])
        #expect(r3.firstDifference?.contains("modelVersion") == true)
        // A receipt that credits someone else for the same answer is caught on the entry.
        var reweighted = signed.message
        reweighted.coverageBps = signed.message.coverageBps
        if reweighted.attribution.count >= 2 {
            reweighted.attribution[0].weightBps += 1
            reweighted.attribution[1].weightBps -= 1
        } else {
            reweighted.attribution[0].contributor = Fixture.key(0x44).publicKey
        }
        let resigned = Signed(signing: reweighted, with: ReplayTests.owner)
        let r4 = try Replay.verifyAttribution(receipt: resigned, request: request, manifest: manifest, snapshots: [snap])
        #expect(r4.firstDifference?.contains("attribution[") == true)
    }

    @Test("bundle JSON round-trips and replays against a datanet on disk at the manifest's version, after later changes")
    func bundleOnDisk() async throws {
        let datanet = try DatanetTests.make()
        for (i, text) in Fixture.quotes.enumerated() {
            try await datanet.add(content: Array(text.utf8), kind: .text, label: "q\(i)", contributor: Fixture.key(UInt8(0x30 + i % 2)))
        }
        let snapshot = try await datanet.snapshot()
        let folder = Fixture.temporaryFolder() + "/model"
        let manifest = try await ModelFactory.build(kind: .spanTrace, name: "tracer", snapshots: [snapshot], into: folder)
        let model = try ModelFactory.load(folder: folder)
        let request = ModelRequest.trace("the quick brown fox jumps over the lazy dog", minTokens: 3)
        let bundle = ReceiptBundle(receipt: try ReplayTests.signedReceipt(model, request), request: request, manifest: manifest)
        let decoded = try ReceiptBundle(json: bundle.jsonBytes())
        // The datanet moves on: a new contribution and a removal; the recorded version still replays.
        try await datanet.add(content: Array("The quick brown fox is new here.".utf8), kind: .text, label: "new", contributor: Fixture.key(0x31))
        let match = try await Replay.verifyAttribution(bundle: decoded, datanets: [datanet])
        #expect(match.isMatch, "\(match.firstDifference ?? "")")
    }
}
