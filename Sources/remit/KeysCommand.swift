import ArgumentParser
import RemitCore
import RemitCrypto

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create and inspect Ed25519 keys sealed in password-protected keystore files.",
        subcommands: [New.self, Show.self]
    )

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a key and seal it in a keystore (Argon2id + XChaCha20-Poly1305).",
            discussion: """
                The password comes from --password-file or from the environment variable named by \
                --password-env, or is asked for on a terminal; it is never taken on the command line. \
                The file is written with mode 0600 and never overwritten without --force.

                Example:
                  printf 'my passphrase\\n' > pw.txt
                  remit keys new --out alice.key --password-file pw.txt
                """
        )

        @Option(name: .long, help: ArgumentHelp("Keystore file to write.", valueName: "file"))
        var out: String = "remit.key"

        @OptionGroup var password: PasswordOptions

        @Option(name: .long, help: ArgumentHelp("Argon2id cost: interactive (64 MiB), moderate (256 MiB), sensitive (1 GiB) or minimum (tests only).", valueName: "level"))
        var kdf: KDFLevel = .interactive

        @Flag(name: .long, help: "Replace an existing file.")
        var force = false

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            let secret = try password.password(prompt: "Password for the new key: ")
            let key = SigningKey()
            let file = try Keystore.seal(key, password: secret, limits: kdf.limits)
            try CLI.writeSecretFile(out, file, overwrite: force)
            let info = KeyInfo(file: out, publicKey: key.publicKey, kdf: kdf.limits)
            if json { CLI.printJSON(info) } else { print(info.text) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a keystore's public key and account id (no password needed)."
        )

        @Argument(help: ArgumentHelp("Keystore file.", valueName: "file"))
        var file: String

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            let header = try Keystore.inspect(try CLI.readFile(file, what: "keystore"))
            let info = KeyInfo(file: file, publicKey: header.publicKey, kdf: header.limits)
            if json { CLI.printJSON(info) } else { print(info.text) }
        }
    }
}

enum KDFLevel: String, ExpressibleByArgument, CaseIterable {
    case interactive, moderate, sensitive, minimum

    var limits: Keystore.Limits {
        switch self {
        case .interactive: .interactive
        case .moderate: .moderate
        case .sensitive: .sensitive
        case .minimum: .minimum
        }
    }
}

struct KeyInfo: Encodable {
    var file: String
    var publicKey: String
    var accountID: String
    var kdfOpsLimit: UInt64
    var kdfMemLimitBytes: UInt64

    init(file: String, publicKey: PublicKey, kdf: Keystore.Limits) {
        self.file = file
        self.publicKey = publicKey.hex
        accountID = AccountID(publicKey).description
        kdfOpsLimit = kdf.opsLimit
        kdfMemLimitBytes = kdf.memLimit
    }

    var text: String {
        """
        keystore:   \(file)
        account:    \(accountID)
        public key: \(publicKey)
        sealed:     Argon2id (opslimit \(kdfOpsLimit), memlimit \(kdfMemLimitBytes >> 10) KiB) + XChaCha20-Poly1305
        """
    }
}
