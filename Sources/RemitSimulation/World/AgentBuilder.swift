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
enum AgentBuilder {
    static func kinds(for agent: AgentSpec.Kind) -> Set<String> {
        switch agent {
        case .research: ["bm25", "infinigram", "span-trace"]
        case .trading: ["knn-classify", "knn-regress"]
        }
    }

    static func build(
        _ scenario: Scenario, models: [ModelID: World.HostedModel], order: [ModelID], access: LocalLedgerAccess, clock: VirtualClock,
        log: EventLog?, funding: inout Funding
    ) async throws(RemitError) -> [World.SimAgent] {
        let seed = scenario.seed
        var agents: [World.SimAgent] = []
        var keys: [SigningKey] = []
        for spec in scenario.agents {
            for index in 0..<spec.count {
                let key = SimKeys.key(seed: seed, "agent/\(spec.name)", index)
                keys.append(key)
                funding.pay(key.publicKey, spec.funds, memo: "agent funds")
            }
        }
        try await funding.flush()
        var next = 0
        var opens: [(agent: Int, open: Signed<ChannelOpen>, endpoint: LocalModelEndpoint)] = []
        for spec in scenario.agents {
            let eligible = order.filter { kinds(for: spec.kind).contains(models[$0]!.spec.kind) }
            guard !eligible.isEmpty else {
                throw RemitError(.scenarioInvalid, "agents \(spec.name) (\(spec.kind.rawValue)) have no model of a kind they use (\(kinds(for: spec.kind).sorted().joined(separator: ", ")))")
            }
            var policy = spec.policy
            if policy.total == nil { policy.total = spec.funds }
            let payees = Array(Set(eligible.map { models[$0]!.owner.key.publicKey })).sorted()
            for index in 0..<spec.count {
                let key = keys[next]
                next += 1
                let name = "\(spec.name)-\(index)"
                let wallet: Wallet
                do {
                    wallet = try await Wallet(
                        key: key, ledger: access, bookPath: nil, policy: policy, directory: Directory(ledger: access.ledgerID),
                        events: EventSink(agent: name, log: log, buffer: 1), scheme: scenario.payments == .tick ? .tick : .voucher,
                        chainSeeds: .derived(secret: BLAKE2b.hash(Array("remit-sim/\(seed)/chains/\(name)".utf8)).bytes)
                    )
                } catch {
                    throw RemitError(.simulationFailed, "cannot open the wallet of \(name): \(error)")
                }
                for id in eligible { try await wallet.add(endpoint: models[id]!.endpoint) }
                // One channel per payee, the funds spread over them.
                let deposit = Amount(uncheckedUnits: spec.funds.units * 9 / 10 / Int64(payees.count))
                for payee in payees {
                    let owned = eligible.filter { models[$0]!.owner.key.publicKey == payee }
                    let unit = owned.map { models[$0]!.spec.revenue.pricePerQuery }.min() ?? deposit
                    let tickUnit = Amount(uncheckedUnits: max(1, unit.units))
                    let open = try await wallet.book.prepareOpen(
                        payee: payee, deposit: deposit, expiresAt: clock.now() + max(policy.channelLifetimeSeconds, scenario.duration + 86_400),
                        challengePeriod: 600, tickUnit: scenario.payments == .tick ? tickUnit : nil,
                        tickLength: scenario.payments == .tick ? UInt64(max(1, deposit.units / tickUnit.units)) : 0
                    )
                    opens.append((agents.count, open, models[owned[0]]!.endpoint))
                }
                agents.append(World.SimAgent(name: name, spec: spec, index: index, wallet: wallet, models: eligible))
            }
        }
        // Open every channel on the ledger in batches (signatures checked in parallel), then
        // register each with its payee.
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
        for item in opens { try await item.endpoint.register(channel: item.open) }
        return agents
    }
}
