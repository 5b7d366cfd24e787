import Foundation
import GRDB
@testable import RemitChannels
import RemitCore
import RemitCrypto
import Testing

@Suite("Payer books written by earlier versions")
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
                let receipts = PackedBytes.pack(PackedBytes.unpack((row["receipts"] as Data).byteArray))
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
}
