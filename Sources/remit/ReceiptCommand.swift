import ArgumentParser
import RemitCore
import RemitCrypto
import RemitInference

struct ReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Check attribution receipts by replaying them.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a receipt bundle against the datanets and print match or the first difference.",
            discussion: """
                FILE is a receipt bundle (docs/PROTOCOL.md §10.6): the signed receipt, the request and the model \
                manifest. The model is rebuilt from each --datanet at the version the manifest names, the request \
                is answered again, and the response digest, token count, coverage and every attribution entry \
                are compared with the receipt. Exit status 0 on a match, 1 on a difference, 2 on unreadable input.
                """
        )

        @Argument(help: ArgumentHelp("Receipt bundle (JSON).", valueName: "file"))
        var file: String

        @Option(name: .long, help: ArgumentHelp("Datanet folder (repeat for several).", valueName: "dir"))
        var datanet: [String] = []

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        struct Outcome: Encodable {
            var file: String
            var match: Bool
            var firstDifference: String?
            var model: String
            var modelVersion: String
        }

        func run() async throws {
            let bundle = try ReceiptBundle(json: try CLI.readFile(file, what: "receipt bundle"))
            var datanets: [Datanet] = []
            // An audit: check every signature, whatever the log's seal says (docs/PROTOCOL.md §10.2).
            for dir in datanet { datanets.append(try Datanet(folder: dir, verifyingSignatures: true)) }
            let result = try await Replay.verifyAttribution(bundle: bundle, datanets: datanets)
            let outcome = Outcome(file: file, match: result.isMatch, firstDifference: result.firstDifference, model: bundle.manifest.name,
                                  modelVersion: bundle.manifest.modelVersion.hex)
            if json {
                CLI.printJSON(outcome)
            } else if result.isMatch {
                print("match  \(file): model \(bundle.manifest.name) \(bundle.manifest.modelVersion), \(bundle.receipt.message.attribution.count) credited contributions replayed")
            } else {
                print("MISMATCH  \(file): \(result.firstDifference!)")
            }
            if !result.isMatch { throw ExitCode(CLI.exitRefused) }
        }
    }
}
