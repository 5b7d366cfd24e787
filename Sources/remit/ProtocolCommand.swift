import ArgumentParser
import RemitChannels
import RemitCore

struct ProtocolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protocol",
        abstract: "Protocol reference material.",
        subcommands: [Vectors.self]
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
}
