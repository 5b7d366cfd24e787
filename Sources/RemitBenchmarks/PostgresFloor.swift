import Foundation
import PostgresNIO
import RemitCore
import RemitCrypto
import RemitLedgerPostgres

/// The floor of `remit bench ledger --ledger postgres://…`: the same posting rows the ledger
/// writes, inserted raw through the same client and connection pool, in the same schema, with
/// the same batch size, as one `INSERT … SELECT FROM unnest(…)` per transaction (the fastest
/// plain way to send many rows with postgres-nio short of COPY, and the way the store sends them).
enum PostgresFloor {
    /// Inserts `rows` (entry, 33-byte account, delta) rows, `batch` per transaction; rows per second.
    static func rawInserts(_ store: PostgresLedgerStore, rows: Int, batch: Int) async throws(RemitError) -> Double {
        _ = try await store.execute("CREATE TABLE raw_postings (entry bigint NOT NULL, account bytea NOT NULL, delta bigint NOT NULL, PRIMARY KEY (entry, account))")
        let accounts = (0..<1_000).map { ByteBuffer(bytes: [1] + BLAKE2b.hash([UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)]).bytes) }
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0
        while written < rows {
            let range = written..<min(rows, written + batch)
            var binds = PostgresBindings()
            binds.append(range.map { Int64($0 / 2) })
            binds.append(range.map { accounts[$0 % accounts.count] })
            binds.append(range.map { Int64($0) })
            _ = try await store.execute("INSERT INTO raw_postings (entry, account, delta) SELECT * FROM unnest($1::int8[], $2::bytea[], $3::int8[])", binds)
            written = range.upperBound
        }
        let elapsed = start.duration(to: clock.now)
        return Double(rows) / max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 1e-9)
    }
}
