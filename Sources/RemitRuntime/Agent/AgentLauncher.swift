import Foundation
public import Logging
public import RemitChannels
public import RemitCore
public import RemitCrypto
import RemitLedger

/// Runs one agent against a market with its wallet folder: opens the wallet (key, book, event
/// log), makes every listed model reachable, funds the wallet when asked, runs the agent in an
/// ``AgentRuntime`` and settles its channels when it stops.
public enum AgentLauncher {
    /// What a run leaves behind.
    public struct Outcome: Sendable {
        /// The wallet's account.
        public var account: AccountID
        /// Spent under the policy during the run.
        public var spent: Amount
        /// Ledger balance after settlement.
        public var balance: Amount
        /// Events by kind.
        public var events: [AgentEvent.Kind: Int]
        /// The agent's error, if it failed.
        public var error: SendableError?
    }

    /// Runs `agent` on a market opened in this process; `fund` credits come from its treasury first.
    public static func run(
        _ agent: any Agent, market: LocalMarket, wallet folder: WalletFolder, key: SigningKey, policy: SpendingPolicy,
        fund: Amount? = nil, scheme: PaymentScheme = .voucher, logger: Logger = Logger(label: "remit.agent")
    ) async throws(RemitError) -> Outcome {
        if let fund, fund > .zero { try await market.fund(key.publicKey, amount: fund) }
        return try await run(agent, ledger: market.access, endpoints: market.endpoints, wallet: folder, key: key, policy: policy,
                             scheme: scheme, logger: logger)
    }

    /// Runs `agent` against any ledger and model endpoints (in this process or over HTTP).
    public static func run(
        _ agent: any Agent, ledger: any LedgerAccess, endpoints: [any ModelEndpoint], wallet folder: WalletFolder, key: SigningKey,
        policy: SpendingPolicy, scheme: PaymentScheme = .voucher, logger: Logger = Logger(label: "remit.agent")
    ) async throws(RemitError) -> Outcome {
        let log = try EventLog(path: folder.eventsFile)
        let sink = EventSink(agent: agent.name, log: log)
        let wallet: Wallet
        do {
            wallet = try await Wallet(key: key, ledger: ledger, bookPath: folder.bookFile, policy: policy,
                                      directory: Directory(ledger: ledger.ledgerID), events: sink, scheme: scheme, logger: logger)
        } catch let error as RemitError {
            throw error
        } catch {
            throw RemitError(.runtimeIO, "cannot open the wallet book \(folder.bookFile): \(error)")
        }
        for endpoint in endpoints { try await wallet.add(endpoint: endpoint) }
        let before = await wallet.policy.spent
        let runtime = AgentRuntime(agents: [AgentRuntime.Hosted(agent: agent, wallet: wallet, events: sink)], clock: WallClock(), log: log, logger: logger)
        do {
            try await runtime.run()
        } catch {
            throw RemitError(.runtimeIO, "the agent runtime stopped: \(error)")
        }
        let spent = try (await wallet.policy.spent).subtracting(before)
        return Outcome(account: AccountID(key.publicKey), spent: spent, balance: try await ledger.balance(of: key.publicKey),
                       events: sink.tally, error: runtime.results.first?.error.map { SendableError($0) })
    }
}
