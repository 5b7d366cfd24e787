import ArgumentParser
import Foundation
import RemitCore
import RemitCrypto
import RemitLedger

extension LedgerCommand {
    struct Balance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an account's balance (rm1…, escrow:<channel>, bond:<contribution>).")

        @OptionGroup var location: Location

        @Argument(help: ArgumentHelp("The account.", valueName: "account"))
        var account: String

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        struct Output: Encodable {
            var account: String
            var balance: Amount
            var credits: String
        }

        func run() async throws {
            let account = try LedgerAccount(parsing: account)
            let balance = try await location.withStore { try await $0.balance(of: account) }
            if json { CLI.printJSON(Output(account: account.description, balance: balance, credits: balance.description)) } else { print("\(balance) credits  \(account)") }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the entries that changed an account, newest first, a page at a time.",
            discussion: "Pass --before with the `next` value printed to get the next page."
        )

        @OptionGroup var location: Location

        @Argument(help: ArgumentHelp("The account.", valueName: "account"))
        var account: String

        @Option(name: .long, help: ArgumentHelp("Only entries below this sequence (the next page).", valueName: "entry"))
        var before: UInt64?

        @Option(name: .long, help: ArgumentHelp("Entries per page (1...10000).", valueName: "n"))
        var limit: Int = 20

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        struct Output: Encodable {
            var account: String
            var items: [HistoryItem]
            var next: UInt64?
        }

        func run() async throws {
            guard (1...10_000).contains(limit) else { throw CLIFailure.badInput("--limit \(limit) is outside 1...10000") }
            let account = try LedgerAccount(parsing: account)
            let items = try await location.withStore { try await $0.history(of: account, before: before, limit: limit) }
            let next = items.count == limit ? items.last?.entry : nil
            if json {
                CLI.printJSON(Output(account: account.description, items: items, next: next))
                return
            }
            print("history of \(account)")
            for item in items {
                let sign = item.delta < 0 ? "-" : "+"
                print("  entry \(item.entry)  \(item.timestamp)  \(item.kind.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(sign)\(Amount(uncheckedMagnitude: item.delta)) credits")
            }
            if let next { print("next page: --before \(next)") }
        }
    }

    struct Earnings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what an account earned from settlements, by datanet and by model.")

        @OptionGroup var location: Location

        @Argument(help: ArgumentHelp("The account (rm1…).", valueName: "account"))
        var account: String

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        struct Output: Encodable {
            var account: String
            var total: Amount
            var byDatanet: [String: Amount]
            var byModel: [String: Amount]
            var lines: [EarningsReport.Line]
        }

        func run() async throws {
            let key = try AccountID(account).publicKey
            let report = try EarningsReport(account: key, earnings: try await location.withStore { try await $0.earnings(of: key) })
            let output = Output(account: AccountID(key).description, total: report.total,
                                byDatanet: Dictionary(uniqueKeysWithValues: report.byDatanet.map { ($0.key.hex, $0.value) }),
                                byModel: Dictionary(uniqueKeysWithValues: report.byModel.map { ($0.key.hex, $0.value) }), lines: report.lines)
            if json {
                CLI.printJSON(output)
                return
            }
            print("earnings of \(output.account): \(report.total) credits")
            print("  by datanet:")
            for (datanet, amount) in output.byDatanet.sorted(by: { $0.key < $1.key }) { print("    \(datanet)  \(amount) credits") }
            print("  by model:")
            for (model, amount) in output.byModel.sorted(by: { $0.key < $1.key }) { print("    \(model)  \(amount) credits") }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay the journal from genesis: hash chain, signatures, postings, balances, supply, checkpoints.",
            discussion: "Prints OK and the supply, or the first bad entry; exit status 1 when verification fails."
        )

        @OptionGroup var location: Location

        @Flag(name: .long, help: "Print the report as JSON.")
        var json = false

        func run() async throws {
            let report = try await location.withStore { await LedgerVerifier(store: $0).run() }
            if json { CLI.printJSON(report) } else { print(report.text) }
            if !report.ok { throw ExitCode(CLI.exitRefused) }
        }
    }
}

extension Amount {
    /// The magnitude of a signed count of units.
    init(uncheckedMagnitude units: Int64) {
        self = (try? Amount(units: units == Int64.min ? Int64.max : abs(units))) ?? .zero
    }
}
