import Foundation
import GRDB

/// Opens the SQLite files of channel books: WAL journal, `synchronous = NORMAL` (a commit
/// survives a crash of the process; see docs/PROTOCOL.md §Channels for power loss), and an
/// append-only list of migrations.
enum ChannelDatabase {
    /// Opens the book at `path`, or an in-memory book when `path` is nil (simulations: the same
    /// code and SQL, no file).
    static func open(path: String?, migrations: [(String, @Sendable (Database) throws -> Void)]) throws -> DatabaseQueue {
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

extension Data {
    var byteArray: [UInt8] { [UInt8](self) }
}

/// Length-prefixed concatenation of byte strings (u32 big-endian lengths), for storing many
/// receipts of a batch in one row.
enum PackedBytes {
    static func pack(_ items: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(0) { $0 + $1.count + 4 })
        for item in items {
            let n = UInt32(item.count)
            out += [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
            out += item
        }
        return out
    }

    static func unpack(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var offset = 0
        while offset + 4 <= bytes.count {
            let n = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            offset += 4
            guard offset + n <= bytes.count else { break }
            out.append(Array(bytes[offset..<(offset + n)]))
            offset += n
        }
        return out
    }
}
