import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitRuntime
import RemitServer

/// `remit agent run … --remote URL`: the same agents and wallet against a `remit serve` node.
enum RemoteRun {
    /// Connects, funds the wallet through the operator-signed faucet when asked, runs the agent, settles.
    static func launch(
        _ agent: any Agent, url: String, folder: WalletFolder, key: SigningKey, policy: SpendingPolicy, fund: String?, operatorKey: SigningKey?,
        scheme: PaymentScheme
    ) async throws -> AgentLauncher.Outcome {
        let remote = try await RemoteMarket.connect(url)
        do {
            CLI.note("connected to \(url): ledger \(remote.ledger.ledgerID.hex.prefix(16))…, \(remote.models.count) models")
            if let fund {
                guard let operatorKey else {
                    throw CLIFailure.badInput("--fund with --remote needs --operator-key FILE (or fund the wallet beforehand: remit ledger faucet \(AccountID(key.publicKey)) --amount \(fund))")
                }
                try await remote.ledger.faucet(key.publicKey, credits: fund, operatorKey: operatorKey)
                CLI.note("funded \(AccountID(key.publicKey)) with \(fund) credits through the admin faucet")
            }
            let outcome = try await AgentLauncher.run(agent, ledger: remote.ledger, endpoints: remote.endpoints, wallet: folder, key: key,
                                                      policy: policy, scheme: scheme)
            await remote.client.shutdown()
            return outcome
        } catch {
            await remote.client.shutdown()
            throw error
        }
    }

    /// Opens a keystore file.
    static func openKey(_ path: String, password: [UInt8]) throws -> SigningKey {
        let bytes = try CLI.readFile(path, what: "operator keystore")
        return try Keystore.open(bytes, password: password)
    }
}
