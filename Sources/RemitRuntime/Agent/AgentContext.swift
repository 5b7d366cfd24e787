public import Logging
public import RemitCore
public import RemitInference
import RemitLedger

/// Everything an agent may use: discovery, quotes, paid queries, its wallet and budget, a clock
/// (real or simulated), a logger and its event stream.
public struct AgentContext: Sendable {
    /// The agent's name.
    public let name: String
    /// The agent's wallet (channels, receipts, policy).
    public let wallet: Wallet
    /// Time: wall clock in a deployment, virtual in a simulation.
    public let clock: any AgentClock
    /// A logger labelled with the agent's name.
    public let logger: Logger
    let sink: EventSink

    /// Creates a context.
    public init(name: String, wallet: Wallet, clock: any AgentClock, logger: Logger, sink: EventSink) {
        self.name = name
        self.wallet = wallet
        self.clock = clock
        self.logger = logger
        self.sink = sink
    }

    /// The agent's events (quotes, payments, receipts, refusals, channels), in order.
    public var events: AsyncStream<AgentEvent> { sink.stream }

    /// Listed models with every tag in `tags`, of `kind` when given, quoting at most `maxPrice`
    /// per query, best first (price, latency, reputation).
    public func discover(tags: Set<String> = [], kind: ModelKind? = nil, maxPrice: Amount? = nil) async -> [Directory.Ranked] {
        await wallet.directory.search(tags: tags, kind: kind?.rawValue, maxPrice: maxPrice, now: clock.now())
    }

    /// The most `request` may cost at `model` (what a payment must cover).
    public func quote(_ model: ModelID, _ request: ModelRequest) async throws(RemitError) -> Amount {
        guard let listing = await wallet.directory.listing(model, now: clock.now()) else {
            throw RemitError(.directoryNoModel, "no fresh listing for model \(model)")
        }
        return try Pricing.quote(request, listing: listing.message)
    }

    /// Asks `model` and pays for the answer (see ``Wallet/query(model:request:)``).
    public func query(_ model: ModelID, _ request: ModelRequest) async throws(RemitError) -> PaidAnswer {
        try await wallet.query(model: model, request: request)
    }

    /// Asks the best listed model that takes `request` (and has every tag in `tags`) and pays.
    /// Models the wallet has stopped trusting, or that the policy refuses, are skipped.
    public func ask(_ request: ModelRequest, tags: Set<String> = []) async throws(RemitError) -> (model: Directory.Ranked, answer: PaidAnswer) {
        let kinds = Set(request.acceptedKinds.map(\.rawValue))
        let candidates = await discover(tags: tags).filter { kinds.contains($0.listing.message.kind) }
        var lastError = RemitError(.directoryNoModel, "no listed model takes this request (kinds \(kinds.sorted().joined(separator: ", ")), tags \(tags.sorted()))")
        for candidate in candidates {
            do {
                return (candidate, try await query(candidate.listing.message.model, request))
            } catch {
                lastError = error
                if error.code == .policyRefused || error.code == .walletUntrustedModel || error.code == .walletBadReceipt { continue }
                throw error
            }
        }
        throw lastError
    }

    /// What has been spent and what is left under the policy.
    public func budget() async -> Budget {
        Budget(spent: await wallet.policy.spent, reserved: await wallet.policy.reserved, remaining: await wallet.policy.remaining)
    }

    /// Records a note in the event log (progress, a finding).
    public func note(_ text: String) {
        sink.emit(AgentEvent(time: clock.now(), agent: name, kind: .note, message: text))
        logger.info("\(text)")
    }
}

/// An agent's spending against its policy.
public struct Budget: Sendable, Hashable {
    /// Charged by receipts.
    public var spent: Amount
    /// Held by queries in flight.
    public var reserved: Amount
    /// Left under the total cap (nil when there is none).
    public var remaining: Amount?
}
