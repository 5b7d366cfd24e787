import Foundation
import Logging
import RemitCore
import RemitLedger
import RemitLedgerPostgres
import RemitRuntime

/// Opens a market file in this process on whichever store its ledger names: a SQLite file, or a
/// `postgres://` URL (RemitRuntime does not link the PostgreSQL store, so the CLI opens it and
/// hands the `Ledger` to `LocalMarket.open`).
enum MarketLedger {
    /// Runs `body` with the market open. On PostgreSQL the connection pool runs around `body`
    /// (checked with a probe first, schema migrated when needed) and stops when `body` returns,
    /// so everything `body` does, a server's graceful drain included, still reaches the ledger.
    static func withMarket<T>(
        _ config: MarketConfig, modelBudgetBytes: Int = 512 << 20, logger: Logger = Logger(label: "remit.market"),
        _ body: (LocalMarket) async throws -> T
    ) async throws -> T {
        guard PostgresLedgerStore.Configuration.isURL(config.ledger) else {
            return try await body(try await LocalMarket.open(config, modelBudgetBytes: modelBudgetBytes, logger: logger))
        }
        let configuration = try PostgresLedgerStore.Configuration(url: config.ledger)
        return try await PostgresLedgerStore.withStore(configuration) { store in
            guard try await store.genesis() != nil else {
                throw CLIFailure.badInput("the PostgreSQL ledger \(configuration) (market \(config.file)) holds no ledger: create the market on it with `remit market init DIR --ledger \(configuration)`")
            }
            let ledger = try await Ledger.open(store: store)
            return try await body(try await LocalMarket.open(config, ledger: ledger, modelBudgetBytes: modelBudgetBytes, logger: logger))
        }
    }

    /// Runs `body` with a PostgreSQL store for a new market's ledger (`remit market init --ledger URL`).
    static func withNewLedger<T>(_ url: String, _ body: (MarketSetup.LedgerTarget) async throws -> T) async throws -> T {
        guard PostgresLedgerStore.Configuration.isURL(url) else {
            throw CLIFailure.badInput("--ledger \(url) is not a postgres:// URL: a market's SQLite ledger is always DIR/remit.ledger, so --ledger takes postgres://user@host[:port]/database[?schema=name]")
        }
        let configuration = try PostgresLedgerStore.Configuration(url: url)
        return try await PostgresLedgerStore.withStore(configuration) { store in
            try await body(MarketSetup.LedgerTarget(store: store, location: configuration.description))
        }
    }
}
