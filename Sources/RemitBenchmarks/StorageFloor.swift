import Foundation
import GRDB
import RemitChannels

/// The least a durable channel book can pay per payment: one row of `rowBytes` bytes inserted and
/// committed per transaction, through the same SQLite configuration as the books (WAL,
/// `synchronous = NORMAL`) and a cached GRDB statement, with nothing else. `remit bench channel`
/// prints it next to the crypto floor: a paid query commits at least twice (the payer before it
/// sends the voucher, the payee before it releases the answer).
enum StorageFloor {
    /// Process CPU microseconds per row, over `iterations` rows in a fresh book at `path`,
    /// committed `rowsPerCommit` at a time, each row of a commit on its own channel.
    static func commitMicros(path: String, iterations: Int, rowBytes: Int, rowsPerCommit: Int = 1) throws -> Double {
        let database = try ChannelDatabase.open(path: path, migrations: [("v1-floor", { db in
            try db.execute(sql: "CREATE TABLE payment (channel BLOB NOT NULL, sequence INTEGER NOT NULL, body BLOB NOT NULL)")
            try db.execute(sql: "CREATE UNIQUE INDEX payment_by_channel ON payment (channel, sequence)")
        })])
        let channels = (0..<max(rowsPerCommit, 1)).map { Data(repeating: UInt8(truncatingIfNeeded: $0 &* 37 &+ 7), count: 32) }
        let body = Data((0..<rowBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let commits = max(iterations / channels.count, 1)
        let start = processCPUSeconds()
        for sequence in 0..<commits {
            try database.write { db in
                let statement = try db.cachedStatement(sql: "INSERT INTO payment (channel, sequence, body) VALUES (?, ?, ?)")
                for channel in channels { try statement.execute(arguments: [channel, Int64(sequence), body]) }
            }
        }
        return (processCPUSeconds() - start) / Double(commits * channels.count) * 1e6
    }
}
