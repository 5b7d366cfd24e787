import ArgumentParser
import Foundation
import RemitCore
import RemitCrypto
import RemitInference

/// Where a datanet's keystore password comes from: the usual options, or the fixed demo password.
struct DatanetPasswordOptions: ParsableArguments {
    @OptionGroup var password: PasswordOptions

    @Flag(name: .long, help: "Use the fixed, public demo password (demo datanets only: it protects nothing).")
    var demoPassword = false

    @Option(name: .long, help: ArgumentHelp("Argon2id cost for new keystores: interactive, moderate, sensitive or minimum (tests only).", valueName: "level"))
    var kdf: KDFLevel = .interactive

    func resolve() throws(CLIFailure) -> [UInt8] {
        if demoPassword {
            if password.passwordFile != nil || password.passwordEnv != nil {
                throw .badInput("give either --demo-password or a password source, not both")
            }
            CLI.note("using the public demo password: the datanet's keys are not protected")
            return DatanetKeys.demoPassword
        }
        return try password.password(prompt: "Datanet keystore password: ")
    }
}

struct DatanetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datanet",
        abstract: "Create and curate datanets: signed, content-addressed, versioned contributions.",
        discussion: """
            A datanet is a folder (docs/PROTOCOL.md §10.2): the curator's signed registration, a log of \
            signed contributions and removals, content files named by their BLAKE2b-256 digest, and the \
            recorded versions (Merkle roots over the live contribution ids). Contributors sign their own \
            contributions; authors who cannot sign (imported quotations) get custodial keys derived from \
            the datanet's custodian key.

            Ledger: the signed messages are signed for --ledger-id (default: the fixed offline "local" \
            ledger id of docs/PROTOCOL.md §10.2). Registering them on a ledger (bond escrow, return, \
            slashing) is the ledger's job: `remit datanet show` counts the messages a ledger must record.
            """,
        subcommands: [Create.self, Add.self, Import.self, Remove.self, List.self, Show.self, Verify.self, SynthPrices.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a datanet folder with a new curator key (or --curator-key) and a custodian key.",
            discussion: "Example: remit datanet create quotes --name quotes --bond 0.01 --holding-period 604800 --password-env PW"
        )

        @Argument(help: ArgumentHelp("Folder to create the datanet in.", valueName: "dir"))
        var dir: String

        @Option(name: .long, help: "Datanet name (1...128 bytes); the datanet id is derived from the curator key and this name.")
        var name: String

        @Option(name: .long, help: "What the datanet collects.")
        var description: String = ""

        @Option(name: .long, help: ArgumentHelp("Bond escrowed on the ledger per contribution, in credits.", valueName: "credits"))
        var bond: String = "0"

        @Option(name: .long, help: ArgumentHelp("Seconds before a contribution's bond can be returned.", valueName: "seconds"))
        var holdingPeriod: UInt64 = 0

        @Option(name: .long, help: ArgumentHelp("Ledger id (64 hex digits) the messages are signed for; default: the local ledger.", valueName: "hex"))
        var ledgerId: String?

        @Option(name: .long, help: ArgumentHelp("Use this keystore as the curator key (same password).", valueName: "file"))
        var curatorKey: String?

        @OptionGroup var keys: DatanetPasswordOptions

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            let password = try keys.resolve()
            let ledger = try ledgerId.map { try LedgerID(hex: $0) } ?? DatanetKeys.localLedger
            let curator = try curatorKey.map { try Keystore.open(try CLI.readFile($0, what: "curator keystore"), password: password) } ?? SigningKey()
            let datanet = try Datanet.create(in: dir, name: name, description: description, curator: curator, ledger: ledger,
                                             bond: try Amount(credits: bond), holdingPeriod: holdingPeriod)
            try DatanetKeys.seal(curator: curator, in: dir, password: password, limits: keys.kdf.limits)
            try await DatanetView.show(datanet, json: json)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add text files or the rows of a CSV file as contributions.",
            discussion: """
                Each text file is one contribution; each CSV row is one (the header names the features and \
                the target column, --target, default the last column). Contributions are signed by \
                --contributor-key (a keystore opened with the same password) or by the custodial key of \
                --contributor NAME. Exact duplicates are refused and named; the rest are added.

                Example: remit datanet add prices --csv prices.csv --target direction --contributor "price feed" --password-env PW
                """
        )

        @Argument(help: ArgumentHelp("Datanet folder.", valueName: "dir"))
        var dir: String

        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Text files, one contribution each.", valueName: "file"))
        var text: [String] = []

        @Option(name: .long, help: ArgumentHelp("CSV file, one contribution per row.", valueName: "file"))
        var csv: String?

        @Option(name: .long, help: ArgumentHelp("CSV target column (default: the last).", valueName: "column"))
        var target: String?

        @Option(name: .long, help: ArgumentHelp("Custodial contributor name (its key is derived from the custodian key).", valueName: "name"))
        var contributor: String?

        @Option(name: .long, help: ArgumentHelp("Contributor keystore (opened with the same password).", valueName: "file"))
        var contributorKey: String?

        @Option(name: .long, help: "Label for the contributions (default: the contributor name, or the file name).")
        var label: String?

        @OptionGroup var keys: DatanetPasswordOptions

        func validate() throws {
            guard text.isEmpty != (csv == nil) else { throw ValidationError("give either --text FILE... or --csv FILE") }
            guard (contributor == nil) != (contributorKey == nil) else { throw ValidationError("give either --contributor NAME or --contributor-key FILE") }
        }

        func run() async throws {
            let datanet = try Datanet(folder: dir)
            let password = try keys.resolve()
            let key: SigningKey
            if let contributorKey {
                key = try Keystore.open(try CLI.readFile(contributorKey, what: "contributor keystore"), password: password)
            } else {
                let name = contributor!
                key = try DatanetKeys.custodian(in: dir, password: password).contributorKey(for: name)
                try DatanetKeys.record(contributors: [name: key.publicKey], in: dir)
            }
            var pending: [PendingContribution] = []
            if let csv {
                let table = try CSVTable(parsing: String(decoding: try CLI.readFile(csv, what: "CSV file"), as: UTF8.self))
                let (schema, contents) = try table.rowContents(target: target)
                try await datanet.setSchema(schema)
                let base = (csv as NSString).lastPathComponent
                for (i, content) in contents.enumerated() {
                    pending.append(PendingContribution(content: content, kind: .row, label: label ?? "\(base) row \(i + 1)", contributor: key))
                }
            } else {
                for file in text {
                    let bytes = try CLI.readFile(file, what: "text file")
                    pending.append(PendingContribution(content: bytes, kind: .text, label: label ?? contributor ?? (file as NSString).lastPathComponent, contributor: key))
                }
            }
            let report = try await datanet.add(pending)
            for duplicate in report.duplicates { CLI.note("refused: \(duplicate.message) [\(duplicate.code)]") }
            print("added \(report.added.count) contribution(s), refused \(report.duplicates.count) duplicate(s); version \(await datanet.currentVersion())")
            if report.added.isEmpty && !report.duplicates.isEmpty { throw ExitCode(CLI.exitBadInput) }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a contribution (curator only); spam and duplicate slash its bond, other returns it.",
            discussion: "From the next version on the contribution is left out of every model built and earns nothing."
        )

        @Argument(help: ArgumentHelp("Datanet folder.", valueName: "dir"))
        var dir: String

        @Argument(help: ArgumentHelp("Contribution id (64 hex digits).", valueName: "contribution"))
        var contribution: String

        @Option(name: .long, help: "spam, duplicate or other.")
        var reason: String

        @Option(name: .long, help: "A note (at most 256 bytes).")
        var note: String = ""

        @OptionGroup var keys: DatanetPasswordOptions

        func run() async throws {
            guard let why = [ContributionRemoval.Reason.spam, .duplicate, .other].first(where: { $0.name == reason }) else {
                throw CLIFailure.badInput("--reason \(reason) is not spam, duplicate or other")
            }
            let datanet = try Datanet(folder: dir)
            let curator = try DatanetKeys.curator(in: dir, password: try keys.resolve())
            let removal = try await datanet.remove(try ContributionID(hex: contribution), reason: why, note: note, curator: curator)
            print("removed \(removal.message.contribution) (\(why.name), bond \(why.slashesBond ? "slashed" : "returned")); version \(await datanet.currentVersion())")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a datanet's contributions (live ones; --all adds removed ones).")

        @Argument(help: ArgumentHelp("Datanet folder.", valueName: "dir"))
        var dir: String

        @Flag(name: .long, help: "Include removed contributions.")
        var all = false

        @Option(name: .long, help: "Show at most this many.")
        var limit: Int?

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            try await DatanetView.list(try Datanet(folder: dir), all: all, limit: limit, json: json)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a datanet: id, curator, ledger, bond, version, counts.")

        @Argument(help: ArgumentHelp("Datanet folder.", valueName: "dir"))
        var dir: String

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            try await DatanetView.show(try Datanet(folder: dir), json: json)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every signature, content file and recorded version of a datanet, then seal its log.",
            discussion: """
                Opening a datanet checks every signature only when its log does not match the seal remit wrote \
                with it (log.seal, docs/PROTOCOL.md §10.2). This command checks them all anyway, reads every \
                content file against its digest and replays every recorded version; when all pass it writes \
                the seal, so later commands open the datanet without checking the signatures again. Run it on \
                a datanet folder you received. Exit status 0 when everything checks, 1 with the first failure, \
                2 when DIR holds no datanet.
                """
        )

        @Argument(help: ArgumentHelp("Datanet folder.", valueName: "dir"))
        var dir: String

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            guard FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("datanet.json")) else {
                throw CLIFailure.badInput("\(dir) holds no datanet (no datanet.json)")
            }
            let result: DatanetVerification
            do {
                result = try await Datanet.verify(folder: dir)
            } catch {
                throw CLIFailure.refused("REFUSED: \(error.message) [\(error.code)]")
            }
            if json { return CLI.printJSON(result) }
            print("verified \(result.signatures) signatures, \(result.contents) content files, \(result.versions) recorded versions; "
                  + "sealed \(result.seal.events) log lines (head \(result.seal.head))")
        }
    }

    struct SynthPrices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synth-prices",
            abstract: "Write a synthetic, seeded price-series CSV (AR(1) returns; not market data) for row datanets."
        )

        @Option(name: .long, help: ArgumentHelp("CSV file to write.", valueName: "file"))
        var out: String

        @Option(name: .long, help: "Seed of the generator.")
        var seed: UInt64 = 1

        @Option(name: .long, help: "Number of rows.")
        var rows: Int = 2_000

        @Option(name: .long, help: "Target column: direction (up/down) or next_return_bps.")
        var target: String = "direction"

        func run() async throws {
            guard let t = PriceSeries.Target(rawValue: target) else { throw CLIFailure.badInput("--target \(target) is not direction or next_return_bps") }
            guard rows > 0 else { throw CLIFailure.badInput("--rows must be at least 1") }
            guard FileManager.default.createFile(atPath: out, contents: Data(PriceSeries.csv(seed: seed, rows: rows, target: t).utf8)) else {
                throw CLIFailure.badInput("cannot write \(out)")
            }
            print("wrote \(rows) synthetic rows (seed \(seed), target \(t.rawValue)) to \(out)")
        }
    }
}
