import Foundation
import Logging
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import RemitServer
import ServiceLifecycle

/// `remit bench http`: a `remit serve` server on a loopback port and, in the same process, 1, 16
/// and 64 concurrent agents paying per query over HTTP (voucher signed, checked, durable on both
/// sides, answer computed, receipt signed and checked); the same agents on the same payee in
/// process (no HTTP); and unpaid requests to `/healthz` of the same server (the HTTP floor).
public enum HTTPBenchmark {
    struct Run {
        var rate: Double
        var p50: Double
        var p99: Double
        var cpuPerQuery: Double
    }


    /// Runs the benchmark; `scale` multiplies the number of queries (1 is about a minute in release).
    public static func run(scale: Double = 1, agentCounts: [Int] = [1, 16, 64], progress: @Sendable (String) -> Void = { _ in }) async throws -> BenchReport {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("remit-bench-http-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(SampleFortunes.text.utf8).write(to: URL(fileURLWithPath: "\(folder)/quotes.txt"))
        progress("creating the market")
        let made = try await MarketSetup.create(in: "\(folder)/m", fortunes: ["\(folder)/quotes.txt"], priceRows: 200, kdf: .minimum)
        var config = try MarketConfig.load(path: made.marketFile)
        config.server.port = 0
        config.server.ratePerPayer = 1_000_000
        let market = try await LocalMarket.open(config)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "remit.bench.http")
        logger.logLevel = .error
        let server = RemitHTTPServer(market: try ServedMarket(market), settings: config.server, logger: logger, onListening: { _, port in portSink.yield(port) })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: logger))
        let serving = Task { try await group.run() }
        var portIterator = ports.makeAsyncIterator()
        guard let port = await portIterator.next() else { throw RemitError(.httpUnreachable, "the bench server did not start") }
        let url = "http://127.0.0.1:\(port)"
        let maxAgents = agentCounts.max() ?? 64
        let client = RemitHTTPClient(baseURL: url, connections: maxAgents)

        // The payer side: one payer book holding one channel per agent (a fresh set per phase).
        let owner = market.owners[0]
        let qa = await owner.listings().first { $0.message.name == "fortune-qa" }!.message
        let payerKey = SigningKey()
        try await market.fund(payerKey.publicKey, amount: try Amount(credits: 100_000))
        let payer = try PayerBook(path: "\(folder)/payer.sqlite", key: payerKey, ledger: market.ledger.id)
        func channels(_ count: Int) async throws -> [ChannelID] {
            var ids: [ChannelID] = []
            let now = market.ledger.clock.now()
            for _ in 0..<count {
                let open = try await payer.prepareOpen(payee: qa.owner, deposit: try Amount(credits: 200), expiresAt: now + 86_400, challengePeriod: 600)
                _ = try await market.ledger.openChannel(open)
                try await owner.register(channel: open)
                ids.append(open.message.channel)
            }
            return ids
        }
        let remote = RemoteModelEndpoint(client: client, model: qa.model)
        let local = LocalModelEndpoint(owner: owner, model: qa.model)
        let perPhase = max(200, Int(6_000 * scale))

        var report = BenchReport(name: "http")
        var rows: [String] = []
        var tag = 0
        for agents in agentCounts {
            progress("paid queries over HTTP, \(agents) agents")
            tag += 1
            _ = try await paid(payer: payer, endpoint: remote, listing: qa, channels: try await channels(agents), perAgent: max(5, 50 / agents), tag: tag)
            tag += 1
            let run = try await paid(payer: payer, endpoint: remote, listing: qa, channels: try await channels(agents),
                                     perAgent: max(20, perPhase / agents / (agents == 1 ? 3 : 1)), tag: tag)
            report.figures["paid_qps_\(agents)"] = run.rate
            report.figures["p50_ms_\(agents)"] = run.p50
            report.figures["p99_ms_\(agents)"] = run.p99
            report.figures["cpu_us_per_paid_query_\(agents)"] = run.cpuPerQuery
            rows.append("  \(BenchFormat.pad("\(agents)", 6))  \(BenchFormat.pad(BenchFormat.rate(run.rate), 11))  \(BenchFormat.pad(String(format: "%.2f", run.p50), 7))  \(BenchFormat.pad(String(format: "%.2f", run.p99), 8))  \(BenchFormat.pad(String(format: "%.0f", run.cpuPerQuery), 10))")
        }
        progress("paid queries in process (no HTTP), \(maxAgents) agents")
        tag += 1
        let inProcess = try await paid(payer: payer, endpoint: local, listing: qa, channels: try await channels(maxAgents), perAgent: max(20, perPhase / maxAgents), tag: tag)
        progress("JSON bodies of one paid query")
        let jsonCost = try await jsonMicroseconds(endpoint: local, payer: payer, listing: qa, channel: try await channels(1)[0])
        progress("unpaid GET /healthz, \(maxAgents) agents")
        _ = try await unpaid(client: client, agents: maxAgents, perAgent: 20)
        let floor = try await unpaid(client: client, agents: maxAgents, perAgent: max(50, Int(20_000 * scale) / maxAgents))
        await client.shutdown()
        await group.triggerGracefulShutdown()
        try await serving.value

        let paidTop = report.figures["paid_qps_\(maxAgents)"] ?? 0
        report.figures["unpaid_qps_\(maxAgents)"] = floor.rate
        report.figures["unpaid_p99_ms_\(maxAgents)"] = floor.p99
        report.figures["cpu_us_per_unpaid_request_\(maxAgents)"] = floor.cpuPerQuery
        report.figures["inprocess_paid_qps_\(maxAgents)"] = inProcess.rate
        report.figures["cpu_us_per_inprocess_paid_query_\(maxAgents)"] = inProcess.cpuPerQuery
        report.figures["json_us_per_paid_query"] = jsonCost
        report.ratios["paid_vs_unpaid_\(maxAgents)"] = paidTop / floor.rate
        report.ratios["http_vs_inprocess_\(maxAgents)"] = paidTop / inProcess.rate
        let cores = ProcessInfo.processInfo.activeProcessorCount
        report.lines = [
            "remit bench http: \(BenchFormat.buildMode) build, \(cores) cores; server and agents share this process",
            "",
            "paid queries over HTTP (fortune-qa, bm25; voucher signed and checked, both books durable, receipt signed and checked):",
            "  agents    queries/s   p50 ms    p99 ms  CPU µs/query (both sides)",
        ] + rows + [
            "",
            "same \(maxAgents) agents paying the same owner in process (no HTTP):  \(BenchFormat.rate(inProcess.rate)) queries/s, \(String(format: "%.0f", inProcess.cpuPerQuery)) CPU µs/query",
            "unpaid GET /healthz, \(maxAgents) agents (the HTTP floor):            \(BenchFormat.rate(floor.rate)) requests/s, p99 \(String(format: "%.2f", floor.p99)) ms, \(String(format: "%.0f", floor.cpuPerQuery)) CPU µs/request",
            "",
            "paid / unpaid at \(maxAgents) agents: \(BenchFormat.ratio(paidTop / floor.rate))   (target >= 0.5; paid target >= 3,000/s)",
            "HTTP / in process at \(maxAgents) agents: \(BenchFormat.ratio(paidTop / inProcess.rate))",
            "JSON bodies of one paid query (request and answer, encoded and decoded, one thread): \(String(format: "%.0f", jsonCost)) µs",
        ]
        return report
    }

    /// CPU time of the JSON bodies of one paid query: the client encodes the request and decodes
    /// the answer, the server decodes the request and encodes the answer.
    static func jsonMicroseconds(endpoint: LocalModelEndpoint, payer: PayerBook, listing: Listing, channel: ChannelID) async throws -> Double {
        let request = ModelRequest(.question("what about the weather", topK: 1))
        let payment = try await payer.pay(channel: channel, requestDigest: request.digest, maxPrice: try Pricing.quote(request, listing: listing),
                                          now: UInt64(Date().timeIntervalSince1970))
        let answer = try await endpoint.query(request, payment: payment).answer
        let rounds = 2_000
        let start = ContinuousClock.now
        for _ in 0..<rounds {
            let query = MessageJSON.encode(HTTPBodies.Query(request: request), pretty: false)
            _ = try MessageJSON.decode(HTTPBodies.Query.self, from: query)
            let body = MessageJSON.encode(HTTPBodies.Answer(answer: answer), pretty: false)
            _ = try MessageJSON.decode(HTTPBodies.Answer.self, from: body)
        }
        return seconds(ContinuousClock.now - start) / Double(rounds) * 1e6
    }

    /// Each agent pays `perAgent` queries in a row on its own channel.
    static func paid(payer: PayerBook, endpoint: any ModelEndpoint, listing: Listing, channels: [ChannelID], perAgent: Int, tag: Int) async throws -> Run {
        let cpuStart = processCPUSeconds()
        let start = ContinuousClock.now
        let now = UInt64(Date().timeIntervalSince1970)
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for (agent, channel) in channels.enumerated() {
                group.addTask {
                    var latencies: [Double] = []
                    latencies.reserveCapacity(perAgent)
                    for n in 0..<perAgent {
                        let began = ContinuousClock.now
                        let request = ModelRequest(.question("what about the weather \(tag) \(agent) \(n)", topK: 1))
                        let quote = try Pricing.quote(request, listing: listing)
                        let payment = try await payer.pay(channel: channel, requestDigest: request.digest, maxPrice: quote, now: now)
                        let answer = try await endpoint.query(request, payment: payment)
                        guard case .signed(let receipt) = answer.receipt else { throw RemitError(.httpBadResponse, "expected a signed receipt") }
                        try await payer.accept(receipt: receipt)
                        latencies.append(seconds(ContinuousClock.now - began) * 1e3)
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        return summarise(latencies, elapsed: seconds(ContinuousClock.now - start), cpu: processCPUSeconds() - cpuStart)
    }

    /// Each agent sends `perAgent` unpaid GET /healthz in a row.
    static func unpaid(client: RemitHTTPClient, agents: Int, perAgent: Int) async throws -> Run {
        let cpuStart = processCPUSeconds()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<agents {
                group.addTask {
                    var latencies: [Double] = []
                    for _ in 0..<perAgent {
                        let began = ContinuousClock.now
                        let reply = try await client.send("GET", "/healthz")
                        guard reply.status == 200 else { throw RemitError(.httpBadResponse, "/healthz answered \(reply.status)") }
                        latencies.append(seconds(ContinuousClock.now - began) * 1e3)
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        return summarise(latencies, elapsed: seconds(ContinuousClock.now - start), cpu: processCPUSeconds() - cpuStart)
    }

    static func summarise(_ latencies: [Double], elapsed: Double, cpu: Double) -> Run {
        guard !latencies.isEmpty else { return Run(rate: 0, p50: 0, p99: 0, cpuPerQuery: 0) }
        return Run(rate: Double(latencies.count) / elapsed, p50: latencies[latencies.count / 2],
                   p99: latencies[min(latencies.count - 1, latencies.count * 99 / 100)], cpuPerQuery: cpu / Double(latencies.count) * 1e6)
    }
}
