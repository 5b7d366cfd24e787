import Foundation
import RemitCore
@testable import RemitLedger
import Testing

/// Three `remit serve` processes on one PostgreSQL ledger, each with its own payee books, paid
/// over HTTP by research agents (`remit agent run research --remote`) spread over the nodes
/// (issue #9). After the agents have closed their channels: `remit ledger verify` passes, the
/// supply is unchanged, every channel settled exactly once, and what the agents say they spent
/// is what the ledger charged, refunded and paid out.
@Suite("serve: several nodes on one PostgreSQL ledger")
struct MultiNodeServeTests {
    static let nodes = 3
    static let agentsPerNode = 2
    /// Credits the faucet gives each agent.
    static let fund = "1"

    static let quotes = """
        The weather is what everybody talks about and nobody does anything about it.
        \t\t-- Mark Twain
        %
        Climate is what we expect, weather is what we get.
        \t\t-- Mark Twain
        %
        A black cat crossing your path signifies that the animal is going somewhere.
        \t\t-- Groucho Marx
        %
        Time flies like an arrow; fruit flies like a banana.
        \t\t-- Groucho Marx
        %
        Everybody talks about the weather, but the weather does not listen.
        \t\t-- Anonymous
        %

        """

    /// What one agent run printed.
    struct AgentRun {
        var node: Int
        var account: AccountID
        var spent: Amount
        var balance: Amount
    }

    /// Waits until `name.out` in `dir` holds the server's `listening on URL` line and returns the
    /// URL; nil when the server stopped or `timeout` passed first.
    static func listeningURL(_ process: Process, in dir: URL, name: String, timeout: Duration = .seconds(180)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: dir.appendingPathComponent("\(name).out"), encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                return String(line.dropFirst("listening on ".count))
            }
            guard process.isRunning else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// The word after `label` on the last line of `text` that starts with `line` (the agent's summary
    /// comes after its report), without trailing punctuation.
    static func field(_ text: String, line: String, after label: String) -> String? {
        guard let found = text.split(separator: "\n").last(where: { $0.hasPrefix(line) }), let range = found.range(of: label) else { return nil }
        return found[range.upperBound...].split(separator: " ").first.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ";,")) }
    }

    @Test("three remit serve nodes on one PostgreSQL ledger: agents pay each over HTTP, verify passes, supply unchanged, one settle per channel, earnings add up",
          .enabled(if: StoreKind.postgresURL != nil, "REMIT_TEST_POSTGRES_URL is not set: the multi-node serve test is SKIPPED"))
    func threeServers() async throws {
        let location = try TestLocation.fresh(.postgres)
        let url = location.argument
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("remit-multiserve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(MultiNodeServeTests.quotes.utf8).write(to: dir.appendingPathComponent("quotes.txt"))

        // The market's ledger on PostgreSQL: market.yaml names the URL, no SQLite ledger is made.
        let made = try await ChildProcess.run(["market", "init", "m", "--ledger", url, "--from", "quotes.txt", "--price-rows", "200", "--kdf", "minimum"],
                                              in: dir)
        try #require(made.status == 0, "market init: \(made.stderr)")
        #expect(made.stdout.contains("fortunes: 5 quotes"), "\(made.stdout)")
        let marketFile = try String(contentsOf: dir.appendingPathComponent("m/market.yaml"), encoding: .utf8)
        #expect(marketFile.contains("ledger: \"\(url)\""), "\(marketFile)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m/remit.ledger").path))
        let again = try await ChildProcess.run(["market", "init", "m2", "--ledger", url, "--from", "quotes.txt", "--kdf", "minimum"], in: dir)
        #expect(again.status != 0 && again.stderr.contains("already holds a ledger"), "a second market on the same ledger: \(again.stderr)")

        // A new price for the three text models: every node starting below re-lists them at once,
        // and all but the first to register each listing must adopt it rather than list again.
        let policy = dir.appendingPathComponent("m/policies/text-models.yaml")
        let terms = try String(contentsOf: policy, encoding: .utf8)
        try #require(terms.contains(#"perQuery: "0.002""#), "\(terms)")
        try Data(terms.replacingOccurrences(of: #"perQuery: "0.002""#, with: #"perQuery: "0.003""#).utf8).write(to: policy)

        // Three nodes at once, each with its own books; the last takes the ledger from --ledger rather than the market file.
        var servers: [Process] = []
        defer { for server in servers where server.isRunning { server.terminate() } }
        for node in 0..<MultiNodeServeTests.nodes {
            var arguments = ["serve", "--config", "m/market.yaml", "--books", "books/node\(node)", "--port", "0"]
            if node == MultiNodeServeTests.nodes - 1 { arguments += ["--ledger", url] }
            servers.append(try MultiNodeTests.start(arguments, in: dir, name: "serve\(node)"))
        }
        var listening: [String] = []
        for (node, server) in servers.enumerated() {
            let url = try await MultiNodeServeTests.listeningURL(server, in: dir, name: "serve\(node)")
            let stderr = (try? String(contentsOf: dir.appendingPathComponent("serve\(node).err"), encoding: .utf8)) ?? ""
            listening.append(try #require(url, "node \(node) did not say where it listens (running: \(server.isRunning)): \(stderr)"))
        }
        let urls = listening
        #expect(Set(urls).count == MultiNodeServeTests.nodes, "\(urls)")

        // Research agents, all at once, spread over the nodes; each funds itself through its node's faucet and closes its channels there.
        let runs = try await withThrowingTaskGroup(of: (Int, Int, ChildProcess.Output).self) { group in
            for node in 0..<MultiNodeServeTests.nodes {
                for agent in 0..<MultiNodeServeTests.agentsPerNode {
                    group.addTask {
                        let output = try await ChildProcess.run([
                            "agent", "run", "research", "--remote", urls[node], "--wallet", "wallets/n\(node)a\(agent)", "--demo-password",
                            "--fund", MultiNodeServeTests.fund, "--operator-key", "m/operator.key", "--topic", "the weather",
                            "--out", "report-\(node)-\(agent).md",
                        ], in: dir)
                        return (node, agent, output)
                    }
                }
            }
            var runs: [AgentRun] = []
            for try await (node, agent, output) in group {
                try #require(output.status == 0, "agent \(agent) on node \(node) exited \(output.status): \(output.stderr)")
                let account = try AccountID(try #require(MultiNodeServeTests.field(output.stdout, line: "account ", after: "account "), "\(output.stdout)"))
                let spent = try Amount(credits: try #require(MultiNodeServeTests.field(output.stdout, line: "spent ", after: "spent "), "\(output.stdout)"))
                let balance = try Amount(credits: try #require(MultiNodeServeTests.field(output.stdout, line: "spent ", after: "balance after settling "), "\(output.stdout)"))
                runs.append(AgentRun(node: node, account: account, spent: spent, balance: balance))
            }
            return runs
        }
        #expect(runs.count == MultiNodeServeTests.nodes * MultiNodeServeTests.agentsPerNode)
        for run in runs {
            #expect(run.spent > .zero, "agent \(run.account) on node \(run.node) paid nothing")
            #expect(try run.spent.adding(run.balance) == (try Amount(credits: MultiNodeServeTests.fund)), "agent \(run.account): spent \(run.spent) + balance \(run.balance)")
        }

        // Graceful stops; each node kept its own payee book, the market's own stayed as market init left it.
        for (node, server) in servers.enumerated() {
            server.terminate()
            server.waitUntilExit()
            let stderr = (try? String(contentsOf: dir.appendingPathComponent("serve\(node).err"), encoding: .utf8)) ?? ""
            #expect(server.terminationStatus == 0, "node \(node) exited \(server.terminationStatus): \(stderr)")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("books/node\(node)/fortunes.sqlite").path))
        }

        // `remit market show` opens the PostgreSQL market in its own process and adopts the nodes' listings.
        let shown = try await ChildProcess.run(["market", "show", "--market", "m/market.yaml", "--json"], in: dir)
        try #require(shown.status == 0, "market show: \(shown.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [[String: Any]])
        #expect(Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["name"] as? String).map { ($0, row["listingSequence"] as? Int ?? 0) } })
                    == ["fortune-qa": 2, "fortune-lm": 2, "fortune-trace": 2, "price-direction": 1], "\(shown.stdout)")

        // `remit ledger verify` replays the shared journal from genesis.
        let verify = try await ChildProcess.run(["ledger", "verify", "--ledger", url, "--json"], in: dir)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        let verified = try #require(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any])
        #expect(verified["ok"] as? Bool == true)

        try await location.withStore { store in
            let state = try await store.loadState()
            #expect(try state.totalBalance() == state.genesis.supply.units, "supply changed")
            #expect(state.genesis.supply == (try Amount(credits: 1_000_000_000)))

            // Each text model was re-listed once (sequence 2, the new price) whichever node won; the signals model kept its listing.
            #expect(state.latestListing.values.sorted() == [1, 2, 2, 2], "listing sequences \(state.latestListing.values.sorted())")
            for (model, sequence) in state.latestListing where sequence == 2 {
                let listing = try #require(try await store.listing(model: model, sequence: nil))
                #expect(listing.message.pricePerQuery == (try Amount(credits: "0.003")), "\(listing.message.name) lists \(listing.message.pricePerQuery)")
            }

            let payers = Set(runs.map(\.account.publicKey))
            let channels = state.channels.values.filter { payers.contains($0.payer) }
            #expect(channels.count >= runs.count, "\(channels.count) channels for \(runs.count) agents")
            #expect(channels.allSatisfy { $0.status == .closed && $0.closedEntry != nil }, "a channel is not closed")

            // The journal: one closing entry per channel, a cooperative settle, whose charge went out as earnings.
            var closings: [ChannelID: Int] = [:]
            var charged: [ChannelID: Amount] = [:]
            var next: UInt64 = 1
            while true {
                let page = try await store.entries(from: next, limit: 1_000)
                guard let last = page.last else { break }
                for stored in page {
                    let entry = try LedgerEntry(canonicalBytes: stored.body)
                    let channel: ChannelID
                    switch entry.payload {
                    case .channelSettle(let bundle): channel = bundle.claim.message.channel
                    case .channelFinalize(let id, _): channel = id
                    case .channelReclaim(let close): channel = close.message.channel
                    default: continue
                    }
                    closings[channel, default: 0] += 1
                    #expect(entry.kind == .channelSettle, "channel \(channel) closed by \(entry.kind), not a cooperative settle")
                    let summary = try #require(entry.settlement, "entry \(entry.sequence) settles without a summary")
                    let paidOut = try await store.earnings(entry: entry.sequence).reduce(Amount.zero) { try $0.adding($1.amount) }
                    #expect(paidOut == summary.charged, "entry \(entry.sequence): earnings \(paidOut) for a charge of \(summary.charged)")
                    if let state = channels.first(where: { $0.channel == channel }) {
                        #expect(try summary.charged.adding(summary.refund) == state.deposit, "channel \(channel): charged + refund is not the deposit")
                    }
                    charged[channel] = summary.charged
                }
                next = last.sequence + 1
            }
            #expect(Set(closings.keys) == Set(channels.map(\.channel)))
            #expect(closings.values.allSatisfy { $0 == 1 }, "a channel closed twice: \(closings.filter { $0.value > 1 })")

            // What each agent says it spent is what the ledger charged its channels, and its balance is the rest.
            for run in runs {
                let mine = channels.filter { $0.payer == run.account.publicKey }.map(\.channel)
                let total = try mine.reduce(Amount.zero) { try $0.adding(charged[$1] ?? .zero) }
                #expect(total == run.spent, "agent \(run.account) on node \(run.node) spent \(run.spent), the ledger charged \(total)")
                #expect(try await store.balance(of: .user(run.account.publicKey)) == run.balance)
            }
        }
    }
}
