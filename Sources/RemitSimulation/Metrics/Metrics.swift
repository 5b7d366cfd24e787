import Foundation
import RemitCore
import RemitCrypto
import RemitLedger

/// One step's figures (cumulative ones say so).
public struct StepMetrics: Sendable, Codable {
    /// Step number from 0.
    public var step: Int
    /// Virtual time at the step's start (Unix seconds).
    public var time: UInt64
    /// Paid queries in the step.
    public var payments: Int
    /// Credits paid in the step.
    public var volume: Double
    /// Mean price of a paid query in the step (credits).
    public var averagePrice: Double
    /// Queries refused in the step (policy, funds, receipts).
    public var refusals: Int
    /// Listed price per query of each model at the step (credits), by model name.
    public var prices: [String: Double]
    /// Paid queries per model in the step.
    public var queriesByModel: [String: Int]
    /// Earned by contributors so far (credits).
    public var contributorEarnings: Double
    /// Earned by model owners so far.
    public var ownerEarnings: Double
    /// Earned by the treasury so far.
    public var treasuryEarnings: Double
    /// Gini coefficient of contributors' earnings so far (every registered contributor counted).
    public var gini: Double
    /// Share of contributors' earnings so far that reached spam and keyword-stuffing contributors.
    public var spamShare: Double
}

/// What one contributor earned.
public struct ContributorEarning: Sendable, Codable {
    /// Account id.
    public var account: String
    /// Label (datanet and class).
    public var label: String
    /// Honest, spam, duplicate or adversarial.
    public var kind: String
    /// Datanet.
    public var datanet: String
    /// Contributions accepted.
    public var contributions: Int
    /// Credits earned (computed from the receipts with the ledger's split).
    public var earned: Double
    /// Credits the ledger paid as contributor earnings after settlement.
    public var settled: Double?
}

/// Value moving between groups: agents' populations → models → receivers.
public struct Flow: Sendable, Codable {
    /// Source node.
    public var from: String
    /// Target node.
    public var to: String
    /// Credits.
    public var credits: Double

    /// A flow of `credits` from `from` to `to`.
    public init(from: String, to: String, credits: Double) {
        self.from = from
        self.to = to
        self.credits = credits
    }
}

/// The Gini coefficient of non-negative values (0: equal; near 1: one holds everything).
public func gini(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let n = Double(sorted.count)
    let total = sorted.reduce(0, +)
    guard n > 0, total > 0 else { return 0 }
    var weighted = 0.0
    for (i, value) in sorted.enumerated() { weighted += Double(i + 1) * value }
    return (2 * weighted) / (n * total) - (n + 1) / n
}

/// Points of the Lorenz curve: cumulative share of people (x) against cumulative share of value (y).
public func lorenz(_ values: [Double], points: Int = 50) -> [(x: Double, y: Double)] {
    let sorted = values.sorted()
    let total = sorted.reduce(0, +)
    guard !sorted.isEmpty, total > 0 else { return [(0, 0), (1, 1)] }
    var out: [(Double, Double)] = [(0, 0)]
    var cumulative = 0.0
    let stride = max(1, sorted.count / points)
    for (i, value) in sorted.enumerated() {
        cumulative += value
        if (i + 1) % stride == 0 || i == sorted.count - 1 { out.append((Double(i + 1) / Double(sorted.count), cumulative / total)) }
    }
    return out
}
