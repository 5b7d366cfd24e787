import Foundation
import RemitCore
import RemitInference
import RemitLedger
import RemitRuntime
import RemitServer
@testable import RemitSimulation
import Testing

/// `remit simulate --over-http`: the same run through a loopback `remit serve` server.
@Suite("Simulated economies over HTTP")
struct OverHTTPTests {
    /// One small text market: one datanet, one bm25 model, two researchers.
    static let tiny = """
        name: tiny
        seed: 5
        duration: 600
        step: 300
        datanets:
          - { name: notes, kind: text, contributors: 6, documents: 40 }
        owners:
          - name: lab
            models:
              - { name: notes-qa, kind: bm25, datanet: notes, perQuery: "0.002" }
        agents:
          - { name: researchers, kind: research, count: 2, funds: "1", queriesPerStep: 2 }
        """

    /// Researchers whose policy caps spending per 600 s window, asking for more than the cap:
    /// what they may pay depends on the wallet's clock, so a wallet on wall-clock time (the run
    /// takes seconds, one window) pays for far fewer queries than one on virtual time (three
    /// windows), and the ledger differs.
    static let windowed = """
        name: windowed
        seed: 11
        duration: 1800
        step: 300
        datanets:
          - { name: notes, kind: text, contributors: 6, documents: 40 }
        owners:
          - name: lab
            models:
              - { name: notes-qa, kind: bm25, datanet: notes, perQuery: "0.002" }
        agents:
          - name: researchers
            kind: research
            count: 3
            funds: "1"
            queriesPerStep: 2
            policy: { spend: { perPeriod: { amount: "0.006", seconds: 600 } } }
        """

    /// Runs `scenario` in process, then over HTTP, each with an event log in a fresh folder.
    static func runBoth(_ scenario: Scenario) async throws -> (local: SimulationResult, remote: SimulationResult, folders: (String, String)) {
        var inProcess = SimulationEngine.Options(folder: SimulationTests.folder())
        inProcess.eventLog = true
        let local = try await SimulationEngine.run(scenario, options: inProcess)
        var overHTTP = SimulationEngine.Options(folder: SimulationTests.folder())
        overHTTP.eventLog = true
        overHTTP.overHTTP = true
        let remote = try await SimulationEngine.run(scenario, options: overHTTP)
        return (local, remote, (inProcess.folder, overHTTP.folder))
    }

    @Test("a spending cap per window counts virtual time over HTTP too: same refusals, same paid queries, same ledger head")
    func windowedCap() async throws {
        let scenario = try ScenarioFile.parse(Self.windowed, file: "windowed.yaml")[0].scenario
        let (local, remote, _) = try await Self.runBoth(scenario)
        let (l, r) = (local.summary, remote.summary)
        // 3 agents x 2 queries x 6 steps asked; the cap lets each pay 3 per 600 virtual seconds.
        #expect(l.paidQueries == 17, "more than one window's worth (9) was paid: the cap is per virtual window")
        #expect(l.refusalCodes == ["policy.refused": 15])
        #expect(r.overHTTP && !l.overHTTP)
        #expect(r.paidQueries == l.paidQueries)
        #expect(r.refusalCodes == l.refusalCodes)
        #expect(r.ledgerHead == l.ledgerHead)
        #expect(r.ledgerVerified == true)
    }

    @Test("over HTTP, the same scenario and seed write the same ledger, entry for entry, as in process",
          arguments: ["small.yaml", "small-ticks.yaml"])
    func sameLedger(_ file: String) async throws {
        let scenario = try ScenarioFile.load(path: SimulationTests.economies.appendingPathComponent(file).path)[0].scenario
        let (local, remote, (localFolder, remoteFolder)) = try await Self.runBoth(scenario)
        let (l, r) = (local.summary, remote.summary)
        #expect(!l.overHTTP && r.overHTTP)
        #expect(r.paidQueries > 100)
        #expect(r.ledgerVerified == true)
        #expect(r.earningsMatchLedger)
        #expect(r.ledgerHead == l.ledgerHead)
        #expect(r.ledgerEntries == l.ledgerEntries)
        #expect(r.paidQueries == l.paidQueries)
        #expect(r.refusalCodes == l.refusalCodes)
        #expect(r.volume == l.volume)
        #expect(r.contributorEarnings == l.contributorEarnings && r.ownerEarnings == l.ownerEarnings && r.treasuryEarnings == l.treasuryEarnings)
        #expect(r.settledChannels == l.settledChannels && r.refusedClaims == l.refusedClaims)
        #expect(remote.contributors.map(\.settled) == local.contributors.map(\.settled))
        // Every agent saw the same things at the same virtual times (agents run in parallel, so
        // the events are compared as sorted sets of lines).
        let events = try Self.events(in: remoteFolder)
        let localEvents = try Self.events(in: localFolder)
        #expect(events.count > 100)
        #expect(events.count == localEvents.count)
        let difference = zip(events, localEvents).first { $0 != $1 }
        #expect(difference == nil, "first different event: over HTTP \(difference?.0 ?? ""), in process \(difference?.1 ?? "")")
    }

    /// The lines of `events.jsonl` with their keys sorted, sorted.
    static func events(in folder: String) throws -> [String] {
        let text = try String(contentsOfFile: "\(folder)/events.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }.sorted()
    }

    @Test("over HTTP, wallets pay through the server and keep the virtual clock; the server stops")
    func wiring() async throws {
        let scenario = try ScenarioFile.parse(Self.tiny, file: "tiny.yaml")[0].scenario
        let world = try await WorldBuilder.build(scenario, in: SimulationTests.folder(), eventLog: false, overHTTP: true)
        let http = try #require(world.http)
        do {
            let agent = world.agents[0]
            #expect(agent.wallet.ledger is VirtualTimeLedgerAccess)
            // Virtual time runs a day ahead; the remote access alone would still say about now + a few seconds.
            world.clock.advance(to: World.epoch + 86_400)
            #expect(await agent.wallet.ledger.now() == World.epoch + 86_400)
            #expect(await http.ledger.now() < World.epoch + 3_600)

            let before = try await paidOnServer(http)
            let head = await world.ledger.head().hash
            let paid = try await agent.wallet.query(model: agent.models[0], request: ModelRequest(.question("notes about the topic", topK: 2)))
            #expect(paid.receipt.receipt.price == (try Amount(credits: "0.002")))
            #expect(try await paidOnServer(http) == before + 1)
            #expect(await world.ledger.head().hash == head)  // a payment is off the ledger until the claim
        } catch {
            try? await world.stopServing()
            throw error
        }
        try await world.stopServing()
        let probe = RemitHTTPClient(baseURL: http.url)
        await #expect(throws: RemitError.self) { try await probe.send("GET", "/healthz") }
        await probe.shutdown()
    }

    /// `remit_queries_paid_total` from the server's `/metrics`.
    func paidOnServer(_ http: LoopbackMarket) async throws -> Int {
        let text = String(decoding: try await http.client.send("GET", "/metrics").body, as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix("remit_queries_paid_total ") }
        return Int(line?.split(separator: " ").last ?? "") ?? 0
    }
}
