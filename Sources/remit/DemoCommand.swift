import ArgumentParser
import Foundation
import RemitCore
import RemitCrypto

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Remit end to end on the embedded defaults and show each step.",
        discussion: "Writes its files under --dir (default demo-output/) and can be run again."
    )

    @Option(name: .long, help: ArgumentHelp("Folder for the demo's files.", valueName: "dir"))
    var dir: String = "demo-output"

    func run() async throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let password = Array("demo password".utf8)
        func step(_ text: String) { print("==> \(text)") }

        step("Create two keys, sealed in keystores (Argon2id + XChaCha20-Poly1305)")
        let payer = SigningKey()
        let payee = SigningKey()
        for (name, key) in [("payer", payer), ("payee", payee)] {
            let path = "\(dir)/\(name).key"
            try CLI.writeSecretFile(path, try Keystore.seal(key, password: password, limits: .interactive), overwrite: true)
            let reopened = try Keystore.open(try CLI.readFile(path, what: "keystore"), password: password)
            print("    \(name): \(AccountID(reopened.publicKey))  (\(path), reopened with its password)")
        }
        let wrong = Result { try Keystore.open(try CLI.readFile("\(dir)/payer.key", what: "keystore"), password: Array("guess".utf8)) }
        if case .failure(let error) = wrong { print("    a wrong password is refused: \(error)") }

        step("The payer opens a channel with a hash chain for ticks and signs it")
        let operatorKey = SigningKey()
        let ledger = LedgerID.derive(operator: operatorKey.publicKey, supply: try Amount(credits: 1_000_000_000),
                                     createdAt: UInt64(Date().timeIntervalSince1970), nonce: SecureRandom.digest())
        let chain = HashChain(seed: SecureRandom.digest(), length: 10_000)
        let open = ChannelOpen(
            ledger: ledger, payer: payer.publicKey, payee: payee.publicKey, nonce: 1, deposit: try Amount(credits: "5"),
            expiresAt: UInt64(Date().timeIntervalSince1970) + 86_400, challengePeriod: 3_600,
            hashChain: HashChainCommitment(root: chain.root, unit: try Amount(units: 100_000), length: 10_000)
        )
        let signedOpen = Signed(signing: open, with: payer)
        try write(signedOpen.jsonBytes(), to: "channel-open.json")
        print("    channel \(open.channel), deposit \(open.deposit) credits")

        step("The payer signs a voucher for a query: cumulative 0.25 credits, sequence 1")
        let voucher = Voucher(ledger: ledger, channel: open.channel, sequence: 1, cumulative: try Amount(credits: "0.25"),
                              requestDigest: BLAKE2b.hash(Array("Who wrote the fortunes?".utf8)))
        let signedVoucher = Signed(signing: voucher, with: payer)
        try write(signedVoucher.jsonBytes(), to: "voucher.json")

        step("The payee verifies both messages")
        for name in ["channel-open.json", "voucher.json"] {
            let message = try AnyMessage(json: try CLI.readFile("\(dir)/\(name)", what: "message"), ledger: ledger)
            try message.verify(ledger: ledger, signer: payer.publicKey)
            print("    OK  \(name): \(message.messageType.tag) signed by \(AccountID(message.signer!))")
        }

        step("A tampered copy (cumulative raised to 250 credits) is refused")
        var json = String(decoding: signedVoucher.jsonBytes(), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"250000000\"", with: "\"250000000000\"")
        try write(Array(json.utf8), to: "voucher-tampered.json")
        guard let tampered = refusal({ () throws(RemitError) in
            try AnyMessage(json: Array(json.utf8), ledger: ledger).verify(ledger: ledger, signer: payer.publicKey)
        }) else {
            throw CLIFailure.refused("the tampered voucher verified: this is a bug")
        }
        print("    REFUSED voucher-tampered.json: \(tampered.message) [\(tampered.code)]")

        step("A tick pays one unit with one hash: the payee checks link 1 against the signed root")
        let tick = Tick(ledger: ledger, channel: open.channel, index: 1, link: chain.link(at: 1))
        try tick.verify(ledger: ledger, channel: open.channel, previousIndex: 0, previousLink: chain.root, maxSteps: 1_000)
        print("    OK  tick 1 (\(open.hashChain!.unit) credits); a replayed tick 1 is refused:")
        if let replay = refusal({ () throws(RemitError) in
            try tick.verify(ledger: ledger, channel: open.channel, previousIndex: 1, previousLink: tick.link, maxSteps: 1_000)
        }) {
            print("    REFUSED: \(replay.message) [\(replay.code)]")
        }

        try await ledgerDemo(step: step)

        step("Done. Check the files yourself:")
        print("    remit verify \(dir)/voucher.json")
        print("    remit verify \(dir)/voucher-tampered.json   (exit status 1)")
    }

    /// The error `body` throws, or nil when it succeeds.
    private func refusal(_ body: () throws(RemitError) -> Void) -> RemitError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    func write(_ bytes: [UInt8], to name: String) throws {
        let path = "\(dir)/\(name)"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CLIFailure.badInput("cannot write \(path)")
        }
    }
}
