import Foundation
public import RemitCore
import RemitCrypto
import RemitLedger
import RemitRuntime

/// A simulation's outcome: per-step figures, who earned what, value flows, and a summary with
/// the ledger's head hash (the same scenario and seed give the same head).
public struct SimulationResult: Sendable {
    /// The summary object (`remit simulate --json`).
    public struct Summary: Sendable, Codable {
        public var scenario: String
        public var seed: UInt64
        public var payments: String
        /// The agents reached the ledger and the models over HTTP (a loopback server), not in process.
        public var overHTTP: Bool
        /// Wall seconds in all (build, simulate, settle, verify).
        public var seconds: Double
        public var buildSeconds: Double
        public var simulateSeconds: Double
        public var settleSeconds: Double
        public var agents: Int
        public var contributors: Int
        public var models: Int
        public var steps: Int
        /// Paid queries (receipts accepted by agents).
        public var paidQueries: Int
        public var refusals: Int
        public var refusalCodes: [String: Int]
        /// Credits paid for queries.
        public var volume: Double
        public var contributorEarnings: Double
        public var ownerEarnings: Double
        public var treasuryEarnings: Double
        /// Gini coefficient of contributors' earnings.
        public var gini: Double
        /// Share of contributors' earnings that reached spam and keyword stuffing.
        public var spamShare: Double
        public var duplicatesRefused: Int
        public var contributionsRemoved: Int
        public var settledChannels: Int
        /// Payees' closing claims the ledger refused (those channels settle by the payer's close instead).
        public var refusedClaims: Int
        /// Contributors' earnings as computed from receipts equal what the ledger paid them.
        public var earningsMatchLedger: Bool
        public var ledgerHead: String
        public var ledgerEntries: UInt64
        public var ledgerVerified: Bool?
        public var supply: String
        /// Paid queries per wall second of the simulation phase.
        public var queriesPerSecond: Double
        /// Paid queries per wall second, whole run.
        public var queriesPerSecondOverall: Double

        /// JSON keys are snake_case (`paid_queries`, `ledger_head`, …).
        enum CodingKeys: String, CodingKey {
            case scenario
            case seed
            case payments
            case overHTTP = "over_http"
            case seconds
            case buildSeconds = "build_seconds"
            case simulateSeconds = "simulate_seconds"
            case settleSeconds = "settle_seconds"
            case agents
            case contributors
            case models
            case steps
            case paidQueries = "paid_queries"
            case refusals
            case refusalCodes = "refusal_codes"
            case volume
            case contributorEarnings = "contributor_earnings"
            case ownerEarnings = "owner_earnings"
            case treasuryEarnings = "treasury_earnings"
            case gini
            case spamShare = "spam_share"
            case duplicatesRefused = "duplicates_refused"
            case contributionsRemoved = "contributions_removed"
            case settledChannels = "settled_channels"
            case refusedClaims = "refused_claims"
            case earningsMatchLedger = "earnings_match_ledger"
            case ledgerHead = "ledger_head"
            case ledgerEntries = "ledger_entries"
            case ledgerVerified = "ledger_verified"
            case supply
            case queriesPerSecond = "queries_per_second"
            case queriesPerSecondOverall = "queries_per_second_overall"
        }
    }

    /// Wall-clock phases.
    public struct Timings: Sendable {
        var build: Double
        var simulate: Double
        var settle: Double
        var total: Double
    }

    /// Figures per step.
    public var steps: [StepMetrics]
    /// Every contributor's earnings, largest first.
    public var contributors: [ContributorEarning]
    /// Value flows.
    public var flows: [Flow]
    /// Owners' earnings by owner name.
    public var owners: [String: Double]
    /// The summary.
    public var summary: Summary

    static func make(world: World, metrics: MetricsCollector, settledChannels: Int, refusedClaims: Int, verification: VerificationReport?, timings: Timings) async throws(RemitError) -> SimulationResult {
        var contributors = metrics.contributorTable()
        var match = true
        var byAccount: [String: Int] = [:]
        for (index, row) in contributors.enumerated() { byAccount[row.account] = index }
        for contributor in world.contributors.values {
            let report = try await world.ledger.earnings(of: contributor.key)
            let settled = report.lines.filter { $0.role == .contributor }.reduce(Int64(0)) { $0 + $1.amount.units }
            let computed = metrics.contributorUnits[contributor.key] ?? 0
            if settled != computed { match = false }
            if let index = byAccount[AccountID(contributor.key).description] { contributors[index].settled = Double(settled) / 1e9 }
        }
        var owners: [String: Double] = [:]
        for (index, spec) in world.scenario.owners.enumerated() {
            let key = SimKeys.key(seed: world.scenario.seed, "owner", index).publicKey
            owners[spec.name] = Double(metrics.ownerUnits[key] ?? 0) / 1e9
        }
        let head = await world.ledger.head()
        let last = metrics.steps.last
        let summary = Summary(
            scenario: world.scenario.name, seed: world.scenario.seed, payments: world.scenario.payments.rawValue, overHTTP: world.overHTTP,
            seconds: timings.total, buildSeconds: timings.build, simulateSeconds: timings.simulate, settleSeconds: timings.settle, agents: world.agents.count,
            contributors: world.contributors.count, models: world.models.count, steps: metrics.steps.count, paidQueries: metrics.totalPayments,
            refusals: metrics.totalRefusals, refusalCodes: metrics.refusalCodes, volume: Double(metrics.totalVolumeUnits) / 1e9,
            contributorEarnings: last?.contributorEarnings ?? 0, ownerEarnings: last?.ownerEarnings ?? 0, treasuryEarnings: last?.treasuryEarnings ?? 0,
            gini: last?.gini ?? 0, spamShare: last?.spamShare ?? 0, duplicatesRefused: world.refusedDuplicates.values.reduce(0, +),
            contributionsRemoved: world.removed.values.reduce(0, +), settledChannels: settledChannels, refusedClaims: refusedClaims, earningsMatchLedger: match,
            ledgerHead: head.hash.hex, ledgerEntries: head.sequence, ledgerVerified: verification?.ok, supply: world.scenario.supply.description,
            queriesPerSecond: timings.simulate > 0 ? Double(metrics.totalPayments) / timings.simulate : 0,
            queriesPerSecondOverall: timings.total > 0 ? Double(metrics.totalPayments) / timings.total : 0
        )
        return SimulationResult(steps: metrics.steps, contributors: contributors, flows: metrics.flowList(), owners: owners, summary: summary)
    }

    /// Writes `metrics.csv`, `metrics.json`, `contributors.csv` and `summary.json` into `folder`.
    public func write(to folder: String) throws(RemitError) {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        let models = Array(Set(steps.flatMap { $0.prices.keys })).sorted()
        var csv = "step,time,payments,volume,average_price,refusals,contributor_earnings,owner_earnings,treasury_earnings,gini,spam_share"
        csv += models.map { ",price_\($0),queries_\($0)" }.joined() + "\n"
        for s in steps {
            csv += "\(s.step),\(s.time),\(s.payments),\(s.volume),\(s.averagePrice),\(s.refusals),\(s.contributorEarnings),\(s.ownerEarnings),"
            csv += "\(s.treasuryEarnings),\(s.gini),\(s.spamShare)"
            csv += models.map { ",\(s.prices[$0] ?? 0),\(s.queriesByModel[$0] ?? 0)" }.joined() + "\n"
        }
        var people = "account,label,kind,datanet,contributions,earned,settled\n"
        for c in contributors {
            people += "\(c.account),\"\(c.label)\",\(c.kind),\(c.datanet),\(c.contributions),\(c.earned),\(c.settled.map { "\($0)" } ?? "")\n"
        }
        struct Document: Encodable {
            var summary: Summary
            var steps: [StepMetrics]
            var owners: [String: Double]
            var flows: [Flow]
            var contributors: [ContributorEarning]
        }
        let json = MessageJSON.encode(Document(summary: summary, steps: steps, owners: owners, flows: flows, contributors: contributors))
        for (name, bytes) in [("metrics.csv", Array(csv.utf8)), ("contributors.csv", Array(people.utf8)), ("metrics.json", json),
                              ("summary.json", MessageJSON.encode(summary))] {
            guard FileManager.default.createFile(atPath: path(name), contents: Data(bytes)) else {
                throw RemitError(.runtimeIO, "cannot write \(path(name))")
            }
        }
    }
}
