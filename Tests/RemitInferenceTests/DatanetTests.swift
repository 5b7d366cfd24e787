import Foundation
import RemitCore
import RemitCrypto
import Testing
@testable import RemitInference

@Suite("datanets")
struct DatanetTests {
    static func make(bond: Amount = .zero) throws -> Datanet {
        try Datanet.create(in: Fixture.temporaryFolder(), name: "quotes", description: "test quotes", curator: Fixture.key(0x05),
                           ledger: DatanetKeys.localLedger, bond: bond, holdingPeriod: 100, createdAt: 1_000)
    }

    @Test("a version is the Merkle root of the live ids ascending; duplicates are refused naming the holder")
    func addAndDuplicate() async throws {
        let datanet = try DatanetTests.make()
        let a = try await datanet.add(content: Array("first quote".utf8), kind: .text, label: "Ann", contributor: Fixture.key(0x11), createdAt: 1_001)
        let b = try await datanet.add(content: Array("second quote".utf8), kind: .text, label: "Bob", contributor: Fixture.key(0x12), createdAt: 1_002)
        try a.verify(ledger: DatanetKeys.localLedger, signer: Fixture.key(0x11).publicKey)
        #expect(a.message.contribution == ContributionID.derive(datanet: datanet.id, content: BLAKE2b.hash(Array("first quote".utf8))))
        let ids = [a.message.contribution, b.message.contribution].sorted()
        #expect(await datanet.currentVersion() == MerkleTree.root(of: ids.map(\.digest)))
        do {
            try await datanet.add(content: Array("first quote".utf8), kind: .text, label: "Eve", contributor: Fixture.key(0x13))
            Issue.record("a duplicate was accepted")
        } catch {
            #expect(error.code == .datanetDuplicate)
            #expect(error.message.contains(a.message.contribution.hex))
        }
        #expect(await datanet.contributions().count == 2)
        #expect(await datanet.versions().map(\.live) == [0, 1, 2])
    }

    @Test("a batch reports duplicates inside it and records one version")
    func batch() async throws {
        let datanet = try DatanetTests.make()
        let key = Fixture.key(0x11)
        let report = try await datanet.add([
            PendingContribution(content: Array("x".utf8), kind: .text, label: "a", contributor: key),
            PendingContribution(content: Array("y".utf8), kind: .text, label: "b", contributor: key),
            PendingContribution(content: Array("x".utf8), kind: .text, label: "c", contributor: key),
        ])
        #expect(report.added.count == 2)
        #expect(report.duplicates.map(\.code) == [.datanetDuplicate])
        #expect(report.version?.live == 2)
    }

    @Test("removal by the curator drops the contribution from the next version; old versions stay replayable")
    func removal() async throws {
        let datanet = try DatanetTests.make(bond: try Amount(credits: 1))
        let a = try await datanet.add(content: Array("keep".utf8), kind: .text, label: "A", contributor: Fixture.key(0x11), createdAt: 1_010)
        let spam = try await datanet.add(content: Array("buy now".utf8), kind: .text, label: "S", contributor: Fixture.key(0x12), createdAt: 1_020)
        let before = await datanet.currentVersion()
        do {
            try await datanet.remove(spam.message.contribution, reason: .spam, curator: Fixture.key(0x11))
            Issue.record("a non-curator removed a contribution")
        } catch {
            #expect(error.code == .messageWrongSigner)
        }
        let removal = try await datanet.remove(spam.message.contribution, reason: .spam, note: "ad", curator: Fixture.key(0x05), removedAt: 1_030)
        try removal.verify(ledger: DatanetKeys.localLedger, signer: Fixture.key(0x05).publicKey)
        #expect(await datanet.currentVersion() == MerkleTree.root(of: [a.message.contribution.digest]))
        let old = try await datanet.snapshot(at: before)
        #expect(old.documents.count == 2)
        #expect(try await datanet.snapshot().documents.map(\.contribution) == [a.message.contribution])
        let records = await datanet.contributions()
        #expect(records[1].bondState(bond: try Amount(credits: 1), holdingPeriod: 100, now: 2_000) == .slashed)
        #expect(records[0].bondState(bond: try Amount(credits: 1), holdingPeriod: 100, now: 1_050) == .held(until: 1_110))
        #expect(records[0].bondState(bond: try Amount(credits: 1), holdingPeriod: 100, now: 1_200) == .returnable(since: 1_110))
        #expect(await datanet.ledgerMessages().map(\.messageType.name) == ["datanet-create", "contribution", "contribution", "contribution-removal"])
    }

    @Test("reopening checks every signature; an altered log line or content file is refused")
    func reopenAndTamper() async throws {
        let datanet = try DatanetTests.make()
        let added = try await datanet.add(content: Array("original".utf8), kind: .text, label: "A", contributor: Fixture.key(0x11))
        let version = await datanet.currentVersion()
        let reopened = try Datanet(folder: datanet.folder)
        #expect(await reopened.currentVersion() == version)

        let contentFile = datanet.folder + "/content/" + added.message.contentDigest.hex
        try Data("altered".utf8).write(to: URL(fileURLWithPath: contentFile))
        do {
            _ = try await reopened.snapshot()
            Issue.record("altered content was accepted")
        } catch {
            #expect(error.code == .datanetInvalid)
        }

        let logFile = datanet.folder + "/log.jsonl"
        let log = try String(contentsOfFile: logFile, encoding: .utf8)
        try log.replacingOccurrences(of: "\"label\":\"A\"", with: "\"label\":\"B\"").write(toFile: logFile, atomically: true, encoding: .utf8)
        do {
            _ = try Datanet(folder: datanet.folder)
            Issue.record("an altered log was accepted")
        } catch {
            #expect(error.code == .messageBadSignature)
        }
    }

    @Test("an unknown version is refused with datanet.unknown_version")
    func unknownVersion() async throws {
        let datanet = try DatanetTests.make()
        do {
            _ = try await datanet.snapshot(at: BLAKE2b.hash([1]))
            Issue.record("an unknown version was accepted")
        } catch {
            #expect(error.code == .datanetUnknownVersion)
        }
    }

    @Test("custodial keys are deterministic per name and differ between names")
    func custodian() {
        let custodian = Custodian(key: Fixture.key(0x21))
        #expect(custodian.contributorKey(for: "Mark Twain").publicKey == custodian.contributorKey(for: "Mark Twain").publicKey)
        #expect(custodian.contributorKey(for: "Mark Twain").publicKey != custodian.contributorKey(for: "Groucho Marx").publicKey)
        #expect(Custodian(key: Fixture.key(0x22)).contributorKey(for: "Mark Twain").publicKey != custodian.contributorKey(for: "Mark Twain").publicKey)
    }

    @Test("fortune files: entries split at %, authors from -- lines, the rest to community")
    func fortunes() {
        let text = "A black cat crossing your path signifies that the animal is going somewhere.\n\t\t-- Groucho Marx\n%\nNo author here.\r\n%\n\nBold\u{8}Bd text.\n\t\t-- James Thurber, \"The Fly\"\n%\n"
        let entries = FortunesImporter.parse(Array(text.utf8), collection: "test")
        #expect(entries.count == 3)
        #expect(entries.map(\.author) == ["Groucho Marx", nil, "James Thurber"])
        #expect(entries[1].text == "No author here.")
        #expect(entries[2].text.hasPrefix("BolBd text."))
        let latin1: [UInt8] = [0x63, 0x61, 0x66, 0xE9]  // "café" in Latin-1
        #expect(FortunesImporter.parse(latin1, collection: "x").first?.text == "café")
    }

    @Test("CSV rows: quoted fields, target column, canonical row bytes; bad numbers refused")
    func csv() throws {
        let table = try CSVTable(parsing: "a,b,label\n1,2.50,up\r\n\"3\",4e1,\"do\"\"wn\"\n")
        #expect(table.rows.count == 2)
        do {
            _ = try table.rowContents(target: "label")
            Issue.record("a quote in a target was accepted")
        } catch {
            #expect(error.code == .datanetBadContent)
        }
        let ok = try CSVTable(parsing: "a,b,label\n1,2.50,up\n3,4e1,down\n")
        let (schema, rows) = try ok.rowContents(target: nil)
        #expect(schema == RowSchema(features: ["a", "b"], target: "label"))
        #expect(rows.map { String(decoding: $0, as: UTF8.self) } == ["1.0,2.5,up", "3.0,40.0,down"])
        #expect(throws: RemitError.self) { try CSVTable(parsing: "a,b\n1,x\n").rowContents(target: "a") }
        #expect(throws: RemitError.self) { try CSVTable(parsing: "a,b\nz,1\n").rowContents(target: "b") }
    }

    @Test("the synthetic price series is seeded: same seed, same CSV")
    func prices() throws {
        #expect(PriceSeries.csv(seed: 3, rows: 50) == PriceSeries.csv(seed: 3, rows: 50))
        #expect(PriceSeries.csv(seed: 3, rows: 50) != PriceSeries.csv(seed: 4, rows: 50))
        let table = try CSVTable(parsing: PriceSeries.csv(seed: 3, rows: 50))
        #expect(table.rows.count == 50)
        #expect(Set(table.rows.map { $0.last! }) == ["up", "down"])
    }
}
