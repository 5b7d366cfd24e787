import ArgumentParser
import Foundation
import RemitBenchmarks

/// Long-running workloads the crash tests start as child processes and kill. Hidden from help.
struct Soak: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_soak",
        abstract: "Workloads for crash tests (killed on purpose).",
        shouldDisplay: false,
        subcommands: [Channels.self]
    )

    struct Channels: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pay through a payer and a payee book in --dir as fast as possible.")

        @Option(name: .long) var dir: String
        @Option(name: .long) var queries: Int = 1_000_000

        func run() async throws {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try await ChannelSoak.run(directory: dir, queries: queries) { sequence in
                // Unbuffered, so the test sees progress before it kills us.
                FileHandle.standardOutput.write(Data("paid \(sequence)\n".utf8))
            }
        }
    }
}
