import Foundation
import Logging
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import RemitServer
import ServiceLifecycle
import Synchronization

/// A demo market made in a temporary folder from a small fortune file written here (no Debian
/// packages), served by a real `RemitHTTPServer` on a loopback port chosen by the kernel.
struct TestMarket {
    let folder: String
    var config: MarketConfig

    static let fortunes = SampleFortunes.text

    /// Makes the market; `configure` adjusts the server settings.
    static func make(_ configure: (inout MarketConfig.Server) -> Void = { _ in }) async throws -> TestMarket {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("remit-server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let quotes = "\(folder)/quotes.txt"
        try Data(fortunes.utf8).write(to: URL(fileURLWithPath: quotes))
        let made = try await MarketSetup.create(in: "\(folder)/m", fortunes: [quotes], priceRows: 200, kdf: .minimum)
        var config = try MarketConfig.load(path: made.marketFile)
        config.server.port = 0
        configure(&config.server)
        return TestMarket(folder: folder, config: config)
    }

    /// The operator key (demo password).
    func operatorKey() throws -> SigningKey {
        try Keystore.open(Array(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/m/operator.key"))), password: Array("remit demo password".utf8))
    }

    /// Starts a server on this market's files.
    func start(rateClock: (@Sendable () -> Double)? = nil, logger: Logger = Logger(label: "test.server")) async throws -> RunningServer {
        try await RunningServer.start(config, rateClock: rateClock, logger: logger)
    }
}

/// A server running in this process inside a ServiceGroup, and a client for it.
final class RunningServer: Sendable {
    let url: String
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let market: LocalMarket
    let client: RemitHTTPClient

    init(url: String, group: ServiceGroup, task: Task<Void, any Error>, market: LocalMarket) {
        self.url = url
        self.group = group
        self.task = task
        self.market = market
        client = RemitHTTPClient(baseURL: url)
    }

    static func start(_ config: MarketConfig, rateClock: (@Sendable () -> Double)?, logger: Logger) async throws -> RunningServer {
        let market = try await LocalMarket.open(config, logger: logger)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = RemitHTTPServer(market: try ServedMarket(market), settings: config.server, logger: logger,
                                     rateClock: rateClock) { _, port in continuation.yield(port) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: Logger(label: "test.group")))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw RemitError(.httpUnreachable, "the server did not start") }
        return RunningServer(url: "http://127.0.0.1:\(port)", group: group, task: task, market: market)
    }

    /// Graceful shutdown: requests in flight finish; waits for the server to stop.
    func stop() async throws {
        await client.shutdown()
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// The first model of `name`.
    func model(_ name: String) async throws -> Signed<Listing> {
        for endpoint in market.endpoints where try await endpoint.listing().message.name == name { return try await endpoint.listing() }
        throw RemitError(.directoryNoModel, "no \(name)")
    }
}

/// A payer driving the wire by hand: its own key and payer book, a channel opened on the ledger
/// over HTTP and registered with the payee.
struct WirePayer {
    let key: SigningKey
    let book: PayerBook
    let ledger: RemoteLedgerAccess
    let client: RemitHTTPClient

    static func make(_ server: RunningServer, operatorKey: SigningKey, credits: String = "10") async throws -> WirePayer {
        let key = SigningKey()
        let ledger = try await RemoteLedgerAccess.connect(server.client)
        try await ledger.faucet(key.publicKey, credits: credits, operatorKey: operatorKey)
        let book = try PayerBook(path: "\(server.market.config.file).payer-\(key.publicKey.hex.prefix(8)).sqlite", key: key, ledger: ledger.ledgerID)
        return WirePayer(key: key, book: book, ledger: ledger, client: server.client)
    }

    /// Opens and registers a channel to `payee`.
    func open(to payee: PublicKey, deposit: String, ticks: Amount? = nil) async throws -> ChannelID {
        let now = await ledger.now()
        let amount = try Amount(credits: deposit)
        let open = try await book.prepareOpen(payee: payee, deposit: amount, expiresAt: now + 3_600, challengePeriod: 600, tickUnit: ticks,
                                              tickLength: ticks.map { UInt64(amount.units / $0.units) } ?? 0)
        try await ledger.openChannel(open)
        _ = try await client.call("POST", "/v1/channels", body: open.jsonBytes(pretty: false), as: HTTPBodies.ChannelView.self)
        return open.message.channel
    }

    /// Sends a query with `payment` in the header (nil: unpaid).
    func send(_ request: ModelRequest, model: ModelID, payment: PayerBook.PaymentMessage?) async throws -> RemitHTTPClient.Reply {
        try await client.send("POST", "/v1/models/\(model.hex)/query", body: MessageJSON.encode(HTTPBodies.Query(request: request), pretty: false),
                              headers: payment.map { [(HTTPWire.paymentHeader, HTTPWire.encode(payment: $0))] } ?? [])
    }

    /// The payee's view of a channel.
    func view(_ channel: ChannelID) async throws -> HTTPBodies.ChannelView {
        try await client.call("GET", "/v1/channels/\(channel.hex)", as: HTTPBodies.ChannelView.self)
    }
}

extension RemitHTTPClient.Reply {
    /// The error code of a JSON refusal.
    var code: String? {
        (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]).flatMap { ($0["error"] as? [String: Any])?["code"] as? String }
    }

    /// The body as a JSON object.
    var object: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }
}
