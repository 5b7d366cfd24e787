import ArgumentParser
import Foundation
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime

struct MarketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market",
        abstract: "Create and inspect markets: a ledger, datanets, and model owners' priced models (market.yaml).",
        subcommands: [Init.self, Show.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a demo market folder on the embedded defaults (public demo password).",
            discussion: """
                Creates DIR/remit.ledger (with operator.key), a model owner, the fortunes datanet (the Debian \
                fortunes collections: real text, each quote credited to its author), a seeded synthetic \
                price-series datanet, four models (fortune-qa bm25, fortune-lm infinigram, fortune-trace \
                span-trace, price-direction knn-classify), their revenue policies, and DIR/market.yaml. \
                Everything is registered on the ledger. Keys are sealed with the public demo password.

                With --ledger postgres://… the ledger goes in that PostgreSQL database (or schema) instead of \
                DIR/remit.ledger, and market.yaml names the URL (without its password): several `remit serve` \
                nodes can then serve the market, each with its own --books folder.

                Example: remit market init demo-market && remit market show --market demo-market/market.yaml
                Example: remit market init m --ledger postgres://remit@127.0.0.1:5432/remit
                """
        )

        @Argument(help: ArgumentHelp("Folder to create.", valueName: "dir"))
        var dir: String

        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Fortune collections to import instead of all of /usr/share/games/fortunes.", valueName: "file"))
        var from: [String] = []

        @Option(name: .long, help: "Rows in the price-series datanet.")
        var priceRows: Int = 2_000

        @Option(name: .long, help: ArgumentHelp("Argon2id cost of the keys: interactive, moderate, sensitive or minimum.", valueName: "level"))
        var kdf: KDFLevel = .interactive

        @Option(name: .long, help: ArgumentHelp(
            "Put the ledger in this PostgreSQL database, which must hold no ledger yet: postgres://user[:password]@host[:port]/database[?schema=name] (default DIR/remit.ledger, SQLite).",
            valueName: "url"))
        var ledger: String?

        func run() async throws {
            let made: MarketSetup.Made
            if let ledger {
                made = try await MarketLedger.withNewLedger(ledger) { target in
                    try await MarketSetup.create(in: dir, fortunes: from, priceRows: priceRows, kdf: kdf.limits, ledger: target) { step in
                        CLI.note(step)
                    }
                }
            } else {
                made = try await MarketSetup.create(in: dir, fortunes: from, priceRows: priceRows, kdf: kdf.limits) { step in
                    CLI.note(step)
                }
            }
            print("""
                market ready: \(made.marketFile)
                  ledger \(made.ledger)
                  fortunes: \(made.fortunes.added) quotes by \(made.fortunes.contributors) contributors (\(made.fortunes.duplicates) duplicates refused)
                  prices: \(made.priceRows) rows
                  models: \(made.models.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))
                next: remit agent run research --market \(made.marketFile) --wallet \(dir)/wallets/research --demo-password --fund 5 --topic "the weather"
                """)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a market's priced models (opens it in this process).")

        @Option(name: .long, help: ArgumentHelp("The market file.", valueName: "file"))
        var market: String

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() async throws {
            try await MarketLedger.withMarket(try MarketConfig.load(path: market)) { opened in try await show(opened) }
        }

        func show(_ opened: LocalMarket) async throws {
            var rows: [ListingRow] = []
            for endpoint in opened.endpoints {
                let listing = try await endpoint.listing().message
                rows.append(ListingRow(name: listing.name, kind: listing.kind, model: listing.model.hex, owner: AccountID(listing.owner).description,
                                       pricePerQuery: listing.pricePerQuery.description, pricePerOutputToken: listing.pricePerOutputToken.description,
                                       maxOutputTokens: listing.maxOutputTokens, split: "\(listing.split.ownerBps)/\(listing.split.contributorsBps)/\(listing.split.treasuryBps)",
                                       tags: listing.tags, listingSequence: listing.listingSequence))
            }
            if json {
                CLI.printJSON(rows)
                return
            }
            print("ledger \(opened.ledger.id)")
            for row in rows {
                print("\(row.name) (\(row.kind)) \(row.model.prefix(16))…  \(row.pricePerQuery) credits/query + \(row.pricePerOutputToken)/token (max \(row.maxOutputTokens))  split owner/contributors/treasury \(row.split) bps  tags \(row.tags.joined(separator: ","))")
            }
        }
    }
}

struct ListingRow: Encodable {
    var name: String
    var kind: String
    var model: String
    var owner: String
    var pricePerQuery: String
    var pricePerOutputToken: String
    var maxOutputTokens: UInt32
    var split: String
    var tags: [String]
    var listingSequence: UInt64
}
