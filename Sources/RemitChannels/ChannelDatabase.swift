import Foundation
package import GRDB

/// Opens the SQLite files of channel books: WAL journal, `synchronous = NORMAL` (a commit
/// survives a crash of the process; see docs/PROTOCOL.md §Channels for power loss), and an
/// append-only list of migrations.
package enum ChannelDatabase {
    /// Opens the book at `path`, or an in-memory book when `path` is nil (simulations: the same
    /// code and SQL, no file).
    package static func open(path: String?, migrations: [(String, @Sendable (Database) throws -> Void)]) throws -> DatabaseQueue {
        var migrator = DatabaseMigrator()
        for (name, migration) in migrations { migrator.registerMigration(name, migrate: migration) }
        guard let path else {
            let database = try DatabaseQueue()
            try migrator.migrate(database)
            return database
        }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Checkpoint the WAL every 64 MiB instead of every 4 MiB, with a page cache to match:
            // a book rewrites the same hot B-tree pages with every payment, and a rarer checkpoint
            // copies each of them once per interval instead of once per few hundred commits.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let database = try DatabaseQueue(path: path, configuration: configuration)
        try migrator.migrate(database)
        return database
    }
}

extension ChannelDatabase {
    /// Replaces `table` (clustered on `(channel, sequence)`) by the rowid table that `create`
    /// makes under the name `\(table)_rowid`, copying `columns` in key order, and indexes it
    /// uniquely on `(channel, sequence)`. Runs inside the migration's transaction.
    static func moveToRowidTable(_ db: Database, table: String, columns: String, create: String) throws {
        try db.execute(sql: create)
        try db.execute(sql: "INSERT INTO \(table)_rowid (\(columns)) SELECT \(columns) FROM \(table) ORDER BY channel, sequence")
        try db.execute(sql: "DROP TABLE \(table)")
        try db.execute(sql: "ALTER TABLE \(table)_rowid RENAME TO \(table)")
        try db.execute(sql: "CREATE UNIQUE INDEX \(table)_by_channel ON \(table) (channel, sequence)")
    }
}

extension Data {
    var byteArray: [UInt8] { [UInt8](self) }
}
