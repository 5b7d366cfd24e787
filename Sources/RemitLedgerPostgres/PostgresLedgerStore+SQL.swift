import Foundation
package import PostgresNIO
package import RemitCore
import RemitLedger

extension PostgresLedgerStore {
    /// Runs `body` on a pooled connection; every failure comes out as a ``RemitError``.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(RemitError) -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw translate(error)
        }
    }

    /// Runs `body` in one transaction on `connection`: committed when it returns, rolled back when it throws.
    func transaction<T>(_ begin: String = "BEGIN", on connection: PostgresConnection, _ body: () async throws -> T) async throws -> T {
        try await connection.query(PostgresQuery(unsafeSQL: begin), logger: logger)
        let value: T
        do {
            value = try await body()
        } catch {
            // The error that matters is the first one; a failed rollback closes the connection anyway.
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return value
    }

    /// Runs one statement and collects its rows.
    @discardableResult
    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), on connection: PostgresConnection) async throws -> [PostgresRow] {
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
    }

    /// The bytes of a `bytea` value.
    static func bytes(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }

    /// A `bytea` value.
    static func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

    /// What went wrong, in the server's words when it said something (PSQLError's own
    /// description hides them), else the client's error and its cause.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.sqlState].map { " [SQLSTATE \($0)]" } ?? "")
        }
        return "\(error.code)" + (error.underlying.map { ": \(String(describing: $0))" } ?? "")
    }

    /// Maps a failure to a ``RemitError``: a negative balance is a refusal; a duplicate key, a
    /// serialisation failure or a deadlock means another writer got there first; anything else is
    /// a store error that names the server and what it said.
    func translate(_ error: any Error) -> RemitError {
        if let error = error as? RemitError { return error }
        if let error = error as? PSQLError {
            let state = error.serverInfo?[.sqlState] ?? ""
            let said = error.serverInfo?[.message] ?? "\(error.code)"
            let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
            switch state {
            case "23514" where (error.serverInfo?[.constraintName] ?? "") == "balance_not_negative":
                return RemitError(.ledgerInsufficientFunds, "the store refused the entry: a balance would go below zero\(detail)", cause: error)
            case "23505", "40001", "40P01":
                return RemitError(.ledgerConflict, "the store refused the entry: \(said)\(detail) (another writer got there first?)", cause: error)
            case "42P01":
                return RemitError(.ledgerStore, "the PostgreSQL ledger \(configuration) has no ledger tables (\(said)): open it with PostgresLedgerStore.withStore or call migrate()", cause: error)
            case "":
                return RemitError(.ledgerStore, "cannot use the PostgreSQL ledger \(configuration): \(PostgresLedgerStore.reason(error))", cause: error)
            default:
                return RemitError(.ledgerStore, "PostgreSQL ledger \(configuration): \(said)\(detail) [SQLSTATE \(state)]", cause: error)
            }
        }
        return RemitError(.ledgerStore, "PostgreSQL ledger \(configuration): \(String(reflecting: error))")
    }
}

extension PostgresLedgerStore {
    /// Runs one SQL statement in its own transaction and returns its rows. Package-only: the
    /// benchmark's raw-insert floor and tests use it; the ledger never runs free-form SQL.
    package func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws(RemitError) -> [PostgresRow] {
        try await withConnection { connection in try await self.rows(sql, binds, on: connection) }
    }
}
