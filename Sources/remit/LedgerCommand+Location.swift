import ArgumentParser
import Foundation
import RemitLedger
import RemitLedgerPostgres

extension LedgerCommand {
    /// Where the ledger is: a SQLite file (the default), or a PostgreSQL database that several nodes share.
    struct Location: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp(
            "The ledger: a SQLite file, or postgres://user[:password]@host[:port]/database[?schema=name] (default $REMIT_LEDGER, else remit.ledger).",
            valueName: "file|url"))
        var ledger: String?

        @Option(name: .long, help: ArgumentHelp("The ledger file (the same as --ledger FILE).", valueName: "file"))
        var path: String?

        func validate() throws {
            if ledger != nil && path != nil { throw ValidationError("give either --ledger or --path, not both") }
        }

        /// The file path or URL, as given.
        var value: String { ledger ?? path ?? ProcessInfo.processInfo.environment["REMIT_LEDGER"] ?? "remit.ledger" }

        /// True when the ledger is on PostgreSQL.
        var isPostgres: Bool { PostgresLedgerStore.Configuration.isURL(value) }

        /// How messages name the ledger (a URL without its password).
        var name: String {
            guard isPostgres, let configuration = try? PostgresLedgerStore.Configuration(url: value) else { return value }
            return configuration.description
        }

        /// Runs `body` with the ledger's store. Unless `creating`, the ledger must exist (else bad input, exit 2).
        func withStore<T>(creating: Bool = false, _ body: (any LedgerStore) async throws -> T) async throws -> T {
            if isPostgres {
                let configuration = try PostgresLedgerStore.Configuration(url: value)
                return try await PostgresLedgerStore.withStore(configuration) { store in
                    if !creating, try await store.genesis() == nil {
                        throw CLIFailure.badInput("the PostgreSQL ledger \(configuration) holds no ledger: create it with `remit ledger init --ledger \(configuration)`")
                    }
                    return try await body(store)
                }
            }
            if !creating, !FileManager.default.fileExists(atPath: value) {
                throw CLIFailure.badInput("ledger file \(value) does not exist: create it with `remit ledger init --path \(value)`")
            }
            return try await body(try SQLiteLedgerStore(path: value))
        }

        /// Runs `body` with the ledger open for writing.
        func withLedger<T>(_ body: (Ledger) async throws -> T) async throws -> T {
            try await withStore { store in try await body(try await Ledger.open(store: store)) }
        }
    }
}
