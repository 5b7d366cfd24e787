import Foundation
import RemitCore
import RemitCrypto
import RemitLedger
import RemitRuntime

/// Collects a simulation's figures from the receipts agents accept, splitting each price with
/// the ledger's own rule (``Settlement/shares(price:split:coverageBps:weights:)``) so the
/// earnings it reports are what settlement pays.
struct MetricsCollector {
    let world: World
    var steps: [StepMetrics] = []
    var contributorUnits: [PublicKey: Int64] = [:]
    var ownerUnits: [PublicKey: Int64] = [:]
    var treasuryUnits: Int64 = 0
    var totalPayments = 0
    var totalVolumeUnits: Int64 = 0
    var totalRefusals = 0
    var refusalCodes: [String: Int] = [:]
    /// Credits from each agent population to each model, and from each model to each receiver group.
    var flows: [String: [String: Int64]] = [:]
    var servedInStep: [ModelID: Int] = [:]

    init(world: World) { self.world = world }

    mutating func record(step: Int, time: UInt64, results: [AgentStepResult], prices: [String: Double]) {
        var payments = 0
        var volume: Int64 = 0
        var refusals = 0
        var byModel: [String: Int] = [:]
        servedInStep = [:]
        for result in results {
            refusals += result.refusals.count
            for code in result.refusals { refusalCodes[code, default: 0] += 1 }
            for receipt in result.receipts {
                guard let model = world.models[receipt.model] else { continue }
                payments += 1
                volume += receipt.price.units
                byModel[model.spec.name, default: 0] += 1
                servedInStep[receipt.model, default: 0] += 1
                flows[result.population, default: [:]][model.spec.name, default: 0] += receipt.price.units
                let shares = Settlement.shares(price: receipt.price, split: model.spec.revenue.split, coverageBps: receipt.coverageBps,
                                               weights: receipt.attribution.map(\.weightBps))
                ownerUnits[model.owner.key.publicKey, default: 0] += shares.owner
                treasuryUnits += shares.treasury
                flows[model.spec.name, default: [:]]["owners", default: 0] += shares.owner
                flows[model.spec.name, default: [:]]["treasury", default: 0] += shares.treasury
                for (entry, part) in zip(receipt.attribution, shares.contributors) {
                    contributorUnits[entry.contributor, default: 0] += part
                    let kind = world.contributors[entry.contributor]?.kind.rawValue ?? "unknown"
                    flows[model.spec.name, default: [:]]["\(kind) contributors", default: 0] += part
                }
            }
        }
        totalPayments += payments
        totalVolumeUnits += volume
        totalRefusals += refusals
        let earnings = world.contributors.keys.map { Double(contributorUnits[$0] ?? 0) }
        let total = earnings.reduce(0, +)
        let spam = world.contributors.values.filter { $0.kind == .spam || $0.kind == .adversarial }
            .reduce(0.0) { $0 + Double(contributorUnits[$1.key] ?? 0) }
        steps.append(StepMetrics(
            step: step, time: time, payments: payments, volume: Double(volume) / 1e9,
            averagePrice: payments == 0 ? 0 : Double(volume) / Double(payments) / 1e9, refusals: refusals, prices: prices,
            queriesByModel: byModel, contributorEarnings: total / 1e9, ownerEarnings: Double(ownerUnits.values.reduce(0, +)) / 1e9,
            treasuryEarnings: Double(treasuryUnits) / 1e9, gini: gini(earnings), spamShare: total == 0 ? 0 : spam / total
        ))
    }

    func contributorTable() -> [ContributorEarning] {
        world.contributors.values.map { c in
            ContributorEarning(account: AccountID(c.key).description, label: c.label, kind: c.kind.rawValue, datanet: c.datanet,
                               contributions: c.accepted, earned: Double(contributorUnits[c.key] ?? 0) / 1e9, settled: nil)
        }.sorted { $0.earned != $1.earned ? $0.earned > $1.earned : $0.account < $1.account }
    }

    func flowList() -> [Flow] {
        flows.flatMap { from, targets in targets.map { Flow(from: from, to: $0.key, credits: Double($0.value) / 1e9) } }
            .sorted { ($0.from, $0.to) < ($1.from, $1.to) }
    }
}

/// What one agent did in one step.
struct AgentStepResult: Sendable {
    var population: String
    var receipts: [Receipt] = []
    var refusals: [String] = []
}
