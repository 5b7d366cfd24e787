import Foundation
import GRDB
import PostgresNIO
public import RemitCore
import RemitCrypto
import RemitLedger
public import RemitLedgerPostgres

/// `remit bench ledger`: postings per second one entry per transaction and batched, the
/// settlement of one channel with 100k receipts, and, in the same run, raw inserts of the same
/// number of rows as the floor: through GRDB for SQLite, through postgres-nio for PostgreSQL.
public enum LedgerBenchmark {
    /// The store measured.
    public enum Target: Sendable {
        /// SQLite in a temporary folder (WAL, `synchronous=FULL`).
        case sqlite
        /// A fresh schema in this PostgreSQL database, dropped afterwards.
        case postgres(PostgresLedgerStore.Configuration)
    }

    /// Runs the benchmark on `target`; `scale` multiplies the work (1 = 100k batched transfers,
    /// 1,000 single ones, 100k receipts). The figure keys are the same for both stores.
    public static func run(scale: Double = 1, target: Target = .sqlite) async throws(RemitError) -> BenchReport {
        switch target {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("remit-bench-ledger-\(UUID().uuidString)")
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try SQLiteLedgerStore(path: directory.appendingPathComponent("bench.ledger").path)
            let title = "SQLite (WAL, synchronous=FULL)"
            return try await measure(store: store, scale: scale, title: title, floorName: "raw GRDB inserts") { (rows, batch) throws(RemitError) in
                try rawInserts(rows: rows, batch: batch, path: directory.appendingPathComponent("raw.sqlite").path)
            }
        case .postgres(let configuration):
            let schema = "remit_bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
            let place = try configuration.inSchema(String(schema))
            do {
                return try await PostgresLedgerStore.withStore(place) { store in
                    // The schema is this run's own: dropped whether the run succeeds or fails.
                    do {
                        let settings = try await store.execute("SELECT current_setting('server_version'), current_setting('synchronous_commit'), current_setting('fsync')")
                        let (version, synchronous, fsync) = try settings[0].decode((String, String, String).self)
                        let title = "PostgreSQL \(version) at \(configuration.host):\(configuration.port) (synchronous_commit=\(synchronous), fsync=\(fsync))"
                        let report = try await measure(store: store, scale: scale, title: title, floorName: "raw postgres-nio inserts") { (rows, batch) throws(RemitError) in
                            try await PostgresFloor.rawInserts(store, rows: rows, batch: batch)
                        }
                        _ = try? await store.execute("DROP SCHEMA \(place.schema) CASCADE")
                        return report
                    } catch {
                        _ = try? await store.execute("DROP SCHEMA \(place.schema) CASCADE")
                        throw error
                    }
                }
            } catch let error as RemitError {
                throw error
            } catch {
                throw RemitError(.ledgerStore, "PostgreSQL benchmark at \(configuration): \(error)")
            }
        }
    }

    /// The measurements, on `store`; `floor(rows, batch)` inserts the same rows raw and returns rows/s.
    static func measure(
        store: any LedgerStore, scale: Double, title: String, floorName: String, floor: (Int, Int) async throws(RemitError) -> Double
    ) async throws(RemitError) -> BenchReport {
        let workload = LedgerWorkload()
        let batchedCount = max(1_000, Int(100_000 * scale))
        let singleCount = max(50, Int(1_000 * scale))
        let receiptCount = max(1_000, Int(100_000 * scale))
        let batchSize = 10_000

        let ledger = try await Ledger.create(store: store, operatorKey: workload.operatorKey.publicKey, supply: try Amount(credits: 1_000_000_000))
        try await workload.setUp(ledger)
        let receivers = (0..<1_000).map { LedgerWorkload.key(UInt8(truncatingIfNeeded: $0)).publicKey }.filter { $0 != workload.operatorKey.publicKey }
        var nonce = try await ledger.nonce(of: workload.operatorKey.publicKey)
        func transfers(_ count: Int) -> [LedgerOperation] {
            (0..<count).map { index in
                nonce += 1
                let t = Transfer(ledger: ledger.id, from: workload.operatorKey.publicKey, to: receivers[index % receivers.count],
                                 amount: try! Amount(units: 1_000 + Int64(index % 7)), nonce: nonce)
                return .transfer(Signed(signing: t, with: workload.operatorKey))
            }
        }

        // One transfer per transaction: each commit is synced to disk.
        let singles = transfers(singleCount)
        var seconds = try await time { () async throws(RemitError) in
            for operation in singles { try await ledger.apply(operation) }
        }
        let singlePostings = Double(singleCount * 2) / seconds

        // Batched, full path: signatures checked in parallel, then built and stored 10k per transaction.
        let batched = transfers(batchedCount)
        seconds = try await time { () async throws(RemitError) in
            for start in stride(from: 0, to: batched.count, by: batchSize) {
                for result in try await ledger.submit(Array(batched[start..<min(start + batchSize, batched.count)])) { _ = try result.get() }
            }
        }
        let batchedPostings = Double(batchedCount * 2) / seconds

        // Batched, engine only: the same work with the Ed25519 checks done before the clock starts.
        let engine = transfers(batchedCount)
        let none = [RemitError?](repeating: nil, count: batchSize)
        seconds = try await time { () async throws(RemitError) in
            for start in stride(from: 0, to: engine.count, by: batchSize) {
                let slice = Array(engine[start..<min(start + batchSize, engine.count)])
                for result in try await ledger.submit(slice, refusals: Array(none.prefix(slice.count))) { _ = try result.get() }
            }
        }
        let enginePostings = Double(batchedCount * 2) / seconds

        // The floor: raw inserts of the same number of posting rows, same store settings, same batch size.
        let rawRate = try await floor(batchedCount * 2, batchSize * 2)

        // One channel settled with 100k receipts (claim built before the clock starts).
        let head = await ledger.head()
        let open = ChannelOpen(ledger: ledger.id, payer: workload.payer.publicKey, payee: workload.payee.publicKey, nonce: head.sequence * 1_000,
                               deposit: try Amount(units: Int64(receiptCount + 1) * 1_000), expiresAt: ledger.clock.now() + 86_400, challengePeriod: 60)
        try await ledger.openChannel(Signed(signing: open, with: workload.payer))
        let claim = workload.claim(ledger.id, channel: open.channel,
                                   receipts: workload.receipts(ledger.id, channel: open.channel, count: receiptCount, price: try Amount(units: 1_000)), now: ledger.clock.now())
        var settled: AppliedEntry?
        let settleSeconds = try await time { () async throws(RemitError) in settled = try await ledger.apply(claim) }
        let settle100k = settleSeconds * 100_000 / Double(receiptCount)

        let verifySeconds = try await time { () async throws(RemitError) in
            let report = await ledger.verify()
            guard report.ok else { throw RemitError(.ledgerVerificationFailed, report.text) }
        }
        let entries = await ledger.head().sequence

        var report = BenchReport(name: "ledger")
        report.figures = [
            "single_postings_per_s": singlePostings,
            "batched_postings_per_s": batchedPostings,
            "batched_postings_per_s_engine": enginePostings,
            "raw_insert_rows_per_s": rawRate,
            "settle_100k_receipts_s": settle100k,
            "settle_receipts_per_s": Double(receiptCount) / settleSeconds,
            "verify_entries_per_s": Double(entries) / verifySeconds,
        ]
        report.ratios = [
            "batched_vs_raw_insert": batchedPostings / rawRate,
            "engine_vs_raw_insert": enginePostings / rawRate,
            "single_vs_batched": singlePostings / batchedPostings,
        ]
        func row(_ label: String, _ value: String, _ note: String = "") -> String {
            BenchFormat.pad(label, 44, left: true) + BenchFormat.pad(value, 14) + (note.isEmpty ? "" : "  " + note)
        }
        report.lines = [
            "remit bench ledger: \(title) on \(ProcessInfo.processInfo.activeProcessorCount) cores, \(BenchFormat.buildMode) build",
            "postings: transfers of 2 postings; batches of \(batchSize) entries per transaction",
            "",
            row("one entry per transaction (postings/s)", BenchFormat.rate(singlePostings), "\(singleCount) transfers, each commit synced"),
            row("batched, full path (postings/s)", BenchFormat.rate(batchedPostings), "\(batchedCount) transfers, Ed25519 checked on all cores"),
            row("batched, signatures pre-checked (postings/s)", BenchFormat.rate(enginePostings), "build + hash + store only"),
            row("floor: \(floorName) (rows/s)", BenchFormat.rate(rawRate), "\(batchedCount * 2) rows, \(batchSize * 2) per transaction"),
            row("batched / floor", BenchFormat.ratio(batchedPostings / rawRate)),
            row("batched pre-checked / floor", BenchFormat.ratio(enginePostings / rawRate)),
            row("settle one channel, 100k receipts (s)", String(format: "%.3f", settle100k),
                "\(receiptCount) receipts, \(settled?.postings.count ?? 0) postings\(receiptCount == 100_000 ? "" : ", scaled to 100k")"),
            row("verify: replay from genesis (entries/s)", BenchFormat.rate(Double(entries) / verifySeconds), "\(entries) entries"),
            "",
            "targets: batched postings >= 200,000/s; 100k-receipt settlement <= 2 s",
        ]
        return report
    }

    private static func time(_ body: () async throws(RemitError) -> Void) async throws(RemitError) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try await body()
        let elapsed = start.duration(to: clock.now)
        return max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 1e-9)
    }

    /// Inserts `rows` (entry, 33-byte account, delta) rows, `batch` per transaction, with a cached statement.
    static func rawInserts(rows: Int, batch: Int, path: String) throws(RemitError) -> Double {
        do {
            var configuration = Configuration()
            configuration.journalMode = .wal
            configuration.prepareDatabase { db in
                // The ledger store's settings (SQLiteLedgerStore).
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
                try db.execute(sql: "PRAGMA cache_size = -16384")
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try pool.write { db in
                try db.execute(sql: "CREATE TABLE postings (entry INTEGER NOT NULL, account BLOB NOT NULL, delta INTEGER NOT NULL, PRIMARY KEY (entry, account)) WITHOUT ROWID")
            }
            let accounts = (0..<1_000).map { Data([1] + BLAKE2b.hash([UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)]).bytes) }
            let clock = ContinuousClock()
            let start = clock.now
            var written = 0
            while written < rows {
                let count = min(batch, rows - written)
                let first = written
                try pool.write { db in
                    let statement = try db.cachedStatement(sql: "INSERT INTO postings (entry, account, delta) VALUES (?, ?, ?)")
                    for index in first..<(first + count) {
                        try statement.execute(arguments: [Int64(index / 2), accounts[index % accounts.count], Int64(index)])
                    }
                }
                written += count
            }
            let elapsed = start.duration(to: clock.now)
            return Double(rows) / max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 1e-9)
        } catch {
            throw RemitError(.ledgerStore, "raw insert floor failed: \(error)")
        }
    }
}
