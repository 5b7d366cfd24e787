import Foundation
import Logging
import RemitAgents
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import Testing

@Suite("Built-in agents in the runtime")
struct AgentTests {
    @Test("research and trading agents run side by side; reports cite contributors and fees; channels settle")
    func researchAndTrading() async throws {
        let market = try await Market()
        let signals = try await market.addSignals()
        let log = try EventLog(path: "\(market.folder)/runtime-events.jsonl")
        func hosted(_ agent: any Agent, key: UInt8, policy: SpendingPolicy) async throws -> AgentRuntime.Hosted {
            let sink = EventSink(agent: agent.name, log: log)
            try await market.fund(ProtocolVectors.key(key).publicKey, "50")
            let wallet = try await Wallet(key: ProtocolVectors.key(key), ledger: market.access, bookPath: "\(market.folder)/\(agent.name).sqlite",
                                          policy: policy, directory: Directory(ledger: market.ledger.id), events: sink)
            for listing in [market.qa, market.lm, signals] {
                try await wallet.add(endpoint: LocalModelEndpoint(owner: market.owner, model: listing.message.model))
            }
            return AgentRuntime.Hosted(agent: agent, wallet: wallet, events: sink)
        }
        let research = ResearchAgent(topic: "the weather", reportPath: "\(market.folder)/research.md")
        let trading = TradingAgent(seed: 99, steps: 30, tags: ["signals"], reportPath: "\(market.folder)/trading.md")
        let runtime = AgentRuntime(agents: [
            try await hosted(research, key: 0x50, policy: SpendingPolicy(name: "open")),
            try await hosted(trading, key: 0x51, policy: SpendingPolicy(name: "open")),
        ], clock: market.clock, log: log)
        try await runtime.run()
        #expect(runtime.results.allSatisfy { $0.error == nil }, "\(runtime.results.map { "\($0.agent): \($0.error.map { "\($0)" } ?? "ok")" })")

        let report = try #require(research.lastReport.text)
        #expect(report.contains("# Research report: the weather"))
        #expect(report.contains("Sources (credited contributors)"))
        #expect(report.contains("author 0"))  // the weather quotes are by contributor 0
        #expect(report.contains("Total spent: **"))
        #expect(FileManager.default.fileExists(atPath: "\(market.folder)/research.md"))

        let result = try #require(trading.lastResult.result)
        #expect(result.steps == 30)
        #expect(result.sources.count == 1)
        #expect(result.sources[0].queries == 30)
        #expect(result.fees == (try Amount(credits: "0.015")))  // 30 signals at 0.0005
        #expect(result.markdown().contains("net P&L"))

        // Every channel settled on exit; the ledger replays; events were logged as JSON lines.
        #expect(await market.ledger.verify().ok)
        let lines = try String(contentsOfFile: "\(market.folder)/runtime-events.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 60)
        let kinds = Set(lines.compactMap { try? JSONDecoder().decode(AgentEvent.self, from: Data($0.utf8)).kind })
        #expect(kinds.isSuperset(of: [.quote, .payment, .receipt, .channelOpened, .channelClosed, .note]))
        #expect(try await market.ledger.balance(of: ProtocolVectors.key(0x30).publicKey) > .zero)  // a price feed was paid
    }

    @Test("the pricing agent moves the price with demand within its bounds")
    func pricing() async throws {
        let market = try await Market()
        let policy = RevenuePolicy(name: "demand", split: RevenueSplit(ownerBps: 5_000, contributorsBps: 4_000, treasuryBps: 1_000),
                                   pricePerQuery: try Amount(credits: "0.01"), pricePerOutputToken: .zero, maxOutputTokens: 0,
                                   strategy: .demand(targetQueries: 10, stepBps: 1_000, floor: try Amount(credits: "0.005"), ceiling: try Amount(credits: "0.0121")))
        let agent = try PricingAgent(name: "pricer", owner: market.owner, model: market.qa.message.model, policy: policy, period: 60, periods: 3)
        #expect(agent.nextPrice(current: try Amount(credits: "0.01"), served: 20) == (try Amount(credits: "0.011")))
        #expect(agent.nextPrice(current: try Amount(credits: "0.011"), served: 20) == (try Amount(credits: "0.0121")))
        #expect(agent.nextPrice(current: try Amount(credits: "0.0121"), served: 50) == (try Amount(credits: "0.0121")))
        #expect(agent.nextPrice(current: try Amount(credits: "0.0055"), served: 0) == (try Amount(credits: "0.005")))
        #expect(agent.nextPrice(current: try Amount(credits: "0.01"), served: 10) == (try Amount(credits: "0.01")))
        // Quiet periods lower the listed price, and each change is a new listing on the ledger.
        let task = Task {
            let wallet = try await market.wallet(ProtocolVectors.key(0x52), policy: SpendingPolicy(name: "x"))
            try await agent.run(context: AgentContext(name: "pricer", wallet: wallet, clock: market.clock, logger: .init(label: "t"), sink: EventSink(agent: "pricer", log: nil)))
        }
        for _ in 0..<3 {
            while market.clock.sleeping == 0 { await Task.yield() }
            market.clock.advance(by: 60)
        }
        try await task.value
        let listing = try await market.owner.listing(market.qa.message.model)
        #expect(listing.message.listingSequence == 4)
        #expect(listing.message.pricePerQuery == (try Amount(credits: "0.00729")))  // 0.01 x 0.9^3
        #expect(try await market.ledger.listing(model: market.qa.message.model, sequence: nil)?.message.listingSequence == 4)
    }
}
