import ArgumentParser
import RemitCore
import RemitCrypto

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check any signed Remit message (JSON) and say why it fails.",
        discussion: """
            Reads a message in its JSON form (docs/PROTOCOL.md) and checks its type and version, \
            the encoding of every field, the field rules (for example receipt weights summing to \
            10000), the signer the message names and the Ed25519 signature. A tick is not signed: \
            give --previous-index and --previous-link to check it against its hash chain.

            Exit status 0 when the message verifies, 1 when it is refused, 2 when the file cannot be read.
            """
    )

    @Argument(help: ArgumentHelp("A message in JSON form.", valueName: "file.json"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("Refuse a message for any other ledger id (64 hex digits).", valueName: "id"))
    var ledger: String?

    @Option(name: .long, help: ArgumentHelp("Refuse a signature by anyone but this account id.", valueName: "account"))
    var signer: String?

    @Option(name: .long, help: ArgumentHelp("For a tick: the index of the link already held (0 for the chain root).", valueName: "n"))
    var previousIndex: UInt64?

    @Option(name: .long, help: ArgumentHelp("For a tick: the link already held at --previous-index (64 hex digits).", valueName: "hex"))
    var previousLink: String?

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let bytes = try CLI.readFile(file, what: "message file")
        let expectedLedger = try ledger.map { try LedgerID(hex: $0) }
        let expectedSigner = try signer.map { try AccountID($0).publicKey }
        let result = VerifyResult(file: file)
        do {
            let message = try AnyMessage(json: bytes, ledger: expectedLedger)
            if let tick = message.tick, let previousIndex, let previousLink {
                let link = try Digest32(hex: previousLink)
                try tick.verify(ledger: tick.ledger, channel: tick.channel, previousIndex: previousIndex, previousLink: link, maxSteps: 1 << 32)
            } else {
                try message.verify(ledger: expectedLedger, signer: expectedSigner)
            }
            report(result.ok(message))
        } catch let error as RemitError {
            report(result.refused(error))
            throw ExitCode(CLI.exitRefused)
        }
    }

    private func report(_ result: VerifyResult) {
        if json { CLI.printJSON(result) } else { print(result.text) }
    }
}

struct VerifyResult: Encodable {
    var file: String
    var valid = false
    var type: String?
    var signer: String?
    var ledger: String?
    var errorCode: String?
    var error: String?

    init(file: String) { self.file = file }

    func ok(_ message: AnyMessage) -> VerifyResult {
        var copy = self
        copy.valid = true
        copy.type = message.messageType.tag
        copy.signer = message.signer.map { AccountID($0).description }
        copy.ledger = message.ledger.hex
        return copy
    }

    func refused(_ error: RemitError) -> VerifyResult {
        var copy = self
        copy.errorCode = error.code.rawValue
        copy.error = error.message
        return copy
    }

    var text: String {
        if valid {
            let by = signer.map { "signed by \($0)" } ?? "hash chain checked"
            return "OK  \(file): \(type!) \(by) on ledger \(ledger!)"
        }
        return "REFUSED  \(file): \(error!) [\(errorCode!)]"
    }
}
