import Foundation
import GRDB
public import RemitCore
import RemitCrypto

/// The embedded ledger store: one SQLite file through GRDB, in WAL mode with `synchronous=FULL`
/// so a committed entry survives a crash or power loss, and append-only schema migrations.
///
/// Writes run on GRDB's writer queue and reads on its reader pool, never on Swift's cooperative
/// threads. Each ``append(_:)`` is one `BEGIN IMMEDIATE` transaction.
public final class SQLiteLedgerStore: LedgerStore {
    /// The GRDB connection (a pool for files, a queue for in-memory stores); GRDB serialises its use.
    let writer: any DatabaseWriter
    /// The file, or nil for an in-memory store.
    public let path: String?

    /// Opens (creating if needed) the ledger database at `path`, or an in-memory database when
    /// `path` is nil (tests, simulations), and migrates its schema.
    public init(path: String?) throws(RemitError) {
        self.path = path
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(30)
        configuration.label = "remit.ledger"
        configuration.prepareDatabase { db in
            // FULL: the WAL is synced at every commit, so a committed entry is durable. Checkpoints
            // (copying the WAL into the file) every 64 MiB rather than 4 MiB: big appends go faster.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        do {
            if let path {
                writer = try DatabasePool(path: path, configuration: configuration)
            } else {
                writer = try DatabaseQueue(configuration: configuration)
            }
            try SQLiteLedgerStore.migrator.migrate(writer)
        } catch {
            throw SQLiteLedgerStore.translate(error, path: path)
        }
    }

    /// The schema. Migrations are append-only: a released migration is never edited; changes go in a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE genesis (id INTEGER PRIMARY KEY CHECK (id = 1), body BLOB NOT NULL);
                CREATE TABLE entries (sequence INTEGER PRIMARY KEY, timestamp INTEGER NOT NULL, kind INTEGER NOT NULL,
                                      hash BLOB NOT NULL, body BLOB NOT NULL);
                CREATE TABLE postings (entry INTEGER NOT NULL, account BLOB NOT NULL, delta INTEGER NOT NULL,
                                       PRIMARY KEY (entry, account)) WITHOUT ROWID;
                CREATE INDEX postings_by_account ON postings (account, entry);
                CREATE TABLE balances (account BLOB PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0)) WITHOUT ROWID;
                CREATE TABLE nonces (account BLOB PRIMARY KEY, nonce INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE channels (id BLOB PRIMARY KEY, status INTEGER NOT NULL, record BLOB NOT NULL);
                CREATE TABLE datanets (id BLOB PRIMARY KEY, record BLOB NOT NULL);
                CREATE TABLE contributions (id BLOB PRIMARY KEY, state INTEGER NOT NULL, record BLOB NOT NULL);
                CREATE TABLE listings (model BLOB NOT NULL, sequence INTEGER NOT NULL, owner BLOB NOT NULL,
                                       owner_bps INTEGER NOT NULL, contributors_bps INTEGER NOT NULL, treasury_bps INTEGER NOT NULL,
                                       entry INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY (model, sequence));
                CREATE TABLE receipts (entry INTEGER NOT NULL, position INTEGER NOT NULL, body BLOB NOT NULL);
                CREATE UNIQUE INDEX receipts_by_entry ON receipts (entry, position);
                CREATE TABLE earnings (account BLOB NOT NULL, entry INTEGER NOT NULL, role INTEGER NOT NULL, model BLOB NOT NULL,
                                       datanet BLOB, amount INTEGER NOT NULL);
                CREATE INDEX earnings_by_account ON earnings (account);
                CREATE INDEX earnings_by_entry ON earnings (entry);
                CREATE TABLE checkpoints (sequence INTEGER PRIMARY KEY, first_entry INTEGER NOT NULL, last_entry INTEGER NOT NULL,
                                          body BLOB NOT NULL);
                """)
        }
        return migrator
    }

    /// Maps a database failure to a ``RemitError``: constraint failures (a negative balance, an id
    /// that exists) are refusals; anything else is a store error.
    static func translate(_ error: any Error, path: String? = nil) -> RemitError {
        if let error = error as? RemitError { return error }
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_CONSTRAINT {
                if (error.message ?? "").contains("balance") {
                    return RemitError(.ledgerInsufficientFunds, "the store refused the entry: a balance would go below zero (\(error.message ?? ""))", cause: error)
                }
                return RemitError(.ledgerConflict, "the store refused the entry: \(error.message ?? "constraint failed") (another writer got there first?)", cause: error)
            }
            let place = path.map { " (\($0))" } ?? ""
            return RemitError(.ledgerStore, "ledger database error\(place): \(error.message ?? "\(error.resultCode)")", cause: error)
        }
        return RemitError(.ledgerStore, "ledger database error: \(error)")
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(RemitError) -> T {
        do {
            return try await writer.write(body)
        } catch {
            throw SQLiteLedgerStore.translate(error, path: path)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(RemitError) -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw SQLiteLedgerStore.translate(error, path: path)
        }
    }

    public func genesis() async throws(RemitError) -> LedgerGenesis? {
        let body: Data? = try await read { db in try Data.fetchOne(db, sql: "SELECT body FROM genesis WHERE id = 1") }
        guard let body else { return nil }
        var reader = CanonicalReader(Array(body))
        return try LedgerGenesis(reading: &reader)
    }

    public func initialise(_ genesis: LedgerGenesis, commit: EntryCommit) async throws(RemitError) {
        var w = CanonicalWriter()
        genesis.write(to: &w)
        let body = Data(w.bytes)
        try await write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM genesis") == 0 else {
                throw RemitError(.ledgerAlreadyInitialised, "this ledger database already holds a ledger; open it instead of creating one")
            }
            try db.execute(sql: "INSERT INTO genesis (id, body) VALUES (1, ?)", arguments: [body])
            var batch = try AppendBatch(head: .empty, db)
            try batch.append(commit, db)
            try batch.finish(db)
        }
    }

    public func append(_ commits: [EntryCommit]) async throws(RemitError) {
        guard !commits.isEmpty else { return }
        try await write { db in
            var batch = try AppendBatch(head: try SQLiteLedgerStore.head(db), db)
            for commit in commits { try batch.append(commit, db) }
            try batch.finish(db)
        }
    }

    static func head(_ db: Database) throws -> ChainHead {
        guard let row = try Row.fetchOne(db, sql: "SELECT sequence, timestamp, hash FROM entries ORDER BY sequence DESC LIMIT 1") else {
            return .empty
        }
        let hash: Data = row[2]
        return ChainHead(sequence: UInt64(row[0] as Int64), hash: try Digest32(bytes: hash), timestamp: UInt64(bitPattern: row[1] as Int64))
    }

    public func head() async throws(RemitError) -> ChainHead {
        try await read { db in try SQLiteLedgerStore.head(db) }
    }
}
