import ArgumentParser
import Foundation
import Logging
import RemitCore
import RemitCrypto
import RemitInference

extension ModelCommand {
    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask a model and show the answer with whose data shaped it.",
            discussion: """
                Give the input of the model's kind: --prompt (infinigram; --max-tokens, --seed for seeded sampling, \
                greedy otherwise), --question (bm25; --top-k), --features 1.5,2,3 (knn), --trace TEXT (span-trace; \
                --min-tokens). --explain prints each credited contributor with its weight. --receipt-out FILE writes \
                a receipt bundle signed by --owner-key (a local receipt: zero channel, sequence 1, price 0) that \
                `remit receipt verify` replays.

                Example: remit model query demo/models/fortune-lm --prompt "The best way to" --max-tokens 24 --explain
                """
        )

        @Argument(help: ArgumentHelp("Model folder.", valueName: "dir"))
        var dir: String

        @Option(name: .long, help: "Prompt to continue (infinigram).")
        var prompt: String?

        @Option(name: .long, help: "Most tokens to generate (1...4096).")
        var maxTokens: UInt32 = 32

        @Option(name: .long, help: "Seed for sampling; greedy when absent.")
        var seed: UInt64?

        @Option(name: .long, help: "Question (bm25).")
        var question: String?

        @Option(name: .long, help: "Passages to use (1...100).")
        var topK: UInt32 = 3

        @Option(name: .long, help: ArgumentHelp("Comma-separated numbers (knn).", valueName: "x1,x2,…"))
        var features: String?

        @Option(name: .long, help: "Text to trace (span-trace).")
        var trace: String?

        @Option(name: .long, help: "Shortest span to report, in tokens.")
        var minTokens: UInt32 = 4

        @Flag(name: .long, help: "Print the credited contributors and contributions with their weights.")
        var explain = false

        @Flag(name: .long, help: "Print the answer, digests and attribution as JSON.")
        var json = false

        @Option(name: .long, help: ArgumentHelp("Write a signed receipt bundle here.", valueName: "file"))
        var receiptOut: String?

        @Option(name: .long, help: ArgumentHelp("Keystore of the model owner who signs the receipt.", valueName: "file"))
        var ownerKey: String?

        @Option(name: .long, help: ArgumentHelp("Ledger id for the receipt (64 hex digits); default: the local ledger.", valueName: "hex"))
        var ledgerId: String?

        @OptionGroup var password: PasswordOptions

        func request() throws(CLIFailure) -> ModelRequest {
            let given = [prompt != nil, question != nil, features != nil, trace != nil].filter { $0 }.count
            guard given == 1 else { throw .badInput("give exactly one of --prompt, --question, --features, --trace") }
            if let prompt { return .generate(prompt: prompt, maxTokens: maxTokens, sampling: seed.map { .seeded($0) } ?? .greedy) }
            if let question { return .question(question, topK: topK) }
            if let trace { return .trace(trace, minTokens: minTokens) }
            var values: [Double] = []
            for part in features!.split(separator: ",") {
                guard let v = Double(part.trimmingCharacters(in: .whitespaces)) else { throw .badInput("--features: \"\(part)\" is not a number") }
                values.append(v)
            }
            return .features(values)
        }

        func run() async throws {
            let request = try request()
            try request.validate()
            var logger = Logger(label: "remit.model-host")
            logger.logLevel = .warning
            let host = ModelHost(budgetBytes: 1 << 33, logger: logger)
            let manifest = try await host.register(folder: dir)
            let answer = try await host.answer(model: manifest.name, request: request)
            if let receiptOut {
                guard let ownerKey else { throw CLIFailure.badInput("--receipt-out needs --owner-key FILE (the model owner's keystore)") }
                let owner = try Keystore.open(try CLI.readFile(ownerKey, what: "owner keystore"), password: try password.password())
                let ledger = try ledgerId.map { try LedgerID(hex: $0) } ?? DatanetKeys.localLedger
                let receipt = answer.receipt(request: request, manifest: manifest, owner: owner.publicKey, ledger: ledger, channel: ChannelID(.zero),
                                             sequence: 1, listingSequence: 0, price: .zero)
                try receipt.validate()
                let bundle = ReceiptBundle(receipt: Signed(signing: receipt, with: owner), request: request, manifest: manifest, output: answer.output)
                guard FileManager.default.createFile(atPath: receiptOut, contents: Data(bundle.jsonBytes())) else {
                    throw CLIFailure.badInput("cannot write \(receiptOut)")
                }
                CLI.note("wrote receipt bundle \(receiptOut)")
            }
            if json {
                return CLI.printJSON(QueryResult(answer: answer, requestDigest: request.digest.hex, responseDigest: answer.responseDigest.hex,
                                                 modelVersion: manifest.modelVersion.hex))
            }
            if explain { ModelView.explain(answer, manifest: manifest) } else { print(answer.output) }
        }
    }

    struct QueryResult: Encodable {
        var answer: ModelAnswer
        var requestDigest: String
        var responseDigest: String
        var modelVersion: String
    }
}
