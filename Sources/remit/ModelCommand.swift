import ArgumentParser
import Foundation
import RemitCore
import RemitCrypto
import RemitInference

struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Build deterministic models from datanets and query them with attribution.",
        discussion: """
            Kinds: infinigram (∞-gram language model), bm25 (retrieval question answering), knn-classify and \
            knn-regress (nearest neighbours over numeric rows, exact kNN-Shapley attribution), span-trace \
            (verbatim spans of any text). A model folder holds manifest.json and index.bin; the manifest \
            names the datanet versions it was built from, so anyone holding them can replay an answer.
            """,
        subcommands: [Build.self, List.self, Query.self]
    )

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a model of KIND from the current versions of one or more datanets.",
            discussion: "Example: remit model build infinigram --datanet demo/fortunes --out demo/models/fortune-lm --name fortune-lm"
        )

        @Argument(help: ArgumentHelp("infinigram, bm25, knn-classify, knn-regress or span-trace.", valueName: "kind"))
        var kind: String

        @Option(name: .long, help: ArgumentHelp("Datanet folder (repeat for several).", valueName: "dir"))
        var datanet: [String] = []

        @Option(name: .long, help: ArgumentHelp("Model folder to write.", valueName: "dir"))
        var out: String

        @Option(name: .long, help: "Model name (default: the --out folder's name).")
        var name: String?

        @Option(name: .long, help: ArgumentHelp("Build parameter (bm25: k1, b; knn: k).", valueName: "key=value"))
        var param: [String] = []

        @Flag(name: .long, help: "Print the manifest as JSON.")
        var json = false

        func run() async throws {
            guard let kind = ModelKind(rawValue: kind) else {
                throw CLIFailure.badInput("unknown model kind \(self.kind); kinds: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard !datanet.isEmpty else { throw CLIFailure.badInput("give at least one --datanet DIR") }
            var params: [String: String] = [:]
            for entry in param {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw CLIFailure.badInput("--param \(entry) is not key=value") }
                params[parts[0]] = parts[1]
            }
            var snapshots: [DatanetSnapshot] = []
            for dir in datanet { snapshots.append(try await Datanet(folder: dir).snapshot()) }
            let clock = ContinuousClock()
            let started = clock.now
            let manifest = try await ModelFactory.build(kind: kind, name: name ?? (out as NSString).lastPathComponent, snapshots: snapshots,
                                                  params: params, into: out, progress: CLI.progress)
            let elapsed = started.duration(to: clock.now)
            if json { return CLI.printJSON(ModelView.Info(folder: out, manifest: manifest)) }
            let size = (try? FileManager.default.attributesOfItem(atPath: out + "/" + ModelFactory.indexFile)[.size] as? NSNumber)?.intValue ?? 0
            print("built \(kind.rawValue) model \(manifest.name) in \(elapsed) from \(snapshots.map { "\($0.name) (\($0.documents.count) contributions)" }.joined(separator: ", "))")
            print("  version \(manifest.modelVersion), index \(size) bytes, folder \(out)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List model folders: the ones given, or every folder under --root.")

        @Argument(help: ArgumentHelp("Model folders.", valueName: "dir"))
        var dirs: [String] = []

        @Option(name: .long, help: ArgumentHelp("Folder whose subfolders are models.", valueName: "dir"))
        var root: String = "models"

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            var folders = dirs
            if folders.isEmpty {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
                folders = names.sorted().map { root + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0 + "/" + ModelFactory.manifestFile) }
            }
            let infos = try folders.map { ModelView.Info(folder: $0, manifest: try ModelFactory.manifest(folder: $0)) }
            if json { return CLI.printJSON(infos) }
            for info in infos {
                print("\(info.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(info.kind.padding(toLength: 13, withPad: " ", startingAt: 0)) \(info.modelVersion.prefix(16))…  \(info.folder)")
            }
            if infos.isEmpty { print("no models under \(root)") }
        }
    }
}

/// Views of models and answers for the CLI.
enum ModelView {
    struct Info: Encodable {
        var folder: String
        var name: String
        var kind: String
        var modelVersion: String
        var params: [String: String]
        var tokenizer: String
        var datanets: [DatanetVersion]

        init(folder: String, manifest: ModelManifest) {
            self.folder = folder
            name = manifest.name
            kind = manifest.kind.rawValue
            modelVersion = manifest.modelVersion.hex
            params = manifest.params
            tokenizer = manifest.tokenizer
            datanets = manifest.datanets
        }
    }

    static func percent(_ bps: Int) -> String { String(format: "%6.2f%%", Double(bps) / 100) }

    static func explain(_ answer: ModelAnswer, manifest: ModelManifest) {
        print("answer:   \(answer.output)")
        print("model:    \(manifest.name) (\(manifest.kind.rawValue)), version \(manifest.modelVersion)")
        print("coverage: \(percent(Int(answer.coverageBps)).trimmingCharacters(in: .whitespaces)) of \(answer.outputTokens) output token(s) attributed")
        guard !answer.attribution.isEmpty else { return print("credited: nobody (nothing in the datanet supports this answer)") }
        let labels = Dictionary(answer.explanation.credits.map { ($0.contributor, $0.label) }) { first, _ in first }
        let contributors = answer.contributorWeights
        print("credited contributors (\(contributors.count)):")
        for c in contributors {
            let label = (labels[c.contributor] ?? "").padding(toLength: 28, withPad: " ", startingAt: 0)
            print("  \(percent(Int(c.weightBps)))  \(label) \(AccountID(c.contributor))  (\(c.contributions) contribution\(c.contributions == 1 ? "" : "s"))")
        }
        print("contributions (\(answer.attribution.count), weights in basis points summing to 10000):")
        for credit in answer.explanation.credits.prefix(12) {
            print("  \(String(credit.weightBps).padding(toLength: 5, withPad: " ", startingAt: 0)) \(credit.contribution.hex.prefix(16))…  \(credit.label)")
        }
        if answer.explanation.credits.count > 12 { print("  … \(answer.explanation.credits.count - 12) more") }
        for span in answer.explanation.spans.prefix(8) { print("span:     \"\(span.text)\" (\(span.length) tokens, \(span.occurrences) occurrence(s))") }
        for passage in answer.explanation.passages { print(String(format: "passage:  %.4f  ", passage.score) + "\(passage.contribution.hex.prefix(16))…  \(passage.label)") }
        for n in answer.explanation.neighbours.prefix(5) { print(String(format: "row:      shapley %+.6f  distance %.4f  ", n.shapley, n.distance) + "target \(n.target)  \(n.label)") }
        print("method:   \(answer.explanation.method)")
    }
}
