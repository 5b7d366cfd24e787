import ArgumentParser
import Logging
import Foundation
import RemitCore
import RemitCrypto

/// The `remit` command: thin argument parsing over the Remit libraries.
@main
struct Remit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remit",
        abstract: "Agent-to-agent micropayments with attribution receipts.",
        discussion: """
            Logs go to stderr at level warning; set REMIT_LOG_LEVEL=info (or debug) for more. \
            Exit codes: 0 success; 1 a check ran and refused (bad signature, failed verification, \
            a refused payment); 2 bad input (missing or malformed file, wrong password, invalid value); \
            64 a usage error (unknown option, missing argument).
            """,
        version: "remit \(RemitVersion.string) (protocol v\(RemitVersion.protocolVersion))",
        subcommands: [Keys.self, Verify.self, LedgerCommand.self, DatanetCommand.self, MarketCommand.self, ServeCommand.self, AgentCommand.self, WalletCommand.self, Simulate.self, ModelCommand.self, ReceiptCommand.self, ProtocolCommand.self, Bench.self, Demo.self, Soak.self]
    )

    /// Runs the command and maps errors to the documented exit codes and one clear line on stderr.
    static func main() async {
        // Logs go to stderr, warnings and up unless REMIT_LOG_LEVEL says otherwise
        // (trace, debug, info, notice, warning, error, critical); stdout stays for results.
        let level = ProcessInfo.processInfo.environment["REMIT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            CLI.printError(failure.message)
            Foundation.exit(failure.exitCode)
        } catch let error as RemitError {
            CLI.printError("\(error.message) [\(error.code)]")
            Foundation.exit(CLI.exitBadInput)
        } catch let error as CryptoError {
            CLI.printError("\(error.message) [\(error.code)]")
            Foundation.exit(CLI.exitBadInput)
        } catch {
            exit(withError: error)
        }
    }
}
