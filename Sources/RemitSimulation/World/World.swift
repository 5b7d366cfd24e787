import Foundation
import Logging
import RemitChannels
public import RemitCore
public import RemitCrypto
import RemitInference
import Synchronization
public import RemitLedger
public import RemitRuntime

/// Everything a simulation runs on, built from a scenario in a fixed order so that it replays
/// exactly: the ledger, datanets with their contributors registered on it, models and their
/// owners, and the agents with funded wallets and their channels open.
public final class World: Sendable {
    /// What kind of contributor someone is (for metrics: how much reaches spam).
    public enum ContributorClass: String, Sendable, Codable, CaseIterable {
        case honest, spam, duplicate, adversarial
    }

    /// A contributor.
    public struct Contributor: Sendable {
        /// Their key.
        public let key: PublicKey
        /// Label written on their contributions.
        public let label: String
        /// Their class.
        public let kind: ContributorClass
        /// The datanet they contribute to.
        public let datanet: String
        /// Contributions accepted (after duplicates refused and curation).
        public var accepted: Int
    }

    /// A hosted model.
    public struct HostedModel: Sendable {
        /// The scenario's spec.
        public let spec: ModelSpec
        /// Its owner.
        public let owner: ModelOwner
        /// Its id.
        public let id: ModelID
        /// Its endpoint.
        public let endpoint: LocalModelEndpoint
    }

    /// An agent.
    public struct SimAgent: Sendable {
        /// "population-index".
        public let name: String
        /// Its population.
        public let spec: AgentSpec
        /// Its index in the population.
        public let index: Int
        /// Its wallet.
        public let wallet: Wallet
        /// The models it may use.
        public let models: [ModelID]
        /// What it has asked each model: an agent does not pay twice for the same answer (and
        /// the payee would refuse the repeated request digest on the channel).
        let asked = AskedRequests()
    }

    /// Request digests an agent has paid for, per model.
    final class AskedRequests: Sendable {
        private let table = Mutex<[ModelID: Set<Digest32>]>([:])

        /// Records `digest` for `model`; false when it was asked before.
        func insert(_ digest: Digest32, model: ModelID) -> Bool {
            table.withLock { $0[model, default: []].insert(digest).inserted }
        }
    }

    /// The scenario.
    public let scenario: Scenario
    /// Simulated time.
    public let clock: VirtualClock
    /// The ledger.
    public let ledger: Ledger
    /// The ledger as agents reach it.
    public let access: LocalLedgerAccess
    /// The treasury's key.
    public let operatorKey: SigningKey
    /// Contributors by key.
    public let contributors: [PublicKey: Contributor]
    /// Models by id, in scenario order in `modelOrder`.
    public let models: [ModelID: HostedModel]
    /// Model ids in scenario order.
    public let modelOrder: [ModelID]
    /// Agents in scenario order.
    public let agents: [SimAgent]
    /// Contributions refused as duplicates, by datanet.
    public let refusedDuplicates: [String: Int]
    /// Contributions the curators removed, by datanet.
    public let removed: [String: Int]
    /// The event log, if one was asked for.
    public let log: EventLog?
    /// The loopback server the agents reach the world through, when the run is over HTTP.
    let http: LoopbackMarket?

    /// True when the agents reach the ledger and the models over HTTP.
    public var overHTTP: Bool { http != nil }

    init(
        scenario: Scenario, clock: VirtualClock, ledger: Ledger, access: LocalLedgerAccess, operatorKey: SigningKey,
        contributors: [PublicKey: Contributor], models: [ModelID: HostedModel], modelOrder: [ModelID], agents: [SimAgent],
        refusedDuplicates: [String: Int], removed: [String: Int], log: EventLog?, http: LoopbackMarket? = nil
    ) {
        self.scenario = scenario
        self.clock = clock
        self.ledger = ledger
        self.access = access
        self.operatorKey = operatorKey
        self.contributors = contributors
        self.models = models
        self.modelOrder = modelOrder
        self.agents = agents
        self.refusedDuplicates = refusedDuplicates
        self.removed = removed
        self.log = log
        self.http = http
    }

    /// Stops the loopback server, if the run is over HTTP: requests in flight finish first.
    public func stopServing() async throws(RemitError) {
        try await http?.stop()
    }

    /// The simulation epoch: 2026-01-01T00:00:00Z.
    public static let epoch: UInt64 = 1_767_225_600
}

extension RemitError.Code {
    /// A simulation that could not be built or run.
    public static let simulationFailed = Self("simulation.failed")
}
