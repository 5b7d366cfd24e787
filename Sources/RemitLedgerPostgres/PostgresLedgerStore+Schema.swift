import PostgresNIO
public import RemitCore
import RemitLedger

extension PostgresLedgerStore {
    /// The schema, as named migrations applied in order. Append-only: a released migration is
    /// never edited; changes go in a new one.
    ///
    /// Beside the tables of ``SQLiteLedgerStore``: `head`, one row naming the last entry, which
    /// every write locks first (the store's concurrency control), and an `entry` column on the
    /// state tables (the last entry that changed the row), so that a writer catches up on what
    /// other nodes appended by reading only the rows they changed. Sequences, times and nonces are
    /// `bigint` holding the unsigned value's bit pattern; nonces are compared in Swift.
    static let migrations: [(name: String, sql: [String])] = [
        ("v1", [
            "CREATE TABLE genesis (id smallint PRIMARY KEY CHECK (id = 1), body bytea NOT NULL)",
            "CREATE TABLE head (id smallint PRIMARY KEY CHECK (id = 1), sequence bigint NOT NULL, hash bytea NOT NULL, timestamp bigint NOT NULL)",
            "CREATE TABLE entries (sequence bigint PRIMARY KEY, timestamp bigint NOT NULL, kind smallint NOT NULL, hash bytea NOT NULL, body bytea NOT NULL)",
            "CREATE TABLE postings (entry bigint NOT NULL, account bytea NOT NULL, delta bigint NOT NULL, PRIMARY KEY (entry, account))",
            "CREATE INDEX postings_by_account ON postings (account, entry)",
            "CREATE TABLE balances (account bytea PRIMARY KEY, balance bigint NOT NULL CONSTRAINT balance_not_negative CHECK (balance >= 0))",
            "CREATE TABLE nonces (account bytea PRIMARY KEY, nonce bigint NOT NULL, entry bigint NOT NULL)",
            "CREATE INDEX nonces_by_entry ON nonces (entry)",
            "CREATE TABLE channels (id bytea PRIMARY KEY, status smallint NOT NULL, record bytea NOT NULL, entry bigint NOT NULL)",
            "CREATE INDEX channels_by_entry ON channels (entry)",
            "CREATE TABLE datanets (id bytea PRIMARY KEY, record bytea NOT NULL, entry bigint NOT NULL)",
            "CREATE INDEX datanets_by_entry ON datanets (entry)",
            "CREATE TABLE contributions (id bytea PRIMARY KEY, state integer NOT NULL, record bytea NOT NULL, entry bigint NOT NULL)",
            "CREATE INDEX contributions_by_entry ON contributions (entry)",
            """
            CREATE TABLE listings (model bytea NOT NULL, sequence bigint NOT NULL, owner bytea NOT NULL, owner_bps integer NOT NULL,
                                   contributors_bps integer NOT NULL, treasury_bps integer NOT NULL, entry bigint NOT NULL, body bytea NOT NULL,
                                   PRIMARY KEY (model, sequence))
            """,
            "CREATE INDEX listings_by_entry ON listings (entry)",
            "CREATE TABLE receipts (entry bigint NOT NULL, position integer NOT NULL, body bytea NOT NULL, PRIMARY KEY (entry, position))",
            """
            CREATE TABLE earnings (account bytea NOT NULL, entry bigint NOT NULL, role smallint NOT NULL, model bytea NOT NULL, datanet bytea,
                                   amount bigint NOT NULL)
            """,
            "CREATE INDEX earnings_by_account ON earnings (account)",
            "CREATE INDEX earnings_by_entry ON earnings (entry)",
            "CREATE TABLE checkpoints (sequence bigint PRIMARY KEY, first_entry bigint NOT NULL, last_entry bigint NOT NULL, body bytea NOT NULL)",
        ]),
    ]

    /// Creates the schema when missing and applies the migrations not applied yet, in one
    /// transaction under an advisory lock on the schema's name, so nodes starting together do it
    /// once and ledgers in other schemas never wait for it.
    public func migrate() async throws(RemitError) {
        let schema = configuration.schema
        try await withConnection { connection in
            try await self.transaction(on: connection) {
                var name = PostgresBindings()
                name.append("remit-migrate:" + schema)
                try await self.rows("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", name, on: connection)
                try await self.rows("CREATE SCHEMA IF NOT EXISTS \(schema)", on: connection)
                try await self.rows("CREATE TABLE IF NOT EXISTS \(schema).remit_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", on: connection)
                let applied = Set(try await self.rows("SELECT name FROM \(schema).remit_migrations", on: connection).map { try $0.decode(String.self) })
                for migration in PostgresLedgerStore.migrations where !applied.contains(migration.name) {
                    // The connection's search_path names the schema, so unqualified tables land in it.
                    for statement in migration.sql { try await self.rows(statement, on: connection) }
                    var binds = PostgresBindings()
                    binds.append(migration.name)
                    try await self.rows("INSERT INTO \(schema).remit_migrations (name) VALUES ($1)", binds, on: connection)
                }
            }
        }
    }
}
