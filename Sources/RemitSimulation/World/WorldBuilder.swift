import Foundation
import Logging
import RemitChannels
public import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime

/// Builds a ``World`` from a scenario, always in the same order with the same derived keys,
/// texts and nonces, so the ledger it produces is the same entry for entry.
public enum WorldBuilder {
    /// Builds the world in `folder` (its ledger, datanets and models are replaced). With
    /// `overHTTP`, the ledger and model owners are served on a loopback port once the models are
    /// listed, and the agents' wallets reach them through one client of up to `connections`
    /// connections; stop it with ``World/stopServing()``.
    public static func build(
        _ scenario: Scenario, in folder: String, eventLog: Bool, overHTTP: Bool = false, connections: Int = 8,
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws(RemitError) -> World {
        let fm = FileManager.default
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        for name in ["remit.ledger", "remit.ledger-wal", "remit.ledger-shm", "datanets", "models", "events.jsonl"] {
            try? fm.removeItem(atPath: path(name))
        }
        do {
            try fm.createDirectory(atPath: path("datanets"), withIntermediateDirectories: true)
        } catch {
            throw RemitError(.runtimeIO, "cannot create the simulation folder \(folder): \(error)")
        }
        let seed = scenario.seed
        let clock = VirtualClock(start: World.epoch)
        let operatorKey = SimKeys.key(seed: seed, "operator")
        let ledger = try await Ledger.create(
            store: try SQLiteLedgerStore(path: path("remit.ledger")), operatorKey: operatorKey.publicKey, supply: scenario.supply,
            clock: clock, nonce: BLAKE2b.hash(Array("remit-sim/\(seed)/ledger".utf8))
        )
        let access = LocalLedgerAccess(ledger: ledger)
        var funding = Funding(ledger: ledger, operatorKey: operatorKey)
        let log = eventLog ? try EventLog(path: path("events.jsonl")) : nil

        progress("building \(scenario.datanets.count) datanet(s)")
        let text = TextGenerator(seed: seed)
        var contributors: [PublicKey: World.Contributor] = [:]
        var snapshots: [String: DatanetSnapshot] = [:]
        var refused: [String: Int] = [:]
        var removed: [String: Int] = [:]
        for (index, spec) in scenario.datanets.enumerated() {
            let built = try await DatanetBuilder.build(spec, index: index, seed: seed, text: text, folder: path("datanets/\(spec.name)"),
                                                       ledger: ledger.id, clock: clock, funding: &funding)
            for contributor in built.contributors { contributors[contributor.key] = contributor }
            refused[spec.name] = built.refusedDuplicates
            removed[spec.name] = built.removed
            try await funding.flush()
            _ = try await access.register(datanetMessages: await built.datanet.ledgerMessages())
            snapshots[spec.name] = try await built.datanet.snapshot()
        }

        progress("building \(scenario.owners.flatMap(\.models).count) model(s)")
        let host = ModelHost(budgetBytes: 4 << 30, logger: Logger(label: "remit.sim.models"))
        var models: [ModelID: World.HostedModel] = [:]
        var order: [ModelID] = []
        var owners: [ModelOwner] = []
        for (ownerIndex, spec) in scenario.owners.enumerated() {
            let owner: ModelOwner
            do {
                owner = try ModelOwner(key: SimKeys.key(seed: seed, "owner", ownerIndex), ledger: access, bookPath: nil, host: host)
            } catch {
                throw RemitError(.simulationFailed, "cannot open owner \(spec.name)'s book: \(error)")
            }
            owners.append(owner)
            for model in spec.models {
                guard let kind = ModelKind(rawValue: model.kind), let snapshot = snapshots[model.datanet] else {
                    throw RemitError(.simulationFailed, "model \(model.name): unknown kind or datanet")
                }
                let modelFolder = path("models/\(model.name)")
                _ = try await ModelFactory.build(kind: kind, name: model.name, snapshots: [snapshot], params: model.params, into: modelFolder)
                let listing = try await owner.list(folder: modelFolder, policy: model.revenue, tags: [model.kind, model.datanet])
                let id = listing.message.model
                models[id] = World.HostedModel(spec: model, owner: owner, id: id, endpoint: LocalModelEndpoint(owner: owner, model: id))
                order.append(id)
            }
        }

        var http: LoopbackMarket?
        if overHTTP {
            progress("serving the ledger and \(order.count) model(s) on a loopback port")
            http = try await LoopbackMarket.start(ledger: ledger, owners: owners, operatorKey: operatorKey, connections: connections)
        }
        progress("funding and opening channels for \(scenario.agents.reduce(0) { $0 + $1.count }) agent(s)")
        let agents: [World.SimAgent]
        do {
            agents = try await AgentBuilder.build(scenario, models: models, order: order, access: access, clock: clock, log: log, funding: &funding,
                                                  http: http)
        } catch {
            try? await http?.stop()
            throw error
        }
        return World(
            scenario: scenario, clock: clock, ledger: ledger, access: access, operatorKey: operatorKey, contributors: contributors,
            models: models, modelOrder: order, agents: agents, refusedDuplicates: refused, removed: removed, log: log, http: http
        )
    }
}

/// Transfers from the treasury, signed with rising nonces and submitted in batches (the ledger
/// checks their signatures in parallel).
struct Funding {
    let ledger: Ledger
    let operatorKey: SigningKey
    var nonce: UInt64 = 0
    var pending: [LedgerOperation] = []

    init(ledger: Ledger, operatorKey: SigningKey) {
        self.ledger = ledger
        self.operatorKey = operatorKey
    }

    mutating func pay(_ key: PublicKey, _ amount: Amount, memo: String) {
        guard amount > .zero else { return }
        nonce += 1
        pending.append(.transfer(Signed(signing: Transfer(ledger: ledger.id, from: operatorKey.publicKey, to: key, amount: amount, nonce: nonce, memo: memo),
                                        with: operatorKey)))
    }

    mutating func flush() async throws(RemitError) {
        var start = 0
        while start < pending.count {
            let batch = Array(pending[start..<min(start + 4_096, pending.count)])
            for result in try await ledger.submit(batch) {
                if case .failure(let error) = result { throw RemitError(.simulationFailed, "funding failed: \(error.message)", cause: error) }
            }
            start += 4_096
        }
        pending = []
    }
}
