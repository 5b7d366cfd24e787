import ArgumentParser
import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitRuntime

struct WalletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "Inspect an agent's wallet: its channels and the receipts it accepted (no password needed).",
        subcommands: [Show.self, Channels.self, Receipts.self]
    )

    struct Options: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The wallet folder.", valueName: "dir"))
        var wallet: String

        @Flag(name: .long, help: "Print JSON.")
        var json = false
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Account, channels and spending at a glance.")

        @OptionGroup var options: Options

        func run() async throws {
            let folder = WalletFolder(path: options.wallet)
            let contents = try folder.contents()
            let summary = try WalletSummary(account: AccountID(try folder.publicKey()), contents: contents)
            if options.json { CLI.printJSON(summary) } else { print(summary.text) }
        }
    }

    struct Channels: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every channel: payee, deposit, authorised, charged, status.")

        @OptionGroup var options: Options

        func run() async throws {
            let rows = try WalletFolder(path: options.wallet).contents().channels.map(ChannelRow.init)
            if options.json {
                CLI.printJSON(rows)
                return
            }
            if rows.isEmpty { print("no channels") }
            for row in rows {
                print("\(row.channel.prefix(16))…  payee \(row.payee.prefix(14))…  deposit \(row.deposit)  authorised \(row.authorized)  charged \(row.charged)  \(row.status)  \(row.scheme ?? "-")")
            }
        }
    }

    struct Receipts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What was paid for, to whom, and which contributors were credited.",
            discussion: "Filter with --model (id prefix) or --contributor (account id)."
        )

        @OptionGroup var options: Options

        @Option(name: .long, help: "Only receipts of models whose id starts with this.")
        var model: String?

        @Option(name: .long, help: "Only receipts crediting this contributor (account id).")
        var contributor: String?

        func run() async throws {
            let contributorKey = try contributor.map { try AccountID($0).publicKey }
            let receipts = try WalletFolder(path: options.wallet).contents().receipts.filter { paid in
                (model.map { paid.receipt.model.hex.hasPrefix($0) } ?? true)
                    && (contributorKey.map { key in paid.receipt.attribution.contains { $0.contributor == key } } ?? true)
            }
            let rows = receipts.map(ReceiptRow.init)
            if options.json {
                CLI.printJSON(rows)
                return
            }
            if rows.isEmpty { print("no receipts") }
            for row in rows {
                let credits = row.contributors.prefix(3).map { "\($0.account.prefix(12))… \(Double($0.weightBps) / 100)%" }.joined(separator: ", ")
                print("#\(row.sequence) model \(row.model.prefix(12))…  \(row.price) credits  coverage \(Double(row.coverageBps) / 100)%  \(credits)\(row.contributors.count > 3 ? ", …" : "")")
            }
            let total = try Amount.sum(receipts.map(\.receipt.price))
            print("\(rows.count) receipts, \(total) credits")
        }
    }
}

struct WalletSummary: Encodable {
    var account: String
    var channels: Int
    var openChannels: Int
    var deposited: String
    var charged: String
    var receipts: Int
    var topContributors: [ContributorCredit]

    init(account: AccountID, contents: PayerBook.Contents) throws {
        self.account = account.description
        channels = contents.channels.count
        openChannels = contents.channels.filter { $0.phase == .open }.count
        deposited = try Amount.sum(contents.channels.map(\.deposit)).description
        charged = try Amount.sum(contents.channels.map(\.charged)).description
        receipts = contents.receipts.count
        var weights: [String: Int] = [:]
        for paid in contents.receipts {
            for credit in ContributorCredit.of(paid.receipt) { weights[credit.account, default: 0] += credit.weightBps }
        }
        topContributors = weights.map { ContributorCredit(account: $0.key, weightBps: $0.value) }
            .sorted { $0.weightBps != $1.weightBps ? $0.weightBps > $1.weightBps : $0.account < $1.account }.prefix(10).map { $0 }
    }

    var text: String {
        var out = """
            account \(account)
            channels \(channels) (\(openChannels) open), deposited \(deposited) credits, charged by receipts \(charged) credits
            receipts \(receipts)
            """
        if !topContributors.isEmpty {
            out += "\ncontributors credited most (summed weight over receipts, in receipts' worth):"
            for credit in topContributors { out += "\n  \(credit.account)  \(String(format: "%.2f", Double(credit.weightBps) / 10_000))" }
        }
        return out
    }
}

struct ChannelRow: Encodable {
    var channel: String
    var payee: String
    var deposit: String
    var authorized: String
    var charged: String
    var status: String
    var scheme: String?
    var sequence: UInt64
    var expiresAt: UInt64

    init(_ channel: PayerChannel) {
        self.channel = channel.terms.channel.hex
        payee = AccountID(channel.terms.payee).description
        deposit = channel.deposit.description
        authorized = channel.authorized.description
        charged = channel.charged.description
        status = channel.phase.description
        scheme = channel.scheme?.rawValue
        sequence = max(channel.sequence, channel.tickIndex)
        expiresAt = channel.expiresAt
    }
}

struct ReceiptRow: Encodable {
    var channel: String
    var sequence: UInt64
    var model: String
    var listingSequence: UInt64
    var price: String
    var outputTokens: UInt32
    var coverageBps: UInt16
    var requestDigest: String
    var contributors: [ContributorCredit]
    var signed: Bool

    init(_ paid: PayerBook.PaidReceipt) {
        let receipt = paid.receipt
        channel = receipt.channel.hex
        sequence = receipt.sequence
        model = receipt.model.hex
        listingSequence = receipt.listingSequence
        price = receipt.price.description
        outputTokens = receipt.outputTokens
        coverageBps = receipt.coverageBps
        requestDigest = receipt.requestDigest.hex
        contributors = ContributorCredit.of(receipt)
        signed = paid.signature != nil
    }
}
