import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime

/// Creates the agents: derived keys, funds from the treasury, in-memory wallets that know the
/// models their kind uses, and one channel per payee opened up front in a fixed order (no ledger
/// write happens while agents run in parallel, so the ledger replays exactly).
///
/// Over HTTP (`http` given), each wallet reaches the ledger and the models through the loopback
/// server (its time still the virtual clock) and registers its channels with the payees over
/// HTTP; only the opening of the channels on the ledger stays in process, submitted in batches
/// exactly as without HTTP, so both runs write the same entries in the same order.
enum AgentBuilder {
    static func kinds(for agent: AgentSpec.Kind) -> Set<String> {
        switch agent {
        case .research: ["bm25", "infinigram", "span-trace"]
        case .trading: ["knn-classify", "knn-regress"]
        }
    }

    static func build(
        _ scenario: Scenario, models: [ModelID: World.HostedModel], order: [ModelID], access: LocalLedgerAccess, clock: VirtualClock,
        log: EventLog?, funding: inout Funding, http: LoopbackMarket? = nil
    ) async throws(RemitError) -> [World.SimAgent] {
        let seed = scenario.seed
        var keys: [SigningKey] = []
        for spec in scenario.agents {
            for index in 0..<spec.count {
                let key = SimKeys.key(seed: seed, "agent/\(spec.name)", index)
                keys.append(key)
                funding.pay(key.publicKey, spec.funds, memo: "agent funds")
            }
        }
        try await funding.flush()
        // What each agent gets, in agent order; the wallets are then made in parallel (each is
        // independent and everything in it is derived from the seed), and the opens collected in
        // agent order, so the ledger is the same whatever ran first.
        struct Plan: Sendable {
            var spec: AgentSpec
            var index: Int
            var key: SigningKey
            var name: String
            var policy: SpendingPolicy
            var eligible: [ModelID]
            var payees: [PublicKey]
        }
        var planned: [Plan] = []
        var next = 0
        for spec in scenario.agents {
            let eligible = order.filter { kinds(for: spec.kind).contains(models[$0]!.spec.kind) }
            guard !eligible.isEmpty else {
                throw RemitError(.scenarioInvalid, "agents \(spec.name) (\(spec.kind.rawValue)) have no model of a kind they use (\(kinds(for: spec.kind).sorted().joined(separator: ", ")))")
            }
            var policy = spec.policy
            if policy.total == nil { policy.total = spec.funds }
            let payees = Array(Set(eligible.map { models[$0]!.owner.key.publicKey })).sorted()
            for index in 0..<spec.count {
                planned.append(Plan(spec: spec, index: index, key: keys[next], name: "\(spec.name)-\(index)", policy: policy, eligible: eligible, payees: payees))
                next += 1
            }
        }
        // What wallets talk to: the world in process, or the loopback server.
        let walletLedger: any LedgerAccess = http.map { VirtualTimeLedgerAccess(remote: $0.ledger, clock: clock) } ?? access
        @Sendable func endpoint(_ id: ModelID) -> any ModelEndpoint {
            if let http { return http.endpoint(id) }
            return models[id]!.endpoint
        }
        typealias Made = (agent: World.SimAgent, opens: [(open: Signed<ChannelOpen>, endpoint: any ModelEndpoint)])
        @Sendable func make(_ plan: Plan) async throws -> Made {
            let wallet = try await openWallet(
                key: plan.key, name: plan.name, access: walletLedger, policy: plan.policy, log: log, tick: scenario.payments == .tick,
                chainSecret: BLAKE2b.hash(Array("remit-sim/\(seed)/chains/\(plan.name)".utf8)).bytes
            )
            for id in plan.eligible { try await wallet.add(endpoint: endpoint(id)) }
            // One channel per payee, the funds spread over them.
            let deposit = Amount(uncheckedUnits: plan.spec.funds.units * 9 / 10 / Int64(plan.payees.count))
            var opens: [(open: Signed<ChannelOpen>, endpoint: any ModelEndpoint)] = []
            for payee in plan.payees {
                let owned = plan.eligible.filter { models[$0]!.owner.key.publicKey == payee }
                let unit = owned.map { models[$0]!.spec.revenue.pricePerQuery }.min() ?? deposit
                let tickUnit = Amount(uncheckedUnits: max(1, unit.units))
                let open = try await wallet.book.prepareOpen(
                    payee: payee, deposit: deposit, expiresAt: clock.now() + max(plan.policy.channelLifetimeSeconds, scenario.duration + 86_400),
                    challengePeriod: 600, tickUnit: scenario.payments == .tick ? tickUnit : nil,
                    tickLength: scenario.payments == .tick ? UInt64(max(1, deposit.units / tickUnit.units)) : 0
                )
                opens.append((open, endpoint(owned[0])))
            }
            return (World.SimAgent(name: plan.name, spec: plan.spec, index: plan.index, wallet: wallet, models: plan.eligible), opens)
        }
        let plans = planned
        var made = [Made?](repeating: nil, count: plans.count)
        // Over HTTP a wallet mostly waits on the server (its listings): keep more of them going.
        let workers = max(2, ProcessInfo.processInfo.activeProcessorCount) * (http == nil ? 1 : 4)
        do {
        try await withThrowingTaskGroup(of: (Int, Made).self) { group in
            var launched = 0
            for _ in 0..<min(workers, plans.count) {
                let i = launched
                group.addTask { (i, try await make(plans[i])) }
                launched += 1
            }
            while let (i, result) = try await group.next() {
                made[i] = result
                if launched < plans.count {
                    let j = launched
                    group.addTask { (j, try await make(plans[j])) }
                    launched += 1
                }
            }
        }
        } catch let error as RemitError {
            throw error
        } catch {
            throw RemitError(.simulationFailed, "cannot build the agents: \(error)")
        }
        var agents: [World.SimAgent] = []
        var opens: [(agent: Int, open: Signed<ChannelOpen>, endpoint: any ModelEndpoint)] = []
        for item in made {
            let (agent, agentOpens) = item!
            for (open, endpoint) in agentOpens { opens.append((agents.count, open, endpoint)) }
            agents.append(agent)
        }
        // Open every channel on the ledger in batches (signatures checked in parallel), then
        // register each with its payee (over HTTP too when the wallets are remote: registering
        // writes nothing to the ledger, so it may run concurrently).
        var start = 0
        while start < opens.count {
            let batch = Array(opens[start..<min(start + 2_048, opens.count)])
            for (item, result) in zip(batch, try await access.ledger.submit(batch.map { .openChannel($0.open) })) {
                if case .failure(let error) = result {
                    throw RemitError(.simulationFailed, "agent \(agents[item.agent].name) could not open a channel: \(error.message)", cause: error)
                }
            }
            start += 2_048
        }
        try await register(opens.map { ($0.open, $0.endpoint) }, concurrency: http == nil ? 1 : workers)
        return agents
    }

    /// Tells each payee about its channel, `concurrency` at a time.
    static func register(_ opens: [(open: Signed<ChannelOpen>, endpoint: any ModelEndpoint)], concurrency: Int) async throws(RemitError) {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                func launch() {
                    guard next < opens.count else { return }
                    let item = opens[next]
                    next += 1
                    group.addTask { try await item.endpoint.register(channel: item.open) }
                }
                for _ in 0..<max(1, concurrency) { launch() }
                while try await group.next() != nil { launch() }
            }
        } catch let error as RemitError {
            throw error
        } catch {
            throw RemitError(.simulationFailed, "a payee could not register a channel: \(error)")
        }
    }

    /// An in-memory wallet for a simulated agent.
    static func openWallet(
        key: SigningKey, name: String, access: any LedgerAccess, policy: SpendingPolicy, log: EventLog?, tick: Bool, chainSecret: [UInt8]
    ) async throws(RemitError) -> Wallet {
        do {
            return try await Wallet(
                key: key, ledger: access, bookPath: nil, policy: policy, directory: Directory(ledger: access.ledgerID),
                events: EventSink(agent: name, log: log, buffer: 1), scheme: tick ? .tick : .voucher, chainSeeds: .derived(secret: chainSecret)
            )
        } catch {
            throw RemitError(.simulationFailed, "cannot open the wallet of \(name): \(error)")
        }
    }
}
