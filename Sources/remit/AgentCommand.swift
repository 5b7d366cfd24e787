import ArgumentParser
import Foundation
import RemitAgents
import RemitChannels
import RemitCore
import RemitCrypto
import RemitRuntime

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the built-in agents: they find priced models, pay per query and check every receipt.",
        subcommands: [Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run an agent.", subcommands: [Research.self, Trading.self])
    }
}

/// Options every agent run shares.
struct AgentRunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The market file to run against in this process (see `remit market init`).", valueName: "file"))
    var market: String?

    @Option(name: .long, help: ArgumentHelp("A `remit serve` node to run against instead of --market, e.g. http://127.0.0.1:8402.", valueName: "url"))
    var remote: String?

    @Option(name: .long, help: ArgumentHelp("With --remote and --fund: the ledger operator's keystore, to sign the faucet request (same password as the wallet).", valueName: "file"))
    var operatorKey: String?

    @Option(name: .long, help: ArgumentHelp("The agent's wallet folder (key, channel book, event log); created when missing.", valueName: "dir"))
    var wallet: String

    @Option(name: .long, help: ArgumentHelp("Spending policy (YAML, kind: spending).", valueName: "file"))
    var policy: String?

    @Option(name: .long, help: ArgumentHelp("Move this many credits from the market's treasury to the wallet first (demo markets; with --remote it needs --operator-key).", valueName: "credits"))
    var fund: String?

    @Flag(name: .long, help: "Pay with PayWord ticks instead of signed vouchers.")
    var ticks = false

    @OptionGroup var password: PasswordOptions

    @Flag(name: .long, help: "Seal the wallet key with the public demo password (demos only: it protects nothing).")
    var demoPassword = false

    func validate() throws {
        guard (market == nil) != (remote == nil) else { throw ValidationError("give exactly one of --market FILE or --remote URL") }
        if operatorKey != nil && remote == nil { throw ValidationError("--operator-key goes with --remote (a local market funds from its own file)") }
    }

    func walletPassword() throws(CLIFailure) -> [UInt8] {
        demoPassword ? Array("remit demo password".utf8) : try password.password(prompt: "Wallet password: ")
    }

    func spendingPolicy(default name: String) throws -> SpendingPolicy {
        guard let policy else { return SpendingPolicy(name: name) }
        return try PolicyDocument.load(path: policy).spending(file: policy)
    }

    /// Opens the market and the wallet, runs `agent`, settles, and prints the outcome.
    func launch(_ agent: any Agent, policyName: String) async throws -> AgentLauncher.Outcome {
        let policy = try spendingPolicy(default: policyName)
        let folder = WalletFolder(path: wallet)
        let (key, created) = try folder.openOrCreateKey(password: try walletPassword())
        if created { CLI.note("created wallet \(wallet) for account \(AccountID(key.publicKey))") }
        let amount = try fund.map { try Amount(credits: $0) }
        let outcome: AgentLauncher.Outcome
        if let remote {
            outcome = try await RemoteRun.launch(agent, url: remote, folder: folder, key: key, policy: policy, fund: fund,
                                                 operatorKey: try operatorKey.map { try RemoteRun.openKey($0, password: try walletPassword()) },
                                                 scheme: ticks ? .tick : .voucher)
        } else {
            outcome = try await MarketLedger.withMarket(try MarketConfig.load(path: market ?? "")) { opened in
                try await AgentLauncher.run(agent, market: opened, wallet: folder, key: key, policy: policy, fund: amount,
                                            scheme: ticks ? .tick : .voucher)
            }
        }
        if let error = outcome.error {
            CLI.note("agent \(agent.name) stopped: \(error)")
        }
        return outcome
    }

    func summary(_ outcome: AgentLauncher.Outcome) -> String {
        let counts = outcome.events.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        return """
            account \(outcome.account)
            spent \(outcome.spent) credits; balance after settling \(outcome.balance) credits
            events: \(counts) (log: \(WalletFolder(path: wallet).eventsFile))
            receipts: remit wallet receipts --wallet \(wallet)
            """
    }
}

extension AgentCommand.Run {
    struct Research: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Research a topic: ask retrieval and language models, pay per query, write a report citing the credited contributors.",
            discussion: "Example: remit agent run research --market demo-market/market.yaml --wallet demo-market/wallets/research --demo-password --fund 5 --policy Policies/research-default.yaml --topic \"the weather\""
        )

        @OptionGroup var options: AgentRunOptions

        @Option(name: .long, help: "What to research.")
        var topic: String

        @Option(name: .long, help: "A question to ask (repeatable); derived from the topic when none is given.")
        var question: [String] = []

        @Option(name: .long, help: ArgumentHelp("Where to write the Markdown report.", valueName: "file"))
        var out: String = "research-report.md"

        func run() async throws {
            let agent = ResearchAgent(topic: topic, questions: question, reportPath: out)
            let outcome = try await options.launch(agent, policyName: "unlimited")
            if let report = agent.lastReport.text { print(report) }
            print(options.summary(outcome))
            print("report written to \(out)")
            if outcome.error != nil { throw ExitCode(CLI.exitRefused) }
        }
    }

    struct Trading: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Paper-trade a seeded price series on signals bought per query from nearest-neighbour models.",
            discussion: "Example: remit agent run trading --market demo-market/market.yaml --wallet demo-market/wallets/trading --demo-password --fund 2 --steps 100"
        )

        @OptionGroup var options: AgentRunOptions

        @Option(name: .long, help: "Steps to trade.")
        var steps: Int = 100

        @Option(name: .long, help: "Seed of the price series traded (not the training data's).")
        var seed: UInt64 = 2_026

        @Option(name: .long, help: "Credits at stake per trade.")
        var notional: Double = 1

        @Option(name: .long, help: ArgumentHelp("Where to write the Markdown report.", valueName: "file"))
        var out: String = "trading-report.md"

        func run() async throws {
            let agent = TradingAgent(seed: seed, steps: steps, notional: notional, tags: ["signals"], reportPath: out)
            let outcome = try await options.launch(agent, policyName: "unlimited")
            if let result = agent.lastResult.result { print(result.markdown()) }
            print(options.summary(outcome))
            if outcome.error != nil { throw ExitCode(CLI.exitRefused) }
        }
    }
}
