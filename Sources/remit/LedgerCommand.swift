import ArgumentParser
import Foundation
import RemitCore
import RemitCrypto
import RemitLedger

struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The ledger: create it, move credits, read balances and earnings, verify, checkpoint and prove entries.",
        discussion: """
            The ledger is --ledger (a SQLite file, or postgres://user@host:port/database[?schema=name] for a \
            ledger that several nodes share) or --path FILE, else $REMIT_LEDGER, else remit.ledger (SQLite, WAL). \
            Read commands take --json. Exit status: 0 ok; 1 refused (insufficient funds, a nonce replay, failed verification); \
            2 bad input (missing file, wrong password, invalid value).

            Example:
              printf 'pw\\n' > pw.txt
              remit ledger init --supply 1000000 --password-file pw.txt
              remit keys new --out alice.key --password-file pw.txt
              remit ledger faucet rm1... --amount 100 --password-file pw.txt
              remit ledger balance rm1...
              remit ledger verify
            """,
        subcommands: [
            Init.self, Transfer.self, Faucet.self, Balance.self, History.self, Earnings.self, Verify.self, CheckpointCommand.self,
            Proof.self, VerifyProof.self, ReleaseBonds.self, Soak.self, Node.self,
        ]
    )

    /// The operator keystore.
    struct OperatorKey: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The operator's keystore (created by init when missing).", valueName: "file"))
        var operatorKey: String = "operator.key"

        @OptionGroup var password: PasswordOptions

        func open() throws -> SigningKey {
            try Keystore.open(try CLI.readFile(operatorKey, what: "operator keystore"), password: try password.password())
        }
    }

    /// Runs a ledger write; a refusal (a rule the operation broke) exits 1.
    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RemitError where error.code.rawValue.hasPrefix("ledger.") || error.code == .messageWrongSigner || error.code == .messageBadSignature {
            throw CLIFailure.refused("\(error.message) [\(error.code)]")
        }
    }

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a ledger: id, operator key (keystore) and the fixed supply minted to the treasury.",
            discussion: "The treasury is the operator's account. Opens --operator-key when it exists, else creates it sealed with the password."
        )

        @OptionGroup var location: Location
        @OptionGroup var key: OperatorKey

        @Option(name: .long, help: ArgumentHelp("The fixed supply in credits.", valueName: "credits"))
        var supply: String = "1000000000"

        @Option(name: .long, help: ArgumentHelp("Argon2id cost of a new operator keystore: interactive, moderate, sensitive or minimum (tests only).", valueName: "level"))
        var kdf: KDFLevel = .interactive

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            let supply = try Amount(credits: supply)
            if !location.isPostgres, FileManager.default.fileExists(atPath: location.value) {
                throw CLIFailure.badInput("\(location.value) already exists; a ledger is created once (use another --path)")
            }
            try await location.withStore(creating: true) { store in
                if try await store.genesis() != nil {
                    throw CLIFailure.badInput("\(location.name) already holds a ledger; a ledger is created once (use another database or ?schema=)")
                }
                let signer: SigningKey
                if FileManager.default.fileExists(atPath: key.operatorKey) {
                    signer = try key.open()
                } else {
                    signer = SigningKey()
                    try CLI.writeSecretFile(key.operatorKey, try Keystore.seal(signer, password: try key.password.password(prompt: "Password for the new operator key: "), limits: kdf.limits), overwrite: false)
                }
                let ledger = try await Ledger.create(store: store, operatorKey: signer.publicKey, supply: supply)
                let info = LedgerInfo(file: location.name, ledger: ledger.id.hex, operatorAccount: AccountID(signer.publicKey).description,
                                      operatorKey: key.operatorKey, supply: supply.description)
                if json { CLI.printJSON(info) } else { print(info.text) }
            }
        }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a transfer with a keystore and apply it.")

        @OptionGroup var location: Location

        @Option(name: .long, help: ArgumentHelp("The sender's keystore.", valueName: "file"))
        var key: String

        @OptionGroup var password: PasswordOptions

        @Option(name: .long, help: ArgumentHelp("The receiver's account id (rm1…).", valueName: "account"))
        var to: String

        @Option(name: .long, help: ArgumentHelp("Amount in credits.", valueName: "credits"))
        var amount: String

        @Option(name: .long, help: ArgumentHelp("A note (at most 256 bytes).", valueName: "text"))
        var memo: String = ""

        @Flag(name: .long, help: "Print the entry as JSON.")
        var json = false

        func run() async throws {
            let signer = try Keystore.open(try CLI.readFile(key, what: "keystore"), password: try password.password())
            try await LedgerCommand.send(from: signer, to: try AccountID(to).publicKey, amount: try Amount(credits: amount), memo: memo, location: location, json: json)
        }
    }

    struct Faucet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fund an account from the treasury (a transfer signed by the operator key).")

        @OptionGroup var location: Location
        @OptionGroup var key: OperatorKey

        @Argument(help: ArgumentHelp("The account to fund (rm1…).", valueName: "account"))
        var account: String

        @Option(name: .long, help: ArgumentHelp("Amount in credits.", valueName: "credits"))
        var amount: String

        @Flag(name: .long, help: "Print the entry as JSON.")
        var json = false

        func run() async throws {
            try await LedgerCommand.send(from: try key.open(), to: try AccountID(account).publicKey, amount: try Amount(credits: amount), memo: "faucet",
                                         location: location, json: json)
        }
    }

    struct ReleaseBonds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release-bonds",
            abstract: "Return to their contributors the bonds whose datanet's holding period is over.",
            discussion: """
                A datanet may ask a bond of each contribution (remit datanet create --bond --holding-period). The ledger \
                holds it in bond:<contribution> until the holding period after registration is over; a curator's \
                removal as spam or duplicate slashes it to the treasury first. This command releases every bond \
                that is due, in one transaction (anyone may run it: the rule is the ledger's time, no signature \
                is needed). Bonds still held are left alone; run it again later.

                Example: remit ledger release-bonds --path demo-market/remit.ledger --datanet 4f2a…
                """
        )

        @OptionGroup var location: Location

        @Option(name: .long, help: ArgumentHelp("Only this datanet's bonds (its id, 64 hex digits).", valueName: "id"))
        var datanet: String?

        @Flag(name: .long, help: "Print the released entries as JSON.")
        var json = false

        struct Output: Encodable {
            var released: Int
            var returned: Amount
            var contributors: Int
            var entries: [AppliedEntry]
        }

        func run() async throws {
            let datanetID = try datanet.map { (hex) throws(RemitError) -> DatanetID in try DatanetID(hex: hex) }
            let (entries, returned, contributors) = try await location.withLedger { ledger in
                let entries = try await refusing { try await ledger.releaseDueBonds(datanet: datanetID) }
                var returned = Amount.zero
                var contributors = Set<PublicKey>()
                for entry in entries {
                    for posting in entry.postings where posting.delta > 0 {
                        if case .user(let key) = posting.account {
                            returned = try returned.adding(try Amount(units: posting.delta))
                            contributors.insert(key)
                        }
                    }
                }
                return (entries, returned, contributors.count)
            }
            if json {
                CLI.printJSON(Output(released: entries.count, returned: returned, contributors: contributors, entries: entries))
            } else if entries.isEmpty {
                print("no bond is due: every bond still held is inside its datanet's holding period")
            } else {
                print("OK  released \(entries.count) bonds: \(returned) credits back to \(contributors) contributors (entries \(entries.first!.sequence)–\(entries.last!.sequence))")
            }
        }
    }

    static func send(from signer: SigningKey, to: PublicKey, amount: Amount, memo: String, location: Location, json: Bool) async throws {
        let applied = try await location.withLedger { ledger in
            try await refusing {
                let nonce = try await ledger.nonce(of: signer.publicKey) + 1
                let transfer = RemitCore.Transfer(ledger: ledger.id, from: signer.publicKey, to: to, amount: amount, nonce: nonce, memo: memo)
                return try await ledger.transfer(Signed(signing: transfer, with: signer))
            }
        }
        if json {
            CLI.printJSON(applied)
        } else {
            print("OK  entry \(applied.sequence): \(amount) credits from \(AccountID(signer.publicKey)) to \(AccountID(to)) (hash \(applied.hash.hex))")
        }
    }
}

struct LedgerInfo: Encodable {
    var file: String
    var ledger: String
    var operatorAccount: String
    var operatorKey: String
    var supply: String

    var text: String {
        """
        ledger:    \(ledger)
        ledger at: \(file)
        operator:  \(operatorAccount) (keystore \(operatorKey)); its account is the treasury
        supply:    \(supply) credits, minted to the treasury in entry 1
        """
    }
}
