import Foundation
public import Logging
import PostgresNIO
public import RemitCore
import RemitCrypto
public import RemitLedger
public import ServiceLifecycle

/// The PostgreSQL ledger store: several `remit` nodes (processes, machines) share one ledger.
///
/// Concurrency control is one row lock. Every write transaction starts by locking the single row
/// of the `head` table (`SELECT … FOR UPDATE`), which names the journal's last entry, and updates
/// it before it commits; so appends are serialised across all nodes, as the hash chain requires,
/// and a writer that holds the lock reads the committed state its entries will chain on. Under
/// the lock ``write(_:_:)`` brings the writer's in-memory state up to date with what other nodes
/// appended (reading only the rows those entries changed), runs the store-independent
/// ``EntryBuilder`` and appends: it never has to throw a build away. The append still re-checks
/// what another writer could have changed (the chain head, a balance's `CHECK (balance >= 0)`, a
/// channel's or contribution's expected state in the `UPDATE … WHERE`, new ids by primary key,
/// rising nonces), as ``SQLiteLedgerStore`` does. Reads that need a consistent view (the state
/// tables) run in one `REPEATABLE READ` transaction.
///
/// The store owns a connection pool (postgres-nio's `PostgresClient`) that must run while it is
/// used: add the store to a `ServiceGroup` (it is a `Service`) and call ``migrate()`` once, or use
/// ``withStore(_:logger:_:)``, which does both for the length of a closure.
public final class PostgresLedgerStore: LedgerStore, Service {
    /// Where the ledger lives.
    public let configuration: Configuration
    let client: PostgresClient
    let logger: Logger

    /// A logger that drops everything: the default, so that command output stays clean.
    public static let silentLogger = Logger(label: "remit.ledger.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Creates the store and its (idle) connection pool; run it with ``run()`` before use.
    public init(configuration: Configuration, logger: Logger = PostgresLedgerStore.silentLogger) {
        self.configuration = configuration
        self.logger = logger
        var config: PostgresClient.Configuration
        let tls: PostgresClient.Configuration.TLS = switch configuration.tls {
        case .disable: .disable
        case .prefer: .prefer(PostgresLedgerStore.tlsConfiguration(configuration.tls))
        case .require, .verifyFull: .require(PostgresLedgerStore.tlsConfiguration(configuration.tls))
        }
        if let directory = configuration.socketDirectory {
            config = PostgresClient.Configuration(unixSocketPath: "\(directory)/.s.PGSQL.\(configuration.port)", username: configuration.username,
                                                  password: configuration.password, database: configuration.database)
        } else {
            config = PostgresClient.Configuration(host: configuration.host, port: configuration.port, username: configuration.username,
                                                  password: configuration.password, database: configuration.database, tls: tls)
        }
        // Every connection works in the ledger's schema (created by `migrate()` when missing).
        config.options.additionalStartupParameters = PostgresLedgerStore.startupParameters(configuration)
        config.options.maximumConnections = configuration.maximumConnections
        config.options.connectTimeout = .seconds(10)
        client = PostgresClient(configuration: config, backgroundLogger: logger)
    }

    /// libpq's meaning of `sslmode`: prefer and require encrypt but do not check the certificate
    /// (a stock Debian server offers TLS with a self-signed one); verify-full checks it.
    static func tlsConfiguration(_ mode: Configuration.TLSMode) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if mode != .verifyFull { tls.certificateVerification = .none }
        return tls
    }

    /// Every connection works in the ledger's schema (created by `migrate()` when missing). A
    /// node that stalls inside a write (it holds the head lock while it builds) loses its
    /// transaction, and the lock, after a minute without a statement, so the others go on.
    static func startupParameters(_ configuration: Configuration) -> [(String, String)] {
        [("search_path", configuration.schema), ("application_name", "remit"), ("idle_in_transaction_session_timeout", "60000")]
    }

    /// Opens and closes one connection outside the pool, so that a wrong host, port, role,
    /// password or certificate fails at once with the server's own words (the pool would keep
    /// retrying for about a minute before giving up without them).
    public func probe() async throws(RemitError) {
        do {
            var config: PostgresConnection.Configuration
            if let directory = configuration.socketDirectory {
                config = PostgresConnection.Configuration(unixSocketPath: "\(directory)/.s.PGSQL.\(configuration.port)", username: configuration.username,
                                                          password: configuration.password, database: configuration.database)
            } else {
                let tls: PostgresConnection.Configuration.TLS = switch configuration.tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: PostgresLedgerStore.tlsConfiguration(configuration.tls)))
                case .require, .verifyFull: .require(try NIOSSLContext(configuration: PostgresLedgerStore.tlsConfiguration(configuration.tls)))
                }
                config = PostgresConnection.Configuration(host: configuration.host, port: configuration.port, username: configuration.username,
                                                          password: configuration.password, database: configuration.database, tls: tls)
            }
            config.options.additionalStartupParameters = PostgresLedgerStore.startupParameters(configuration)
            config.options.connectTimeout = .seconds(10)
            let connection = try await PostgresConnection.connect(configuration: config, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw RemitError(.ledgerStore, "cannot connect to PostgreSQL for \(configuration): \(PostgresLedgerStore.reason(error))", cause: error)
        }
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts down.
    public func run() async throws {
        await client.run()
    }

    /// Runs `body` with a store for `configuration`: checks that the server answers, starts the
    /// pool, creates or upgrades the schema, and closes every connection when `body` returns or throws.
    public static func withStore<T>(
        _ configuration: Configuration, logger: Logger = PostgresLedgerStore.silentLogger, _ body: (PostgresLedgerStore) async throws -> T
    ) async throws -> T {
        let store = PostgresLedgerStore(configuration: configuration, logger: logger)
        try await store.probe()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            try await store.migrate()
            return try await body(store)
        }
    }

    // MARK: - LedgerStore: genesis and head

    public func genesis() async throws(RemitError) -> LedgerGenesis? {
        try await withConnection { connection in try await self.genesis(connection) }
    }

    func genesis(_ connection: PostgresConnection) async throws -> LedgerGenesis? {
        guard let row = try await rows("SELECT body FROM genesis WHERE id = 1", on: connection).first else { return nil }
        var reader = CanonicalReader(PostgresLedgerStore.bytes(try row.decode(ByteBuffer.self)))
        return try LedgerGenesis(reading: &reader)
    }

    public func initialise(_ genesis: LedgerGenesis, commit: EntryCommit) async throws(RemitError) {
        var w = CanonicalWriter()
        genesis.write(to: &w)
        let body = ByteBuffer(bytes: w.bytes)
        try await withConnection { connection in
            try await self.transaction(on: connection) {
                var binds = PostgresBindings()
                binds.append(body)
                // A second node initialising at the same time waits here, then finds the row.
                let inserted = try await self.rows("INSERT INTO genesis (id, body) VALUES (1, $1) ON CONFLICT (id) DO NOTHING RETURNING id", binds, on: connection)
                guard !inserted.isEmpty else {
                    throw RemitError(.ledgerAlreadyInitialised, "the PostgreSQL ledger \(self.configuration) already holds a ledger; open it instead of creating one")
                }
                var head = PostgresBindings()
                head.append(ByteBuffer(bytes: Digest32.zero.bytes))
                try await self.rows("INSERT INTO head (id, sequence, hash, timestamp) VALUES (1, 0, $1, 0)", head, on: connection)
                try await PostgresAppend(head: .empty, commits: [commit]).run(on: connection, store: self)
            }
        }
    }

    public func head() async throws(RemitError) -> ChainHead {
        try await withConnection { connection in try await self.journalHead(connection) }
    }

    /// The last entry as the entries table holds it.
    func journalHead(_ connection: PostgresConnection) async throws -> ChainHead {
        guard let row = try await rows("SELECT sequence, timestamp, hash FROM entries ORDER BY sequence DESC LIMIT 1", on: connection).first else {
            return .empty
        }
        let (sequence, timestamp, hash) = try row.decode((Int64, Int64, ByteBuffer).self)
        return ChainHead(sequence: UInt64(sequence), hash: try Digest32(bytes: PostgresLedgerStore.bytes(hash)), timestamp: UInt64(bitPattern: timestamp))
    }
}
