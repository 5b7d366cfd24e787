import Foundation
import RemitCore
import RemitRuntime

/// Runs ``QuoteHunter`` on a market made by `remit market init`:
///
///     swift run remit-example-agent demo-market/market.yaml demo-market/wallets/hunter
@main
struct Main {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            print("usage: remit-example-agent MARKET.yaml WALLET-DIR")
            exit(64)
        }
        let market = try await LocalMarket.open(try MarketConfig.load(path: arguments[1]))
        let wallet = WalletFolder(path: arguments[2])
        let (key, _) = try wallet.openOrCreateKey(password: Array("remit demo password".utf8))
        var policy = SpendingPolicy(name: "example")
        policy.total = try Amount(credits: "0.05")
        let agent = QuoteHunter(questions: ["What is said about the weather?", "What is said about cats?", "What is love?"])
        let outcome = try await AgentLauncher.run(agent, market: market, wallet: wallet, key: key, policy: policy, fund: try Amount(credits: "0.1"))
        print("\(agent.name) spent \(outcome.spent) credits; events in \(wallet.eventsFile)")
    }
}
