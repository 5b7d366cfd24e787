import ArgumentParser
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

        func run() async throws {
            print(ProtocolVectors.markdown(), terminator: "")
        }
    }
}
