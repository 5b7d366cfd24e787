import ArgumentParser
import Foundation
import Logging
import RemitAgents
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import RemitServer
import RemitSimulation
import ServiceLifecycle
import UnixSignals

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Remit end to end: a market on the demo datanet, a priced endpoint on loopback, agents paying per query, settlement.",
        discussion: """
            1. Creates a market in --dir/market (first run, or with --fresh): a ledger with its operator key, the \
            fortunes datanet (real text: the Debian fortune collections, one contributor per author) and a price-series \
            datanet, models built from them, and their owner's listings. Later runs reuse it.
            2. Serves the market's priced models over HTTP on 127.0.0.1 (a free port).
            3. Runs the research agent (pays by signed vouchers) and the trading agent (pays by hash-chain ticks in \
            streamed runs) against that endpoint; each checks every receipt and closes its channels at the end.
            4. Prints the settlement table: what each owner, each credited contributor and the treasury earned, as \
            the ledger paid it, and checks it against what the agents spent.
            5. Replays the ledger from genesis (remit ledger verify) and writes the HTML report.

            Files: --dir/market (ledger, datanets, models, keys sealed with the public demo password), \
            --dir/wallets, --dir/research-report.md, --dir/trading-report.md, --dir/demo-report.html.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Folder for the demo's files.", valueName: "dir"))
    var dir: String = "demo-output"

    @Flag(name: .long, help: "Build the market again even if --dir holds one.")
    var fresh = false

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Fortune collections to import instead of all of /usr/share/games/fortunes.", valueName: "file"))
    var from: [String] = []

    @Option(name: .long, help: "Rows in the price-series datanet.")
    var priceRows: Int = 2_000

    @Option(name: .long, help: ArgumentHelp("Argon2id cost of the market's keys: interactive, moderate, sensitive or minimum.", valueName: "level"))
    var kdf: KDFLevel = .interactive

    @Option(name: .long, help: "What the research agent researches (repeatable; one run per topic).")
    var topic: [String] = ["the weather", "computers", "love", "science"]

    @Option(name: .long, help: "Steps the trading agent trades (one paid signal per model per step).")
    var tradingSteps: Int = 120

    @Option(name: .long, help: ArgumentHelp("Where to write the HTML report (default: --dir/demo-report.html).", valueName: "file"))
    var report: String?

    func validate() throws {
        guard tradingSteps >= 1 else { throw ValidationError("--trading-steps must be at least 1") }
        guard priceRows >= 50 else { throw ValidationError("--price-rows must be at least 50") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let marketFolder = "\(dir)/market"
        let logger = Logger(label: "remit.demo")
        func step(_ text: String) { print("==> \(text)") }

        // 1. The market.
        if fresh { try? FileManager.default.removeItem(atPath: marketFolder) }
        let marketFile = "\(marketFolder)/market.yaml"
        if FileManager.default.fileExists(atPath: "\(marketFolder)/remit.ledger") {
            step("Reusing the market in \(marketFolder) (--fresh builds a new one)")
        } else {
            step("Creating a market in \(marketFolder): ledger, demo datanets, models, listings")
            let made = try await MarketSetup.create(in: marketFolder, fortunes: from, priceRows: priceRows, kdf: kdf.limits) { print("    \($0)") }
            print("    \(made.fortunes.added) fortunes by \(made.fortunes.contributors) contributors; \(made.priceRows) price rows; models: \(made.models.joined(separator: ", "))")
        }
        var config = try MarketConfig.load(path: marketFile)
        config.server.host = "127.0.0.1"
        config.server.port = 0
        let market = try await LocalMarket.open(config, logger: logger)
        let people = try await Demo.people(market)
        let before = try await Demo.earnings(market, people: people)

        // 2. The priced endpoint.
        step("Serving the priced models over HTTP on loopback")
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let server = RemitHTTPServer(market: try ServedMarket(market), settings: config.server, logger: logger, onListening: { _, port in portSink.yield(port) })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], gracefulShutdownSignals: [.sigint], logger: logger))
        let serving = Task { try await group.run() }
        var waiting = ports.makeAsyncIterator()
        guard let port = await waiting.next() else { throw CLIFailure.refused("the server stopped before it listened") }
        let url = "http://127.0.0.1:\(port)"
        let runs: [SettlementReport.AgentRun]
        let flowsIn: [Flow]
        var settledTotal = Amount.zero
        do {
            let remote = try await RemoteMarket.connect(url)
            for card in remote.models {
                print("    \(url)/v1/models/\(card.name)/query  (\(card.kind)) \(card.pricing.perQuery) credits per query")
            }
            // 3. The agents, paying over HTTP.
            var agentRuns: [SettlementReport.AgentRun] = []
            var flows: [Flow] = []
            step("Research agent: asks about \(topic.map { "\"\($0)\"" }.joined(separator: ", ")), pays each answer with a signed voucher, checks every receipt")
            for (index, subject) in topic.enumerated() {
                let research = ResearchAgent(topic: subject, reportPath: "\(dir)/research-report-\(index + 1).md")
                let researchRun = try await runAgent(research, market: market, remote: remote, scheme: .voucher, fund: "1")
                agentRuns.append(researchRun.run)
                flows += researchRun.flows
                settledTotal = try settledTotal.adding(researchRun.settled)
                if index == 0, let text = research.lastReport.text {
                    print(text.split(separator: "\n").prefix(8).map { "    \($0)" }.joined(separator: "\n"))
                }
            }
            step("Trading agent: \(tradingSteps) steps of paper trading on signals bought per query, paid by hash-chain ticks")
            let trading = TradingAgent(seed: 2_026, steps: tradingSteps, notional: 1, tags: ["signals"], reportPath: "\(dir)/trading-report.md")
            let tradingRun = try await runAgent(trading, market: market, remote: remote, scheme: .tick, fund: "2")
            agentRuns.append(tradingRun.run)
            flows += tradingRun.flows
            settledTotal = try settledTotal.adding(tradingRun.settled)
            if let result = trading.lastResult.result {
                print(result.markdown().split(separator: "\n").prefix(8).map { "    \($0)" }.joined(separator: "\n"))
            }
            await remote.client.shutdown()
            // One line per agent, its runs summed.
            var merged: [SettlementReport.AgentRun] = []
            for run in agentRuns {
                if let at = merged.firstIndex(where: { $0.name == run.name }) {
                    merged[at].paidQueries += run.paidQueries
                    merged[at].spent = try merged[at].spent.adding(run.spent)
                } else {
                    merged.append(run)
                }
            }
            runs = merged
            flowsIn = flows
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await serving.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await serving.value
        print("    server stopped; every channel was closed by its payee's claim and settled on the ledger")

        // 4. Who earned what.
        let after = try await Demo.earnings(market, people: people)
        var earners: [SettlementReport.Earner] = []
        var flows = flowsIn
        for person in people {
            let total = after[person.key]?.total ?? .zero
            let earned = try total.subtracting(before[person.key]?.total ?? .zero)
            guard earned > .zero else { continue }
            earners.append(SettlementReport.Earner(role: person.role.description, name: person.name, account: AccountID(person.key).description, earned: earned, total: total))
            for (model, amount) in after[person.key]?.byModel ?? [:] {
                let delta = try amount.subtracting(before[person.key]?.byModel[model] ?? .zero)
                if delta > .zero { flows.append(Flow(from: model, to: person.role == .contributor ? "contributors" : person.name, credits: Double(delta.units) / 1e9)) }
            }
        }
        earners.sort { $0.earned != $1.earned ? $0.earned > $1.earned : $0.name < $1.name }
        let spent = try Amount.sum(runs.map(\.spent))
        let earned = try Amount.sum(earners.map(\.earned))
        step("Settlement: who earned what (as the ledger paid it)")
        print(Demo.table(earners))
        let byRole = Dictionary(grouping: earners, by: \.role).mapValues { (try? Amount.sum($0.map(\.earned))) ?? .zero }
        print("    owners \(byRole["owner"] ?? .zero) + contributors \(byRole["contributor"] ?? .zero) (\(earners.filter { $0.role == "contributor" }.count) credited) + treasury \(byRole["treasury"] ?? .zero) = \(earned) credits")
        print("    the agents spent \(spent) credits in this run; the channels settled in it carried \(settledTotal): \(settledTotal == earned ? "every unit paid out, none invented" : "MISMATCH")")

        // 5. Verify and report.
        step("Replaying the ledger from genesis")
        let verification = await market.ledger.verify()
        print("    \(verification.ok ? "OK" : "FAILED"): \(verification.entries) entries, supply \(verification.supply?.description ?? "?") credits, head \(verification.head?.hex ?? "?")")
        let reportPath = report ?? "\(dir)/demo-report.html"
        let seconds = Demo.seconds(ContinuousClock.now - started)
        let document = SettlementReport(
            title: "Remit demo: agents paying per query, contributors paid at settlement",
            notes: [
                "Market \(marketFolder): the fortunes datanet (one contributor per author) and a price-series datanet, models built from them, served over HTTP at \(url).",
                "Every amount below is read back from the ledger after settlement; the ledger replayed from genesis: \(verification.ok ? "OK" : "FAILED").",
            ],
            summary: [
                ("agents", runs.map { "\($0.name): \($0.paidQueries) paid queries (\($0.scheme))" }.joined(separator: "; ")),
                ("spent by agents", "\(spent) credits"),
                ("earned", "owners \(byRole["owner"] ?? .zero), contributors \(byRole["contributor"] ?? .zero), treasury \(byRole["treasury"] ?? .zero) credits"),
                ("ledger", "\(verification.entries) entries, head \(verification.head?.hex.prefix(16) ?? "?")…, verified: \(verification.ok ? "yes" : "NO")"),
                ("wall time", String(format: "%.1f s", seconds)),
            ],
            agents: runs, earners: earners,
            flows: Dictionary(grouping: flows) { "\($0.from)\u{0}\($0.to)" }.values
                .map { group in Flow(from: group[0].from, to: group[0].to, credits: group.reduce(0) { $0 + $1.credits }) }
                .sorted { ($0.from, $0.to) < ($1.from, $1.to) }
        )
        guard FileManager.default.createFile(atPath: reportPath, contents: Data(document.html().utf8)) else {
            throw CLIFailure.badInput("cannot write the report \(reportPath)")
        }
        step(String(format: "Done in %.0f s. Report: %@", seconds, reportPath))
        print("    remit ledger verify --path \(marketFolder)/remit.ledger")
        print("    remit wallet receipts --wallet \(dir)/wallets/research")
        guard verification.ok else { throw CLIFailure.refused("the ledger does not verify: \(verification)") }
        guard settledTotal == earned else { throw CLIFailure.refused("the channels settled carried \(settledTotal) credits but the ledger paid out \(earned)") }
    }

    /// Runs one agent against the remote market with a demo wallet in --dir/wallets; returns its
    /// run and its flows (agent → model) from the receipts it accepted in this run.
    func runAgent(
        _ agent: any Agent, market: LocalMarket, remote: RemoteMarket, scheme: PaymentScheme, fund: String
    ) async throws -> (run: SettlementReport.AgentRun, flows: [Flow], settled: Amount) {
        let folder = WalletFolder(path: "\(dir)/wallets/\(agent.name)")
        let (key, _) = try folder.openOrCreateKey(password: Array("remit demo password".utf8), limits: kdf.limits)
        try await market.fund(key.publicKey, amount: try Amount(credits: fund))
        let earlier = try? PayerBook.inspect(path: folder.bookFile)
        let seen = Set((earlier?.receipts ?? []).map(\.receipt.digest))
        let closedBefore = Set((earlier?.channels ?? []).filter { $0.phase == .closed }.map(\.terms.channel))
        var policy = SpendingPolicy(name: "demo \(agent.name)")
        policy.total = try Amount(credits: fund)
        policy.maxPricePerQuery = try Amount(credits: "0.1")
        let outcome = try await AgentLauncher.run(agent, ledger: remote.ledger, endpoints: remote.endpoints, wallet: folder, key: key,
                                                  policy: policy, scheme: scheme)
        if let error = outcome.error { throw CLIFailure.refused("the \(agent.name) agent stopped: \(error)") }
        let book = try PayerBook.inspect(path: folder.bookFile)
        let fresh = book.receipts.filter { !seen.contains($0.receipt.digest) }
        // What the channels settled in this run carried (an interrupted earlier run's channels settle now too).
        let settled = try Amount.sum(book.channels.filter { $0.phase == .closed && !closedBefore.contains($0.terms.channel) }.map(\.charged))
        let names = Dictionary(remote.models.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var byModel: [String: Int64] = [:]
        for paid in fresh { byModel[names[paid.receipt.model] ?? paid.receipt.model.hex, default: 0] += paid.receipt.price.units }
        print("    \(agent.name): \(fresh.count) paid queries, \(outcome.spent) credits; balance after settling \(outcome.balance) credits (\(folder.path))")
        let flows = byModel.sorted { $0.key < $1.key }.map { Flow(from: agent.name, to: $0.key, credits: Double($0.value) / 1e9) }
        return (SettlementReport.AgentRun(name: agent.name, scheme: scheme == .tick ? "ticks" : "vouchers", paidQueries: fresh.count, spent: outcome.spent),
                flows, settled)
    }

    /// Someone who may earn: an owner, a contributor (by datanet label) or the treasury.
    struct Person {
        var role: EarningRole
        var name: String
        var key: PublicKey
    }

    /// The market's owners, every contributor of its datanets, and the treasury.
    static func people(_ market: LocalMarket) async throws -> [Person] {
        var people: [Person] = []
        var seen = Set<PublicKey>()
        for (owner, spec) in zip(market.owners, market.config.owners) where seen.insert(owner.key.publicKey).inserted {
            people.append(Person(role: .owner, name: spec.name, key: owner.key.publicKey))
        }
        for folder in market.config.datanets {
            let datanet = try Datanet(folder: folder)
            for record in await datanet.contributions() {
                let message = record.contribution.message
                guard seen.insert(message.contributor).inserted else { continue }
                people.append(Person(role: .contributor, name: "\(message.label) (\(datanet.name))", key: message.contributor))
            }
        }
        if seen.insert(market.ledger.genesis.operatorKey).inserted {
            people.append(Person(role: .treasury, name: "treasury", key: market.ledger.genesis.operatorKey))
        }
        return people
    }

    /// What each person has earned on the ledger, in all and by model name.
    static func earnings(_ market: LocalMarket, people: [Person]) async throws -> [PublicKey: (total: Amount, byModel: [String: Amount])] {
        var names: [ModelID: String] = [:]
        for endpoint in market.endpoints {
            let listing = try await endpoint.listing().message
            names[listing.model] = listing.name
        }
        var out: [PublicKey: (total: Amount, byModel: [String: Amount])] = [:]
        for person in people {
            var total = Amount.zero
            var byModel: [String: Amount] = [:]
            for line in try await market.ledger.earnings(of: person.key).lines where line.role == person.role {
                total = try total.adding(line.amount)
                let name = names[line.model] ?? line.model.hex
                byModel[name] = try (byModel[name] ?? .zero).adding(line.amount)
            }
            out[person.key] = (total, byModel)
        }
        return out
    }

    /// The settlement table: every owner and the treasury, the top contributors, and a line for the rest.
    static func table(_ earners: [SettlementReport.Earner]) -> String {
        let shown = earners.filter { $0.role != "contributor" } + earners.filter { $0.role == "contributor" }.prefix(15)
        var lines = ["    " + "role".padding(toLength: 12, withPad: " ", startingAt: 0) + "who".padding(toLength: 44, withPad: " ", startingAt: 0)
                     + "account".padding(toLength: 19, withPad: " ", startingAt: 0) + "this run".leftPadded(16) + "all runs".leftPadded(16)]
        for e in shown {
            lines.append("    " + e.role.padding(toLength: 12, withPad: " ", startingAt: 0) + String(e.name.prefix(42)).padding(toLength: 44, withPad: " ", startingAt: 0)
                         + (String(e.account.prefix(16)) + "…").padding(toLength: 19, withPad: " ", startingAt: 0)
                         + e.earned.description.leftPadded(16) + e.total.description.leftPadded(16))
        }
        let hidden = earners.count - shown.count
        if hidden > 0 {
            let rest = (try? Amount.sum(earners.filter { $0.role == "contributor" }.dropFirst(15).map(\.earned))) ?? .zero
            lines.append("    … and \(hidden) more contributors, \(rest) credits between them (all in the report)")
        }
        return lines.joined(separator: "\n")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension String {
    /// Right-aligned in `width` columns.
    fileprivate func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
