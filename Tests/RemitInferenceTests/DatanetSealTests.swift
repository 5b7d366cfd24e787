import Foundation
import RemitCore
import RemitCrypto
import Testing
@testable import RemitInference

@Suite("datanet log seal")
struct DatanetSealTests {
    /// Labels and a note with everything JSON escapes or passes through as UTF-8.
    static let labels = ["plain", "quote \" and backslash \\ and slash /", "tab\tnew line\ncontrol \u{1}\u{1F}", "café 😀 “curly” ü", ""]

    static func make() async throws -> Datanet {
        let datanet = try DatanetTests.make()
        for (i, label) in labels.enumerated() {
            try await datanet.add(content: Array("quote \(i)".utf8), kind: .text, label: label, contributor: Fixture.key(UInt8(0x11 + i % 2)), createdAt: 1_100 + UInt64(i))
        }
        try await datanet.add(content: Array("1.5,2,up".utf8), kind: .row, label: "row", contributor: Fixture.key(0x13), createdAt: 1_200)
        let first = try #require(await datanet.contributions().first?.contribution.message.contribution)
        try await datanet.remove(first, reason: .duplicate, note: "note \"é\" \\ \u{2}", curator: Fixture.key(0x05), removedAt: 1_300)
        return datanet
    }

    @Test("a sealed log opens without checking signatures and gives exactly what checking every line gives")
    func fastPathEqualsFullDecode() async throws {
        let datanet = try await DatanetSealTests.make()
        let fast = try Datanet(folder: datanet.folder)
        let full = try Datanet(folder: datanet.folder, verifyingSignatures: true)
        #expect(fast.openedFromSeal)
        #expect(!full.openedFromSeal)
        #expect(await fast.contributions() == full.contributions())
        #expect(await fast.contributions().count == DatanetSealTests.labels.count + 1)
        #expect(await fast.currentVersion() == full.currentVersion())
        #expect(await fast.ledgerMessages() == full.ledgerMessages())
        #expect(await fast.ledgerMessageCount() == DatanetSealTests.labels.count + 3)
        // Every line took the fast reader (none fell back to the full decode) and reads the same.
        let log = try Data(contentsOf: URL(fileURLWithPath: datanet.folder + "/log.jsonl"))
        for (number, line) in log.split(separator: UInt8(ascii: "\n")).enumerated() {
            let bytes = Array(line)
            let event = try #require(bytes.withUnsafeBytes { LogLineReader.event($0) }, "line \(number + 1)")
            switch (event, try Datanet.decode(bytes, number: number + 1, folder: datanet.folder)) {
            case (.contribution(let a), .contribution(let b)): #expect(a == b)
            case (.removal(let a), .removal(let b)): #expect(a == b)
            default: Issue.record("line \(number + 1) read as another kind of message")
            }
        }
    }

    @Test("a log changed without its seal has every signature checked; one changed with its seal is caught by verify")
    func tamperedLogAndSeal() async throws {
        let datanet = try await DatanetSealTests.make()
        let logFile = datanet.folder + "/log.jsonl"
        let original = try String(contentsOfFile: logFile, encoding: .utf8)
        let forged = original.replacingOccurrences(of: "\"label\":\"plain\"", with: "\"label\":\"forged\"")
        #expect(forged != original)
        try forged.write(toFile: logFile, atomically: true, encoding: .utf8)
        #expect(throws: RemitError.self) { try Datanet(folder: datanet.folder) }
        do {
            _ = try Datanet(folder: datanet.folder)
        } catch {
            #expect(error.code == .messageBadSignature)
        }
        // Someone who rewrites the seal too gets past the quick open, not past the checks.
        var seal = LogSeal.start(datanet.id)
        for line in forged.split(separator: "\n") { seal = seal.appending(Array(line.utf8)) }
        try Data(MessageJSON.encode(seal, pretty: false)).write(to: URL(fileURLWithPath: datanet.folder + "/log.seal"))
        #expect(try Datanet(folder: datanet.folder).openedFromSeal)
        for check in [{ _ = try await Datanet.verify(folder: datanet.folder) }, { _ = try Datanet(folder: datanet.folder, verifyingSignatures: true) }] {
            do {
                try await check()
                Issue.record("a forged line under a rewritten seal was accepted")
            } catch let error as RemitError {
                #expect(error.code == .messageBadSignature)
            }
        }
    }

    @Test("a datanet without a seal (or with a stale one) is checked in full; verify checks contents and versions and seals it")
    func verifySeals() async throws {
        let datanet = try await DatanetSealTests.make()
        let sealFile = datanet.folder + "/log.seal"
        try FileManager.default.removeItem(atPath: sealFile)
        #expect(try !Datanet(folder: datanet.folder).openedFromSeal)
        let report = try await Datanet.verify(folder: datanet.folder)
        #expect(report.signatures == DatanetSealTests.labels.count + 3)
        #expect(report.contents == DatanetSealTests.labels.count + 1)
        #expect(report.versions == DatanetSealTests.labels.count + 3)
        #expect(report.seal.events == DatanetSealTests.labels.count + 2)
        let reopened = try Datanet(folder: datanet.folder)
        #expect(reopened.openedFromSeal)
        // Appending keeps the seal current.
        try await reopened.add(content: Array("later".utf8), kind: .text, label: "later", contributor: Fixture.key(0x11))
        #expect(try Datanet(folder: datanet.folder).openedFromSeal)
        // A stale seal (an older head) means a full check again.
        try Data(MessageJSON.encode(report.seal, pretty: false)).write(to: URL(fileURLWithPath: sealFile))
        #expect(try !Datanet(folder: datanet.folder).openedFromSeal)
        // verify refuses an altered content file.
        let live = try #require(await reopened.contributions().last?.contribution.message.contentDigest)
        try Data("altered".utf8).write(to: URL(fileURLWithPath: datanet.folder + "/content/" + live.hex))
        do {
            _ = try await Datanet.verify(folder: datanet.folder)
            Issue.record("an altered content file passed verify")
        } catch {
            #expect(error.code == .datanetInvalid)
        }
    }
}
