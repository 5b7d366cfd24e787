import ArgumentParser
import Foundation
import RemitCore
import RemitCrypto
import RemitLedger

extension LedgerCommand {
    struct CheckpointCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Sign a checkpoint (chain head and Merkle root of the entries since the last one) with the operator key."
        )

        @OptionGroup var location: Location
        @OptionGroup var key: OperatorKey

        @Flag(name: .long, help: "Print the signed checkpoint as JSON.")
        var json = false

        func run() async throws {
            let signer = try key.open()
            let signed = try await location.withLedger { ledger in try await refusing { try await ledger.checkpoint(signingWith: signer) } }
            if json {
                print(String(decoding: signed.jsonBytes(), as: UTF8.self))
            } else {
                let c = signed.message
                print("OK  checkpoint \(c.sequence): entries \(c.firstEntry)...\(c.lastEntry), chain head \(c.chainHead.hex), Merkle root \(c.merkleRoot.hex)")
            }
        }
    }

    struct Proof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the inclusion proof of an entry (JSON): the entry, its checkpoint and the Merkle path.",
            discussion: "Check it anywhere with `remit ledger verify-proof FILE`; no ledger file is needed for that."
        )

        @OptionGroup var location: Location

        @Argument(help: ArgumentHelp("The entry's sequence.", valueName: "entry"))
        var entry: UInt64

        @Option(name: .long, help: ArgumentHelp("Write the proof to this file instead of standard output.", valueName: "file"))
        var out: String?

        @Flag(name: .long, help: "Compact JSON (the proof is always JSON).")
        var json = false

        func run() async throws {
            let proof = try await location.withStore { store in try await refusing { try await Ledger.proof(entry: entry, store: store) } }
            let bytes = MessageJSON.encode(proof, pretty: !json)
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else { throw CLIFailure.badInput("cannot write \(out)") }
                print("OK  proof of entry \(entry) under checkpoint \(proof.checkpoint.message.sequence) written to \(out)")
            } else {
                print(String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    struct VerifyProof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-proof",
            abstract: "Check an inclusion proof offline: the entry's hash, the Merkle path and the operator's checkpoint signature.",
            discussion: "Exit status 0 when it verifies, 1 when it does not, 2 when the file cannot be read."
        )

        @Argument(help: ArgumentHelp("A proof printed by `remit ledger proof`.", valueName: "file"))
        var file: String

        @Option(name: .long, help: ArgumentHelp("Require the checkpoint to be signed by this operator account.", valueName: "account"))
        var `operator`: String?

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        struct Output: Encodable {
            var valid: Bool
            var entry: UInt64?
            var kind: EntryKind?
            var checkpoint: UInt64?
            var ledger: String?
            var operatorAccount: String?
            var errorCode: String?
            var error: String?
        }

        func run() async throws {
            let bytes = try CLI.readFile(file, what: "proof file")
            let expected = try `operator`.map { try AccountID($0).publicKey }
            let proof = try MessageJSON.decode(EntryProof.self, from: bytes)
            do throws(RemitError) {
                let entry = try proof.verify(operatorKey: expected)
                let c = proof.checkpoint.message
                let output = Output(valid: true, entry: entry.sequence, kind: entry.kind, checkpoint: c.sequence, ledger: c.ledger.hex,
                                    operatorAccount: AccountID(c.operatorKey).description)
                if json { CLI.printJSON(output) } else {
                    print("OK  entry \(entry.sequence) (\(entry.kind)) is in checkpoint \(c.sequence) of ledger \(c.ledger.hex), signed by \(AccountID(c.operatorKey))")
                }
            } catch {
                let output = Output(valid: false, errorCode: error.code.rawValue, error: error.message)
                if json { CLI.printJSON(output) } else { print("REFUSED  \(file): \(error.message) [\(error.code)]") }
                throw ExitCode(CLI.exitRefused)
            }
        }
    }
}
