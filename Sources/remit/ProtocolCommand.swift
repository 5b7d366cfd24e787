import ArgumentParser
import RemitChannels
import RemitCore
import RemitInference
import RemitLedger

struct ProtocolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protocol",
        abstract: "Protocol reference material.",
        subcommands: [Vectors.self, InferenceVectorsCommand.self, LedgerVectorsCommand.self]
    )

    struct Vectors: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the test vectors of docs/PROTOCOL.md (Markdown), computed by this build."
        )

        enum Section: String, ExpressibleByArgument, CaseIterable {
            case messages, channels
        }

        @Option(name: .long, help: "Which section's vectors: \(Section.allCases.map(\.rawValue).joined(separator: ", ")).")
        var section: Section = .messages

        func run() async throws {
            switch section {
            case .messages: print(ProtocolVectors.markdown(), terminator: "")
            case .channels: print(ChannelVectors.markdown(), terminator: "")
            }
        }
    }

    struct InferenceVectorsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inference-vectors",
            abstract: "Print the inference test vectors of docs/PROTOCOL.md §10.9 (Markdown), computed by this build."
        )

        func run() async throws {
            print(InferenceVectors.markdown(), terminator: "")
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
