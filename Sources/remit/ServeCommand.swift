import ArgumentParser
import Foundation
import Logging
import RemitCore
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

            Example: remit serve --config demo-market/market.yaml --port 8402
            """
    )

    @Option(name: .long, help: ArgumentHelp("The market file.", valueName: "file"))
    var config: String

    @Option(name: .long, help: "Port to bind (overrides the file; 0 picks a free port).")
    var port: Int?

    @Option(name: .long, help: "Address to bind (overrides the file).")
    var host: String?

    func run() async throws {
        var market = try MarketConfig.load(path: config)
        if let port {
            guard (0...65_535).contains(port) else { throw CLIFailure.badInput("--port \(port) is outside 0...65535") }
            market.server.port = port
        }
        if let host { market.server.host = host }
        let logger = Logger(label: "remit.server")
        let opened = try await LocalMarket.open(market, logger: logger)
        let served = try ServedMarket(opened)
        for endpoint in opened.endpoints {
            let listing = try await endpoint.listing().message
            CLI.note("serving \(listing.name) (\(listing.kind)) \(listing.model.hex.prefix(16))… at \(listing.pricePerQuery) credits/query")
        }
        let server = RemitHTTPServer(market: served, settings: market.server, logger: logger, onListening: { host, port in
            // Unbuffered: scripts and tests wait for this line.
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        CLI.note("stopped")
    }
}
