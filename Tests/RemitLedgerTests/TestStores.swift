import Foundation
import PostgresNIO
import RemitCore
@testable import RemitLedger
@testable import RemitLedgerPostgres
import Testing

/// The stores the ledger suite runs against: every ledger test runs once per store.
enum StoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// The test server, from `REMIT_TEST_POSTGRES_URL` (`make test` starts a throwaway cluster and sets it).
    static let postgresURL: String? = {
        guard let url = ProcessInfo.processInfo.environment["REMIT_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }()

    /// SQLite always; PostgreSQL when a server is given. Without one, says so loudly (once).
    static let available: [StoreKind] = {
        guard postgresURL != nil else {
            FileHandle.standardError.write(Data("""

                !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
                !!! REMIT_TEST_POSTGRES_URL is not set: the ledger suite runs on SQLite only and
                !!! every PostgreSQL case is SKIPPED. `make test` starts a throwaway server.
                !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!

                """.utf8))
            return [.sqlite]
        }
        return [.sqlite, .postgres]
    }()
}

/// Where one test's ledger lives: a SQLite file (or memory), or a fresh schema of its own on the
/// test PostgreSQL server.
enum TestLocation: Sendable {
    case sqlite(path: String?)
    case postgres(PostgresLedgerStore.Configuration)

    /// A new, empty location; `file` asks SQLite for a file (tests that reopen or edit it).
    static func fresh(_ kind: StoreKind, file: Bool = false, name: String = "ledger") throws -> TestLocation {
        switch kind {
        case .sqlite:
            return .sqlite(path: file ? LedgerFixture.temporaryPath(name) : nil)
        case .postgres:
            let url = try #require(StoreKind.postgresURL, "REMIT_TEST_POSTGRES_URL is not set")
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            var configuration = try PostgresLedgerStore.Configuration(url: url).inSchema(schema)
            configuration.maximumConnections = 4
            return .postgres(configuration)
        }
    }

    /// What `remit ledger … --ledger` takes.
    var argument: String {
        switch self {
        case .sqlite(let path): path ?? ":memory:"
        case .postgres(let configuration): configuration.description
        }
    }

    /// Runs `body` with an open store (the PostgreSQL pool runs for the length of `body`).
    func withStore<T>(_ body: (any LedgerStore) async throws -> T) async throws -> T {
        switch self {
        case .sqlite(let path):
            return try await body(try SQLiteLedgerStore(path: path))
        case .postgres(let configuration):
            return try await PostgresLedgerStore.withStore(configuration) { try await body($0) }
        }
    }

    /// Runs one SQL statement written for SQLite (`substr(…)`, `X'…'`) against the stored tables,
    /// as someone with database access would: PostgreSQL gets the same statement translated.
    func tamper(_ sql: String) async throws {
        switch self {
        case .sqlite(let path):
            try VerifyTests.tamper(try #require(path, "tampering needs a file"), sql)
        case .postgres(let configuration):
            try await PostgresLedgerStore.withStore(configuration) { store in
                _ = try await store.read(TestLocation.postgresSQL(sql))
            }
        }
    }

    /// `substr(x, a, n)` → `substring(x from a for n)`, `substr(x, a)` → `substring(x from a)`, `X'ab'` → `'\xab'::bytea`.
    static func postgresSQL(_ sql: String) -> String {
        var out = sql
        out = out.replacingOccurrences(of: #"substr\((\w+), (\d+), (\d+)\)"#, with: "substring($1 from $2 for $3)", options: .regularExpression)
        out = out.replacingOccurrences(of: #"substr\((\w+), (\d+)\)"#, with: "substring($1 from $2)", options: .regularExpression)
        out = out.replacingOccurrences(of: #"X'([0-9a-fA-F]*)'"#, with: #"'\\x$1'::bytea"#, options: .regularExpression)
        return out
    }
}

@Suite("ledger: PostgreSQL test server")
struct PostgresServerTests {
    @Test("the PostgreSQL half of the ledger suite has a server (else every PostgreSQL case is skipped)",
          .enabled(if: StoreKind.postgresURL != nil, "REMIT_TEST_POSTGRES_URL is not set: the PostgreSQL ledger suite is SKIPPED (run `make test`)"))
    func serverAnswers() async throws {
        let location = try TestLocation.fresh(.postgres)
        let empty = try await location.withStore { store in try await store.genesis() }
        #expect(empty == nil)
    }

    @Test("SQLite statements translate to PostgreSQL")
    func translation() {
        #expect(TestLocation.postgresSQL("UPDATE entries SET body = substr(body, 1, 60) || X'ff' || substr(body, 62) WHERE sequence = 7")
                    == #"UPDATE entries SET body = substring(body from 1 for 60) || '\xff'::bytea || substring(body from 62) WHERE sequence = 7"#)
    }
}
