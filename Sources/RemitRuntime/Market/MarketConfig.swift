import Foundation
public import RemitCore

/// A market as a YAML file: the ledger, the datanets registered on it, and the model owners with
/// the models they list and under which revenue policy; plus the HTTP settings `remit serve`
/// uses. Paths are relative to the file's folder. The same file serves an in-process market
/// (``LocalMarket``) and `remit serve --config`.
///
/// ```yaml
/// ledger: remit.ledger            # a SQLite ledger file, or postgres://… (opened by `remit`, which links that store)
/// datanets: [datanets/fortunes]   # their signed messages are registered on the ledger
/// owners:
///   - name: fortunes
///     key: owners/fortunes.key    # keystore; password from passwordEnv, passwordFile or demoPassword
///     passwordEnv: REMIT_OWNER_PASSWORD
///     book: owners/fortunes.sqlite
///     models:
///       - folder: models/fortune-qa
///         policy: Policies/owner-default.yaml
///         tags: [qa, quotes]
/// server: { host: 127.0.0.1, port: 8402 }
/// ```
public struct MarketConfig: Sendable, Hashable {
    /// Where the file is; relative paths resolve against its folder.
    public var file: String
    /// The ledger: a file path or a `postgres://` URL.
    public var ledger: String
    /// Datanet folders registered on the ledger when the market opens.
    public var datanets: [String]
    /// Model owners.
    public var owners: [Owner]
    /// HTTP settings for `remit serve`.
    public var server: Server
    /// The ledger operator's keystore, when this market may fund accounts (demos, simulations).
    public var operatorKey: (key: String, password: PasswordSource)? {
        get { operatorKeyStorage.map { ($0.key, $0.password) } }
        set { operatorKeyStorage = newValue.map { KeyFile(key: $0.key, password: $0.password) } }
    }
    var operatorKeyStorage: KeyFile?

    /// A keystore and where its password comes from.
    struct KeyFile: Sendable, Hashable {
        var key: String
        var password: PasswordSource
    }

    /// A model owner and its models.
    public struct Owner: Sendable, Hashable {
        /// The owner's name (for logs and files).
        public var name: String
        /// Its keystore.
        public var key: String
        /// Where its keystore password comes from.
        public var password: PasswordSource
        /// Its payee book (SQLite, one process at a time; `remit serve --books DIR` moves it, see ``MarketConfig/withBooks(in:)``).
        public var book: String
        /// The models it lists.
        public var models: [Model]
    }

    /// A listed model.
    public struct Model: Sendable, Hashable {
        /// The built model's folder.
        public var folder: String
        /// The revenue policy file (kind: revenue).
        public var policy: String
        /// Search tags.
        public var tags: [String]
    }

    /// HTTP server settings.
    public struct Server: Sendable, Hashable {
        /// Address to bind.
        public var host: String = "127.0.0.1"
        /// Port (0 picks a free one).
        public var port: Int = 8402
        /// Largest request body accepted (413 above).
        public var maxBodyBytes: Int = 256 * 1024
        /// Paid queries per second allowed per payer (429 above).
        public var ratePerPayer: Int = 1_000
        /// Seconds a request may take before it is cut off.
        public var requestTimeoutSeconds: Int = 30
        /// Serve the ledger API too.
        public var ledgerAPI: Bool = true

        /// The defaults (a server embedded by another module, e.g. a simulation over HTTP).
        public init() {}
    }

    /// Where a keystore password comes from.
    public enum PasswordSource: Sendable, Hashable {
        /// An environment variable.
        case environment(String)
        /// The first line of a file.
        case file(String)
        /// The documented demo password (demos and tests only).
        case demo
    }

    /// Loads and validates a market file.
    public static func load(path: String) throws(RemitError) -> MarketConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RemitError(.marketInvalid, "\(path): cannot read the market file (does it exist?)")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses market YAML; `file` names it in errors and anchors relative paths.
    public static func parse(_ yaml: String, file: String) throws(RemitError) -> MarketConfig {
        let reader = try ConfigReader.parse(yaml, file: file, code: .marketInvalid)
        try reader.onlyKnown(["ledger", "datanets", "owners", "server", "description", "operator"])
        let base = (file as NSString).deletingLastPathComponent
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") || path.contains("://") ? path : (base.isEmpty ? path : (base as NSString).appendingPathComponent(path))
        }
        var config = MarketConfig(file: file, ledger: resolve(try reader.string("ledger", required: true)!),
                                  datanets: try reader.list("datanets").map(resolve), owners: [], server: Server())
        func passwordSource(_ reader: ConfigReader) throws(RemitError) -> PasswordSource {
            let sources = [try reader.string("passwordEnv").map(PasswordSource.environment),
                           try reader.string("passwordFile").map { PasswordSource.file(resolve($0)) },
                           try reader.bool("demoPassword") == true ? PasswordSource.demo : nil].compactMap { $0 }
            guard sources.count == 1 else {
                throw reader.error("passwordEnv", "give exactly one of passwordEnv, passwordFile or demoPassword: true")
            }
            return sources[0]
        }
        if let op = reader.child("operator") {
            try op.onlyKnown(["key", "passwordEnv", "passwordFile", "demoPassword"])
            config.operatorKeyStorage = KeyFile(key: resolve(try op.string("key", required: true)!), password: try passwordSource(op))
        }
        for owner in try reader.children("owners") {
            try owner.onlyKnown(["name", "key", "passwordEnv", "passwordFile", "demoPassword", "book", "models"])
            let sources = [try passwordSource(owner)]
            var models: [Model] = []
            for model in try owner.children("models") {
                try model.onlyKnown(["folder", "policy", "tags"])
                models.append(Model(folder: resolve(try model.string("folder", required: true)!),
                                    policy: resolve(try model.string("policy", required: true)!), tags: try model.list("tags")))
            }
            guard !models.isEmpty else { throw owner.error("models", "an owner lists at least one model") }
            config.owners.append(Owner(name: try owner.string("name", required: true)!, key: resolve(try owner.string("key", required: true)!),
                                       password: sources[0], book: resolve(try owner.string("book", required: true)!), models: models))
        }
        if let server = reader.child("server") {
            try server.onlyKnown(["host", "port", "maxBodyBytes", "ratePerPayer", "requestTimeoutSeconds", "ledgerAPI"])
            if let host = try server.string("host") { config.server.host = host }
            if let port = try server.integer("port", in: 0...65_535) { config.server.port = port }
            if let bytes = try server.integer("maxBodyBytes", in: 1_024...(64 << 20)) { config.server.maxBodyBytes = bytes }
            if let rate = try server.integer("ratePerPayer", in: 1...1_000_000) { config.server.ratePerPayer = rate }
            if let timeout = try server.integer("requestTimeoutSeconds", in: 1...3_600) { config.server.requestTimeoutSeconds = timeout }
            if let api = try server.bool("ledgerAPI") { config.server.ledgerAPI = api }
        }
        return config
    }
}

extension MarketConfig.PasswordSource {
    /// The password's bytes.
    public func read() throws(RemitError) -> [UInt8] {
        switch self {
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw RemitError(.marketInvalid, "environment variable \(name) (a keystore password) is not set")
            }
            return Array(value.utf8)
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RemitError(.marketInvalid, "cannot read the password file \(path)")
            }
            let line = data.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
            guard !line.isEmpty else { throw RemitError(.marketInvalid, "password file \(path) has an empty first line") }
            return Array(line)
        case .demo:
            return Array("remit demo password".utf8)
        }
    }
}

extension RemitError.Code {
    /// A market file that is not valid; the message names the file, the field and the rule.
    public static let marketInvalid = Self("market.invalid")
}
