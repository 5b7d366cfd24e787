import Foundation
import Hummingbird
public import Logging
import NIOCore
import RemitCore
public import RemitRuntime
public import ServiceLifecycle

/// `remit serve` as a ServiceLifecycle service: Hummingbird 2 over HTTP/1.1 on a real socket,
/// serving a ``ServedMarket`` (docs/PROTOCOL.md §12), with a maintenance loop that answers
/// unilateral closes (disputes) for the owners. Run it in a `ServiceGroup` with SIGTERM/SIGINT as
/// graceful shutdown signals: the server then stops accepting connections and lets requests in
/// flight finish, so every payment it accepted is durable with its receipt before it returns.
public struct RemitHTTPServer: Service {
    /// What it serves.
    public let market: ServedMarket
    /// Address, limits and timeouts.
    public let settings: MarketConfig.Server
    let logger: Logger
    let rateClock: @Sendable () -> Double
    let onListening: @Sendable (_ host: String, _ port: Int) async -> Void
    let maintenanceInterval: Duration

    /// A server for `market` with `settings`; `onListening` hears the bound address (port 0 in
    /// the settings picks a free port). `rateClock` (seconds) drives the per-payer rate limit;
    /// tests inject one.
    public init(
        market: ServedMarket, settings: MarketConfig.Server, logger: Logger = Logger(label: "remit.server"),
        maintenanceInterval: Duration = .seconds(60), rateClock: (@Sendable () -> Double)? = nil,
        onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) {
        self.market = market
        self.settings = settings
        self.logger = logger
        self.maintenanceInterval = maintenanceInterval
        let origin = ContinuousClock.now
        self.rateClock = rateClock ?? {
            let elapsed = ContinuousClock.now - origin
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        self.onListening = onListening
    }

    func makeRoutes() async -> RemitRoutes {
        RemitRoutes(market: market, settings: settings, models: await market.catalogue(), metrics: ServerMetrics(), rateClock: rateClock, logger: logger)
    }

    /// Every route the server answers, as `METHOD /path` (path parameters as `{name}`).
    public func routeList() async -> [String] {
        await makeRoutes().router().routes.map { "\($0.method) \($0.path)" }
    }

    /// Serves until cancelled or gracefully shut down.
    public func run() async throws {
        let routes = await makeRoutes()
        let host = settings.host
        let onListening = onListening
        var app = Application(
            router: routes.router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(max(60, settings.requestTimeoutSeconds * 2))))),
            configuration: ApplicationConfiguration(address: .hostname(settings.host, port: settings.port), serverName: "remit/\(RemitVersion.string)"),
            onServerRunning: { channel in await onListening(host, channel.localAddress?.port ?? 0) },
            logger: logger
        )
        app.addServices(OwnerMaintenance(owners: market.owners, interval: maintenanceInterval, logger: logger), routes.deadlines)
        logger.info("serving", metadata: ["server.address": "\(settings.host):\(settings.port)", "models": "\(routes.models.count)"])
        try await withGracefulShutdownHandler {
            try await app.run()
        } onGracefulShutdown: {
            routes.draining.start()
        }
        logger.info("stopped: every accepted payment is durable")
    }
}

/// The owners' channel upkeep on a timer: answers a unilateral close with a claim before its
/// deadline (a dispute), claims channels about to expire, records settled channels.
struct OwnerMaintenance: Service {
    let owners: [ModelOwner]
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            if Task.isShuttingDownGracefully { return }
            for owner in owners {
                let acted = await owner.maintain()
                if !acted.isEmpty { logger.info("channel upkeep", metadata: ["channels": "\(acted.count)"]) }
            }
        }
    }
}
