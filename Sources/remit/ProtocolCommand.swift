import ArgumentParser
import RemitCore
import RemitLedger

struct ProtocolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protocol",
        abstract: "Protocol reference material.",
        subcommands: [Vectors.self, LedgerVectorsCommand.self]
    )

    struct Vectors: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the test vectors of docs/PROTOCOL.md (Markdown), computed by this build."
        )

        func run() async throws {
            print(ProtocolVectors.markdown(), terminator: "")
        }
    }
}

extension ProtocolCommand {
    struct LedgerVectorsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger-vectors",
            abstract: "Print the ledger test vectors of docs/PROTOCOL.md §9 (Markdown), computed by this build."
        )

        func run() async throws {
            print(LedgerVectors.markdown(), terminator: "")
        }
    }
}
