import Foundation
import GRDB
@testable import RemitChannels
import RemitCore
import RemitCrypto
import Testing

@Suite("Channel books written by earlier versions")
struct PayerBookMigrationTests {
    let f = Fixture()

    /// Pays and answers one run of `count` ticks; returns its receipts.
    func run(_ n: Int, count: Int, payer: PayerBook, payee: PayeeBook, channel: ChannelID) async throws -> [Receipt] {
        let unit = try Amount(units: 1_000)
        let requests = (0..<count).map { (requestDigest: f.request(n * 1_000 + $0), maxPrice: try! unit.multiplied(by: 2)) }
        let ticks = try await payer.payTicks(channel: channel, requests: requests, now: f.now)
        let items = ticks.enumerated().map { i, tick in
            PayeeBook.StreamedTick(tick: tick, requestDigest: requests[i].requestDigest, maxPrice: requests[i].maxPrice, draft: f.draft(price: unit.description))
        }
        let served = try #require(try await payee.serve(stream: items, channel: channel, now: f.now).run)
        try await payer.accept(run: served)
        try await payer.synchronize()
        return served.receipts
    }

    /// Rewrites answered runs the way books before `v2-tick-run-receipts` stored them: receipts
    /// (plain packed) and adjustment in the run's own row, state 1, and no receipts table.
    static func downgrade(_ path: String) throws {
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            for row in try Row.fetchAll(db, sql: "SELECT channel, first_index, batch, receipts, adjustment FROM tick_run_receipts") {
                let receipts = PackedBytes.pack(try StoredReceipts.decode((row["receipts"] as Data).byteArray).map(\.canonicalBytes))
                try db.execute(sql: "UPDATE tick_run SET batch = ?, receipts = ?, adjustment = ?, state = 1 WHERE channel = ? AND first_index = ?",
                               arguments: [row["batch"] as Data, Data(receipts), row["adjustment"] as Int64, row["channel"] as Data, row["first_index"] as Int64])
            }
            try db.execute(sql: "DROP TABLE tick_run_receipts")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2-tick-run-receipts'")
        }
    }

    @Test("answered tick runs of an older payer book read back, before and after it is migrated")
    func olderTickRuns() async throws {
        let payerPath = Fixture.temporaryPath("payer.sqlite")
        var payer = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        let payee = try PayeeBook(path: Fixture.temporaryPath("payee.sqlite"), key: f.payee, ledger: f.ledger)
        let open = try await payer.prepareOpen(payee: f.payee.publicKey, deposit: f.credits("1"), expiresAt: f.now + 86_400,
                                               challengePeriod: 600, tickUnit: try Amount(units: 1_000), tickLength: 10_000)
        try await payee.register(open)
        let channel = open.message.channel
        var sent = try await run(0, count: 30, payer: payer, payee: payee, channel: channel)
        sent += try await run(1, count: 20, payer: payer, payee: payee, channel: channel)
        let charged = await payer.channel(channel)!.charged
        try Self.downgrade(payerPath)

        // Read without migrating (what `remit wallet` does), then opened and migrated.
        #expect(try PayerBook.inspect(path: payerPath).receipts.map(\.receipt) == sent)
        payer = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        #expect(await payer.channel(channel)!.charged == charged)
        #expect(try PayerBook.inspect(path: payerPath).receipts.map(\.receipt) == sent)

        // New runs are recorded in the new table, next to the old ones.
        sent += try await run(2, count: 10, payer: payer, payee: payee, channel: channel)
        let reopened = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        #expect(await reopened.channel(channel)!.charged == (try charged.adding(try Amount(units: 10_000))))
        #expect(try PayerBook.inspect(path: payerPath).receipts.map(\.receipt) == sent)
    }

    /// Rebuilds a book's payment table the way books stored it before the rowid migration
    /// (`migration`): clustered on (channel, sequence), WITHOUT ROWID, no separate index.
    static func clusterPayments(_ path: String, columns: String, create: String, migration: String) throws {
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            try db.execute(sql: create)
            try db.execute(sql: "INSERT INTO payment_old (\(columns)) SELECT \(columns) FROM payment")
            try db.execute(sql: "DROP TABLE payment")
            try db.execute(sql: "ALTER TABLE payment_old RENAME TO payment")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [migration])
        }
    }

    static func paymentTableSQL(_ path: String) throws -> String {
        try DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'payment'") ?? ""
        }
    }

    static func hasPaymentIndex(_ path: String) throws -> Bool {
        try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'payment_by_channel'") == 1
        }
    }

    @Test("voucher payments of books with the clustered payment table read back after the rowid migration, and payments go on")
    func clusteredPayments() async throws {
        let payerPath = Fixture.temporaryPath("payer.sqlite")
        let payeePath = Fixture.temporaryPath("payee.sqlite")
        var payer: PayerBook? = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        var payee: PayeeBook? = try PayeeBook(path: payeePath, key: f.payee, ledger: f.ledger)
        let open = try await payer!.prepareOpen(payee: f.payee.publicKey, deposit: f.credits("5"), expiresAt: f.now + 86_400, challengePeriod: 600)
        try await payee!.register(open)
        let channel = open.message.channel
        var receipts: [Signed<Receipt>] = []
        for n in 1...12 {
            receipts.append(try await ChannelBookTests.query(n, payer: payer!, payee: payee!, channel: channel, price: f.credits("0.1"), charge: f.credits("0.06"), f: f))
        }
        // One more paid but not answered: the payer reloads it as in flight.
        guard case .voucher(let pending) = try await payer!.pay(channel: channel, requestDigest: f.request(13), maxPrice: f.credits("0.1"), now: f.now) else {
            Issue.record("expected a voucher")
            return
        }
        try await payer!.synchronize()
        let payeeBefore = await payee!.channel(channel)!
        let payerBefore = await payer!.channel(channel)!
        let claimBefore = try await payee!.claim(channel, now: f.now)
        payer = nil
        payee = nil

        try Self.clusterPayments(payeePath, columns: "channel, sequence, voucher, request_digest, price, receipt", create: """
            CREATE TABLE payment_old (channel BLOB NOT NULL, sequence INTEGER NOT NULL, voucher BLOB, request_digest BLOB NOT NULL,
                price INTEGER NOT NULL, receipt BLOB NOT NULL, PRIMARY KEY (channel, sequence)) WITHOUT ROWID
            """, migration: "v2-payment-rowid")
        let payerColumns = "channel, sequence, scheme, cumulative, request_digest, max_price, message, receipt, batch, price, state"
        try Self.clusterPayments(payerPath, columns: payerColumns, create: """
            CREATE TABLE payment_old (channel BLOB NOT NULL, sequence INTEGER NOT NULL, scheme INTEGER NOT NULL, cumulative INTEGER NOT NULL,
                request_digest BLOB NOT NULL, max_price INTEGER NOT NULL, message BLOB NOT NULL, receipt BLOB, batch BLOB, price INTEGER,
                state INTEGER NOT NULL, PRIMARY KEY (channel, sequence)) WITHOUT ROWID
            """, migration: "v3-payment-rowid")
        #expect(try Self.paymentTableSQL(payeePath).contains("WITHOUT ROWID"))
        #expect(try Self.paymentTableSQL(payerPath).contains("WITHOUT ROWID"))

        // Read without migrating (what `remit wallet` does), then opened and migrated.
        #expect(try PayerBook.inspect(path: payerPath).receipts.map(\.receipt) == receipts.map(\.message))
        let migratedPayer = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        let migratedPayee = try PayeeBook(path: payeePath, key: f.payee, ledger: f.ledger)
        for path in [payerPath, payeePath] {
            #expect(try !Self.paymentTableSQL(path).contains("WITHOUT ROWID"))
            #expect(try Self.hasPaymentIndex(path))
        }
        #expect(await migratedPayee.channel(channel) == payeeBefore)
        #expect(await migratedPayer.channel(channel) == payerBefore)
        #expect(try await migratedPayee.claim(channel, now: f.now).claim.message.receiptsRoot == claimBefore.claim.message.receiptsRoot)
        #expect(try PayerBook.inspect(path: payerPath).receipts.map(\.receipt) == receipts.map(\.message))

        // The in-flight voucher is answered once, then payments go on with the next sequence.
        guard case .serve(let payment) = try await migratedPayee.accept(voucher: pending, requestDigest: f.request(13), maxPrice: f.credits("0.1"), now: f.now) else {
            Issue.record("the pending voucher was not served")
            return
        }
        try await migratedPayer.accept(receipt: try await migratedPayee.complete(payment, draft: f.draft(price: "0.1")))
        let next = try await ChannelBookTests.query(14, payer: migratedPayer, payee: migratedPayee, channel: channel, price: f.credits("0.1"), f: f)
        #expect(next.message.sequence == 14)
        #expect(try await migratedPayer.receipts(channel: channel).count == 14)
        #expect(await migratedPayee.channel(channel)!.served == 14)
    }
}
