import Foundation
import Logging
import RemitChannels
public import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import RemitServer

/// Runs a scenario on the real channel, inference, attribution, wallet, policy and ledger code,
/// on a virtual clock, step by step: owners reprice at step boundaries, then every agent makes its
/// step's queries (agents run in parallel; nothing they do in a step writes to the ledger), then
/// the step's figures are taken. At the end every channel is settled on the ledger, in a fixed
/// order, and the ledger is verified. The same scenario and seed give the same ledger head.
///
/// With ``Options/overHTTP`` the same run goes through a `remit serve` server on a loopback port:
/// every listing fetch, query, payment, receipt, streamed run, channel registration and the
/// closes and claims at the end cross HTTP; only the channels opened up front are submitted to
/// the ledger in process (in batches, as without HTTP). Wallets keep the virtual clock, so the
/// ledger head is the same as in process.
public enum SimulationEngine {
    /// How to run.
    public struct Options: Sendable {
        /// Where the ledger, datanets, models and outputs go.
        public var folder: String
        /// Write every agent event to `events.jsonl`.
        public var eventLog = false
        /// Replay the ledger at the end (`remit ledger verify`).
        public var verify = true
        /// Agents run at once within a step.
        public var parallelism = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)
        /// Hears progress: phase, steps done, steps in all.
        public var progress: @Sendable (String, Int, Int) -> Void = { _, _, _ in }
        /// Run the agents against the world served over HTTP on a loopback port (one server, one
        /// shared client of `parallelism` connections) instead of in process.
        public var overHTTP = false

        /// Options for `folder`.
        public init(folder: String) { self.folder = folder }
    }

    /// Runs `scenario`.
    public static func run(_ scenario: Scenario, options: Options) async throws(RemitError) -> SimulationResult {
        let started = ContinuousClock.now
        let world = try await WorldBuilder.build(
            scenario, in: options.folder, eventLog: options.eventLog, overHTTP: options.overHTTP, connections: options.parallelism
        ) { phase in options.progress(phase, 0, 1) }
        do {
            return try await run(world, options: options, started: started)
        } catch {
            // The server is stopped on the way out, whatever failed.
            try? await world.stopServing()
            throw error
        }
    }

    static func run(_ world: World, options: Options, started: ContinuousClock.Instant) async throws(RemitError) -> SimulationResult {
        let scenario = world.scenario
        let built = ContinuousClock.now
        var metrics = MetricsCollector(world: world)
        let text = TextGenerator(seed: scenario.seed)
        let market = PriceSeries.returns(seed: scenario.marketSeed, count: scenario.steps + 6)
        var previousServed: [ModelID: Int] = [:]
        for step in 0..<scenario.steps {
            let now = World.epoch + UInt64(step) * scenario.step
            world.clock.advance(to: now)
            try await reprice(world, served: previousServed)
            let prices = await currentPrices(world)
            let results = await runAgents(world, step: step, text: text, market: market, parallelism: options.parallelism)
            metrics.record(step: step, time: now, results: results, prices: prices)
            previousServed = metrics.servedInStep
            options.progress("simulating", step + 1, scenario.steps)
        }
        let simulated = ContinuousClock.now
        world.clock.advance(to: World.epoch + scenario.duration)
        // Payees close their channels cooperatively, in batches (one ledger commit per batch), in
        // the order of their keys; then every wallet settles what is left (unused channels) and
        // records what the ledger settled.
        var owners: [ModelOwner] = []
        for id in world.modelOrder where !owners.contains(where: { $0 === world.models[id]!.owner }) { owners.append(world.models[id]!.owner) }
        var refusedClaims = 0
        if let http = world.http {
            // Over HTTP: the same claims in the same order, one cooperative close each through the
            // payee's route. In process they are submitted 512 to a commit; a batch holds the same
            // entries, with the same virtual timestamp, as the claims one by one.
            for owner in owners {
                let ids = await owner.book.allChannels().filter { $0.phase == .open && $0.served > 0 }.map(\.terms.channel).sorted()
                for (index, id) in ids.enumerated() {
                    do {
                        try await http.close(channel: id)
                    } catch {
                        refusedClaims += 1
                    }
                    if index % 64 == 63 || index == ids.count - 1 { options.progress("closing channels", index + 1, ids.count) }
                }
            }
        } else {
            for owner in owners {
                let report = await owner.closeAll(batchSize: 512) { done, total in options.progress("closing channels", done, total) }
                refusedClaims += report.refused.count
            }
        }
        options.progress("settling channels", 0, world.agents.count)
        var settledChannels = 0
        for (index, agent) in world.agents.enumerated() {
            settledChannels += await agent.wallet.settleAll().count
            if index % 256 == 0 { options.progress("settling channels", index, world.agents.count) }
        }
        options.progress("settling channels", world.agents.count, world.agents.count)
        try await world.stopServing()
        let settledAt = ContinuousClock.now
        var report: VerificationReport?
        if options.verify {
            options.progress("verifying the ledger", 0, 1)
            report = await world.ledger.verify()
            options.progress("verifying the ledger", 1, 1)
        }
        world.log?.flush()
        return try await SimulationResult.make(
            world: world, metrics: metrics, settledChannels: settledChannels, refusedClaims: refusedClaims, verification: report,
            timings: .init(build: seconds(built - started), simulate: seconds(simulated - built), settle: seconds(settledAt - simulated),
                           total: seconds(ContinuousClock.now - started))
        )
    }

    /// Owners with a demand strategy move their price from last step's demand; every wallet that
    /// uses the model learns the new listing.
    static func reprice(_ world: World, served: [ModelID: Int]) async throws(RemitError) {
        for id in world.modelOrder {
            guard let model = world.models[id], case .demand(let target, let stepBps, let floor, let ceiling) = model.spec.revenue.strategy else { continue }
            let listing = try await model.owner.listing(id)
            let current = Double(listing.message.pricePerQuery.units)
            let count = served[id] ?? 0
            let factor = Double(stepBps) / 10_000
            let moved = count > target ? current * (1 + factor) : (count < target ? current * (1 - factor) : current)
            let next = Amount(uncheckedUnits: min(max(Int64(moved.rounded()), floor.units), ceiling.units))
            guard next != listing.message.pricePerQuery else { continue }
            var relisted = try await model.owner.reprice(id, pricePerQuery: next)
            // Over HTTP the wallets learn the listing the server now shows.
            if let http = world.http { relisted = try await http.endpoint(id).listing() }
            for agent in world.agents where agent.models.contains(id) {
                try? await agent.wallet.directory.add(relisted, now: world.clock.now())
            }
        }
    }

    static func currentPrices(_ world: World) async -> [String: Double] {
        var prices: [String: Double] = [:]
        for id in world.modelOrder {
            guard let model = world.models[id], let listing = try? await model.owner.listing(id) else { continue }
            prices[model.spec.name] = Double(listing.message.pricePerQuery.units) / 1e9
        }
        return prices
    }

    /// Every agent's queries for the step, `parallelism` agents at a time; results in agent order.
    static func runAgents(_ world: World, step: Int, text: TextGenerator, market: [Double], parallelism: Int) async -> [AgentStepResult] {
        var results = [AgentStepResult?](repeating: nil, count: world.agents.count)
        await withTaskGroup(of: (Int, AgentStepResult).self) { group in
            var nextAgent = 0
            func launch() {
                guard nextAgent < world.agents.count else { return }
                let index = nextAgent
                nextAgent += 1
                group.addTask { (index, await SimBehaviour.act(world.agents[index], world: world, step: step, text: text, market: market)) }
            }
            for _ in 0..<parallelism { launch() }
            for await (index, result) in group {
                results[index] = result
                launch()
            }
        }
        return results.map { $0! }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
