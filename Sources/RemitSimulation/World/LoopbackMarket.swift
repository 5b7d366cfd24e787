import Foundation
import Logging
import RemitCore
import RemitCrypto
import RemitLedger
import RemitRuntime
import RemitServer
import ServiceLifecycle

/// The world served over HTTP for `remit simulate --over-http`: one `RemitHTTPServer` on a
/// loopback port the kernel picks, serving the world's ledger and model owners, run in a
/// `ServiceGroup` on a background task; and one shared HTTP client (one connection pool) that
/// every agent's wallet talks through, so thousands of agents hold a handful of connections.
///
/// The server is set up for one trusted client replaying a deterministic run: no per-payer rate
/// limit in effect, a long request timeout, and no owner upkeep timer (the engine settles every
/// channel itself at the end). A 429, a timeout or an upkeep claim would make the run depend on
/// wall-clock speed, and its ledger differ from the same run in process.
final class LoopbackMarket: Sendable {
    /// The server's base URL, `http://127.0.0.1:<port>`.
    let url: String
    /// The client every agent shares.
    let client: RemitHTTPClient
    /// The ledger API as the client reaches it.
    let ledger: RemoteLedgerAccess
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(url: String, client: RemitHTTPClient, ledger: RemoteLedgerAccess, group: ServiceGroup, task: Task<Void, any Error>) {
        self.url = url
        self.client = client
        self.ledger = ledger
        self.group = group
        self.task = task
    }

    /// Starts serving `ledger` and `owners` and connects a client keeping up to `connections` open.
    static func start(ledger: Ledger, owners: [ModelOwner], operatorKey: SigningKey, connections: Int) async throws(RemitError) -> LoopbackMarket {
        var settings = MarketConfig.Server()
        settings.host = "127.0.0.1"
        settings.port = 0
        settings.ratePerPayer = 1_000_000_000
        settings.requestTimeoutSeconds = 3_600
        settings.maxBodyBytes = 64 << 20
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = RemitHTTPServer(
            market: ServedMarket(ledger: ledger, owners: owners, operatorKey: operatorKey), settings: settings,
            logger: Logger(label: "remit.sim.http"), maintenanceInterval: .seconds(365 * 86_400),
            onListening: { _, port in continuation.yield(port) }
        )
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: Logger(label: "remit.sim.http")))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            let failure: String = switch await task.result {
            case .failure(let error): "\(error)"
            case .success: "it stopped before listening"
            }
            throw RemitError(.simulationFailed, "cannot start the loopback server for --over-http: \(failure)")
        }
        let url = "http://127.0.0.1:\(port)"
        let client = RemitHTTPClient(baseURL: url, connections: max(1, connections), timeoutSeconds: 3_600)
        do throws(RemitError) {
            let ledger = try await RemoteLedgerAccess.connect(client)
            return LoopbackMarket(url: url, client: client, ledger: ledger, group: group, task: task)
        } catch {
            await client.shutdown()
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw error
        }
    }

    /// The model `id` as agents reach it over HTTP.
    func endpoint(_ id: ModelID) -> RemoteModelEndpoint { RemoteModelEndpoint(client: client, model: id) }

    /// Asks the payee of `channel` to close it cooperatively (`POST /v1/channels/{id}/close`).
    func close(channel: ChannelID) async throws(RemitError) {
        _ = try await client.call("POST", "/v1/channels/\(channel.hex)/close", as: HTTPBodies.ChannelView.self)
    }

    /// Closes the client's connections, then shuts the server down gracefully (requests in
    /// flight finish) and waits for it to stop.
    func stop() async throws(RemitError) {
        await client.shutdown()
        await group.triggerGracefulShutdown()
        if case .failure(let error) = await task.result {
            throw RemitError(.simulationFailed, "the loopback server failed: \(error)")
        }
    }
}
