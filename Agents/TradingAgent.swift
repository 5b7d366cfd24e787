import Foundation
public import RemitCore
import RemitInference
public import RemitRuntime

/// Paper-trades a price series on signals bought per query from priced nearest-neighbour
/// models: at each step it asks every signal model it can afford for the direction of the next
/// return from the last five returns, goes long or short one notional on the majority, and
/// books the return. It reports profit and loss net of signal fees, and which signal sources
/// paid off (hit rate and what following each alone would have earned).
///
/// The series is synthetic and seeded (``PriceSeries``, an AR(1) process), not market data;
/// profit and loss are in credits per `notional`, computed in floating point for the report;
/// fees are the exact amounts the receipts charged.
public struct TradingAgent: Agent {
    public let name: String
    /// Seed of the price series the trader sees (use a seed other than the training data's).
    public var seed: UInt64
    /// Steps to trade.
    public var steps: Int
    /// Credits at stake per trade.
    public var notional: Double
    /// Tags signal models must have.
    public var tags: Set<String>
    /// Where to write the report (Markdown).
    public var reportPath: String?
    /// The last run's result.
    public let lastResult = TradingResultBox()

    /// A trading agent.
    public init(name: String = "trading", seed: UInt64 = 2_026, steps: Int = 50, notional: Double = 1, tags: Set<String> = [], reportPath: String? = nil) {
        self.name = name
        self.seed = seed
        self.steps = steps
        self.notional = notional
        self.tags = tags
        self.reportPath = reportPath
    }

    public func run(context: AgentContext) async throws {
        let signalModels = await context.discover(tags: tags).filter { $0.listing.message.kind == "knn-classify" || $0.listing.message.kind == "knn-regress" }
        guard !signalModels.isEmpty else {
            throw RemitError(.directoryNoModel, "no nearest-neighbour signal model is listed\(tags.isEmpty ? "" : " with tags \(tags.sorted())")")
        }
        let returns = PriceSeries.returns(seed: seed, count: steps + 6)
        var result = TradingResult(agent: name, steps: 0, sources: signalModels.map { TradingResult.Source(model: $0.listing.message.name) })
        for step in 0..<steps {
            try Task.checkCancellation()
            let t = step + 5
            let features = returns[(t - 5)..<t].map(PriceSeries.bps)
            let next = returns[t]
            var votes = 0
            for (index, candidate) in signalModels.enumerated() {
                do {
                    let paid = try await context.query(candidate.listing.message.model, .features(features))
                    let direction = TradingAgent.direction(of: paid.answer.output)
                    result.sources[index].queries += 1
                    result.sources[index].fees = try result.sources[index].fees.adding(paid.receipt.receipt.price)
                    if direction != 0 {
                        if (direction > 0) == (next >= 0) { result.sources[index].hits += 1 }
                        result.sources[index].pnlAlone += Double(direction) * next * notional
                    }
                    votes += direction
                } catch {
                    result.sources[index].refusals += 1
                }
            }
            let position = votes > 0 ? 1 : (votes < 0 ? -1 : 0)
            result.grossPnL += Double(position) * next * notional
            if position != 0 { result.trades += 1 }
            result.steps += 1
        }
        result.fees = try Amount.sum(result.sources.map(\.fees))
        lastResult.set(result)
        if let reportPath {
            guard FileManager.default.createFile(atPath: reportPath, contents: Data(result.markdown().utf8)) else {
                throw RemitError(.runtimeIO, "cannot write the trading report to \(reportPath)")
            }
        }
        context.note(String(format: "traded %d steps: gross %.6f credits, fees %@, net %.6f", result.steps, result.grossPnL, result.fees.description, result.netPnL))
    }

    /// +1 for an up signal, -1 for down, 0 for none: "up"/"down" labels, or the sign of a predicted return.
    static func direction(of output: String) -> Int {
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if text == "up" { return 1 }
        if text == "down" { return -1 }
        if let value = Double(text.split(separator: " ").first ?? "") { return value > 0 ? 1 : (value < 0 ? -1 : 0) }
        return 0
    }
}

/// A trading run's outcome.
public struct TradingResult: Sendable {
    /// One signal source.
    public struct Source: Sendable {
        /// The model's name.
        public var model: String
        /// Signals bought.
        public var queries = 0
        /// Signals whose direction matched the next return.
        public var hits = 0
        /// Queries refused (policy, budget, bad receipt).
        public var refusals = 0
        /// Exact fees paid.
        public var fees = Amount.zero
        /// What following this source alone would have earned (credits, gross).
        public var pnlAlone = 0.0
    }

    /// The agent.
    public var agent: String
    /// Steps traded.
    public var steps: Int
    /// Steps with a position.
    public var trades = 0
    /// The sources.
    public var sources: [Source]
    /// Profit and loss before fees (credits).
    public var grossPnL = 0.0
    /// Every signal fee paid.
    public var fees = Amount.zero

    /// Profit and loss after fees.
    public var netPnL: Double { grossPnL - Double(fees.units) / 1e9 }

    /// The report.
    public func markdown() -> String {
        var out = "# Trading report (paper trading on a synthetic, seeded price series)\n\n"
        out += "Agent `\(agent)`: \(steps) steps, \(trades) trades.\n\n"
        out += String(format: "- gross P&L: %.6f credits\n- signal fees: %@ credits\n- **net P&L: %.6f credits**\n\n", grossPnL, fees.description, netPnL)
        out += "| signal source | signals | hit rate | fees | P&L following it alone | net of its fees | paid off |\n|---|---|---|---|---|---|---|\n"
        for source in sources {
            let rate = source.queries == 0 ? 0 : Double(source.hits) / Double(source.queries)
            let net = source.pnlAlone - Double(source.fees.units) / 1e9
            out += String(format: "| %@ | %d | %.1f%% | %@ | %.6f | %.6f | %@ |\n", source.model, source.queries, rate * 100,
                          source.fees.description, source.pnlAlone, net, net > 0 ? "yes" : "no")
        }
        return out
    }
}

/// Holds a trading result produced during a run.
public final class TradingResultBox: Sendable {
    private let storage = ResultStorage<TradingResult>()

    /// An empty box.
    public init() {}

    func set(_ result: TradingResult) { storage.set(result) }

    /// The result, once the run finished.
    public var result: TradingResult? { storage.get() }
}
