import Foundation
import GRDB
import RemitCore
import RemitCrypto
@testable import RemitLedger
import Testing

@Suite("ledger: verify replays the journal and names the first bad entry")
struct VerifyTests {
    /// A stored ledger with a bit of everything: transfers, bonds, a settled channel, a dispute.
    static func populated(_ kind: StoreKind, _ body: (LedgerFixture) async throws -> Void) async throws {
        try await LedgerFixture.with(kind, file: true) { f in
            let cs = try await f.setUpMarket()
            let open = f.open(deposit: credits("5"))
            try await f.ledger.openChannel(Signed(signing: open, with: f.payer))
            let receipts = (1...4).map { f.receipt(open.channel, sequence: UInt64($0), price: credits("0.25"), attribution: [(cs[$0 % 3], 10_000)]) }
            let voucher = f.voucher(open.channel, sequence: 4, cumulative: credits("1"))
            try await f.ledger.claim(f.claim(open.channel, voucher: voucher, receipts: receipts), voucher: voucher, receipts: receipts)
            let open2 = f.open(nonce: 2, deposit: credits("1"))
            try await f.ledger.openChannel(Signed(signing: open2, with: f.payer))
            try await f.ledger.close(f.close(open2.channel, by: f.payer, mode: .unilateral))
            let r = f.receipt(open2.channel, sequence: 1, price: credits("0.5"), attribution: [(cs[1], 10_000)])
            let v = f.voucher(open2.channel, sequence: 1, cumulative: credits("0.5"))
            try await f.ledger.claim(f.claim(open2.channel, voucher: v, receipts: [r]), voucher: v, receipts: [r])
            try await f.fund(f.payee.publicKey, credits("3"))
            try await body(f)
        }
    }

    static func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
    }

    /// Verifies the fixture's ledger through a newly opened store, as `remit ledger verify` would.
    static func reverify(_ f: LedgerFixture) async throws -> VerificationReport {
        try await f.withOtherStore { await LedgerVerifier(store: $0).run() }
    }

    @Test("an untouched ledger verifies: entries, supply, checkpoints", arguments: StoreKind.available)
    func clean(_ kind: StoreKind) async throws {
        try await VerifyTests.populated(kind) { f in
            _ = try await f.ledger.checkpoint(signingWith: f.operatorKey)
            let report = await LedgerVerifier(store: f.store).run()
            #expect(report.ok, "\(report.text)")
            #expect(report.entries == 16)
            #expect(report.supply == credits("1000000"))
            #expect(report.checkpoints == 1)
            #expect(report.text.hasPrefix("OK"))
        }
    }

    /// Edits written for SQLite; ``TestLocation/tamper(_:)`` translates them for PostgreSQL.
    static let edits: [(String, UInt64, String)] = [
        ("UPDATE entries SET body = substr(body, 1, 60) || X'ff' || substr(body, 62) WHERE sequence = 7", 7, "hash"),
        ("UPDATE entries SET timestamp = timestamp + 1 WHERE sequence = 5", 5, "columns"),
        ("UPDATE postings SET delta = delta + 1 WHERE entry = 16 AND delta > 0", 16, "postings table"),
        ("UPDATE receipts SET body = substr(body, 1, 100) || X'00' || substr(body, 102) WHERE entry = 12 AND position = 2", 12, "Merkle root"),
        ("DELETE FROM entries WHERE sequence = 12", 12, "missing"),
        ("UPDATE earnings SET amount = amount + 1 WHERE entry = 12 AND role = 1", 12, "earnings"),
    ]

    @Test("edited rows are caught: the first bad entry is named", arguments: StoreKind.available, VerifyTests.edits.indices)
    func tampered(_ kind: StoreKind, edit: Int) async throws {
        let (sql, entry, words) = VerifyTests.edits[edit]
        try await VerifyTests.populated(kind) { f in
            try await f.location.tamper(sql)
            let report = try await VerifyTests.reverify(f)
            #expect(!report.ok)
            #expect(report.firstBadEntry == entry, "\(report.text)")
            #expect(report.message?.contains(words) == true, "\(report.text)")
            #expect(report.entries == entry - 1)
        }
    }

    @Test("an edited balance or state row is caught even when every entry checks out", arguments: StoreKind.available)
    func tamperedState(_ kind: StoreKind) async throws {
        try await VerifyTests.populated(kind) { f in
            try await f.location.tamper("UPDATE balances SET balance = balance + 5 WHERE account = X'01\(f.payee.publicKey.hex)'")
            let report = try await VerifyTests.reverify(f)
            #expect(!report.ok)
            #expect(report.firstBadEntry == nil)
            #expect(report.message?.contains("balances table") == true, "\(report.text)")
        }
        try await VerifyTests.populated(kind) { g in
            _ = try await g.ledger.checkpoint(signingWith: g.operatorKey)
            try await g.location.tamper("UPDATE checkpoints SET body = substr(body, 1, 120) || X'00' || substr(body, 122)")
            let cp = try await VerifyTests.reverify(g)
            #expect(!cp.ok)
            #expect(cp.message?.contains("checkpoint 1") == true, "\(cp.text)")
        }
    }
}
