import ArgumentParser
import Foundation
import RemitCore
import RemitCrypto
import RemitInference

extension DatanetCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import real text: the Debian fortunes collections, each quote credited to its author.",
            discussion: """
                `remit datanet import fortunes DIR` reads every collection under /usr/share/games/fortunes \
                (Debian packages fortunes and fortunes-min; `make demo` installs them), or the files given \
                with --from. Each quote becomes a text contribution signed by its attributed author's \
                custodial key (one per distinct author); quotes without an attribution line go to the \
                shared "community" contributor. Exact duplicates across collections are refused and counted. \
                The datanet is created when DIR holds none.

                Example: remit datanet import fortunes demo/fortunes --demo-password
                """
        )

        @Argument(help: ArgumentHelp("What to import: fortunes.", valueName: "source"))
        var source: String

        @Argument(help: ArgumentHelp("Datanet folder (created when missing).", valueName: "dir"))
        var dir: String

        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Collections to read instead of all of /usr/share/games/fortunes.", valueName: "file"))
        var from: [String] = []

        @Option(name: .long, help: "Name of the datanet when it is created.")
        var name: String = "fortunes"

        @Option(name: .long, help: ArgumentHelp("Ledger id for a new datanet (64 hex digits); default: the local ledger.", valueName: "hex"))
        var ledgerId: String?

        @Option(name: .long, help: ArgumentHelp("Bond per contribution of a new datanet, in credits.", valueName: "credits"))
        var bond: String = "0"

        @OptionGroup var keys: DatanetPasswordOptions

        func run() async throws {
            guard source == "fortunes" else { throw CLIFailure.badInput("unknown import source \(source); the only source is fortunes") }
            let files = from.isEmpty ? FortunesImporter.defaultFiles() : from
            guard !files.isEmpty else {
                throw CLIFailure.badInput("no fortune collections under \(FortunesImporter.debianDirectory): install the Debian packages fortunes and fortunes-min (make demo does), or give --from FILE")
            }
            let password = try keys.resolve()
            let datanet: Datanet
            let custodian: Custodian
            if FileManager.default.fileExists(atPath: dir + "/datanet.json") {
                datanet = try Datanet(folder: dir)
                custodian = try DatanetKeys.custodian(in: dir, password: password)
            } else {
                let curator = SigningKey()
                let ledger = try ledgerId.map { try LedgerID(hex: $0) } ?? DatanetKeys.localLedger
                datanet = try Datanet.create(in: dir, name: name, description: "Quotations from the Debian fortunes collections",
                                             curator: curator, ledger: ledger, bond: try Amount(credits: bond), holdingPeriod: 7 * 86_400)
                custodian = try DatanetKeys.seal(curator: curator, in: dir, password: password, limits: keys.kdf.limits)
            }
            var entries: [FortunesImporter.Entry] = []
            for (i, file) in files.enumerated() {
                let collection = (file as NSString).lastPathComponent
                entries += FortunesImporter.parse(try CLI.readFile(file, what: "fortune collection"), collection: collection)
                CLI.progress("reading collections", i + 1, files.count)
            }
            CLI.progress("signing \(entries.count) quotes", 0, 1)
            let (pending, contributors) = FortunesImporter.pending(entries, custodian: custodian)
            try DatanetKeys.record(contributors: contributors, in: dir)
            let report = try await datanet.add(pending)
            CLI.progress("signing \(entries.count) quotes", 1, 1)
            let attributed = entries.filter { $0.author != nil }.count
            print("""
                imported \(report.added.count) quotes from \(files.count) collection(s) into datanet \(datanet.name) (\(datanet.id))
                  \(attributed) attributed to \(contributors.count - (contributors[Custodian.community] == nil ? 0 : 1)) authors, \(entries.count - attributed) to the community contributor
                  \(report.duplicates.count) exact duplicates refused
                  version \(await datanet.currentVersion())
                """)
        }
    }
}
