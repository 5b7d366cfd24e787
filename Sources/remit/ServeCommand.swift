import ArgumentParser
import Foundation
import Logging
import RemitCore
import RemitLedger
import RemitLedgerPostgres
import RemitRuntime
import RemitServer
import ServiceLifecycle
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a market's priced models over HTTP: directory, 402 challenge, paid queries with receipts, ledger API.",
        discussion: """
            Opens the market file (ledger, datanets, owners and their models; see `remit market init`) and serves it \
            with the settings of its server: section (host, port, maxBodyBytes, ratePerPayer, requestTimeoutSeconds, \
            ledgerAPI). Prints `listening on http://HOST:PORT` once the socket is bound (port 0 picks a free one). \
            SIGTERM or SIGINT shut it down gracefully: requests in flight finish, every accepted payment stays durable. \
            Routes: GET /openapi.yaml. Wire format: docs/PROTOCOL.md §12.

            Several nodes can serve one market on a shared PostgreSQL ledger: give each the ledger URL (--ledger, \
            or ledger: in the market file) and its own --books folder, since a payee book is a single-process \
            SQLite file. Datanet messages and listings another node registered first are re-used.

            Example: remit serve --config demo-market/market.yaml --port 8402
            Example: remit serve --config m/market.yaml --ledger postgres://remit@db:5432/remit --books node1-books --port 0
            """
    )

    @Option(name: .long, help: ArgumentHelp("The market file.", valueName: "file"))
    var config: String

    @Option(name: .long, help: "Port to bind (overrides the file; 0 picks a free port).")
    var port: Int?

    @Option(name: .long, help: "Address to bind (overrides the file).")
    var host: String?

    @Option(name: .long, help: ArgumentHelp(
        "The ledger, overriding the market file's: a SQLite file, or postgres://user[:password]@host[:port]/database[?schema=name] shared by several nodes.",
        valueName: "file|url"))
    var ledger: String?

    @Option(name: .long, help: ArgumentHelp(
        "This node's folder for the owners' payee books (DIR/<owner>.sqlite, created when missing) instead of the market file's book paths: every node on a shared ledger needs its own.",
        valueName: "dir"))
    var books: String?

    func run() async throws {
        var market = try MarketConfig.load(path: config)
        if let port {
            guard (0...65_535).contains(port) else { throw CLIFailure.badInput("--port \(port) is outside 0...65535") }
            market.server.port = port
        }
        if let host { market.server.host = host }
        if let ledger {
            guard !ledger.isEmpty else { throw CLIFailure.badInput("--ledger is empty: name a SQLite file or a postgres:// URL") }
            market.ledger = ledger
        }
        if let books {
            do {
                try FileManager.default.createDirectory(atPath: books, withIntermediateDirectories: true)
            } catch {
                throw CLIFailure.badInput("--books \(books): cannot create the folder for the payee books: \(error)")
            }
            market = try market.withBooks(in: books)
        } else if PostgresLedgerStore.Configuration.isURL(market.ledger) {
            CLI.note("serving a shared PostgreSQL ledger with the market file's payee books; every other node on this ledger needs its own --books DIR")
        }
        let logger = Logger(label: "remit.server")
        // On PostgreSQL the store's connection pool runs around the server and stops after its graceful drain.
        try await MarketLedger.withMarket(market, logger: logger) { opened in
            try await ServeCommand.serve(opened, settings: market.server, logger: logger)
        }
        CLI.note("stopped")
    }

    /// Serves an opened market until SIGTERM or SIGINT, then drains gracefully.
    static func serve(_ opened: LocalMarket, settings: MarketConfig.Server, logger: Logger) async throws {
        let served = try ServedMarket(opened)
        CLI.note("ledger \(opened.ledger.id) at \(ServeCommand.displayed(opened.config.ledger))")
        for endpoint in opened.endpoints {
            let listing = try await endpoint.listing().message
            CLI.note("serving \(listing.name) (\(listing.kind)) \(listing.model.hex.prefix(16))… at \(listing.pricePerQuery) credits/query")
        }
        let server = RemitHTTPServer(market: served, settings: settings, logger: logger, onListening: { host, port in
            // Unbuffered: scripts and tests wait for this line.
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// How a ledger location is shown: a PostgreSQL URL without its password.
    static func displayed(_ location: String) -> String {
        guard PostgresLedgerStore.Configuration.isURL(location), let configuration = try? PostgresLedgerStore.Configuration(url: location) else {
            return location
        }
        return configuration.description
    }
}
