import Foundation
public import RemitCore
public import RemitCrypto
public import RemitInference
public import RemitLedger

/// Creates a ready market folder on the embedded defaults: a ledger (SQLite, or a store the caller
/// opened, such as PostgreSQL) with its operator key,
/// a model owner, the fortunes datanet (real text) and a seeded price-series datanet, both
/// registered on the ledger, four models built from them, revenue policies, and `market.yaml`.
/// Keys are sealed with the public demo password: this is for demos, tests and simulations.
public enum MarketSetup {
    /// What the setup made.
    public struct Made: Sendable {
        /// The market file.
        public var marketFile: String
        /// The ledger's id.
        public var ledger: LedgerID
        /// The fortunes import.
        public var fortunes: FortunesImporter.Report
        /// Price rows in the signals datanet.
        public var priceRows: Int
        /// The model folders built.
        public var models: [String]
    }

    /// The demo password every key of a demo market is sealed with (public: it protects nothing).
    public static let demoPassword = MarketConfig.PasswordSource.demo

    /// A ledger store to create the market's ledger in instead of `DIR/remit.ledger` (a store
    /// this layer does not link, such as PostgreSQL), and how `market.yaml` names it.
    public struct LedgerTarget: Sendable {
        /// The store; it must hold no ledger yet.
        public var store: any LedgerStore
        /// What `market.yaml` says under `ledger:` (a `postgres://` URL without its password).
        public var location: String

        /// A target: `store`, named `location` in the market file.
        public init(store: any LedgerStore, location: String) {
            self.store = store
            self.location = location
        }
    }

    /// Builds the market in `folder` (which must not hold a market yet). `fortunes` are the
    /// collections to import (empty: the Debian ones); `ledger` puts the ledger in a store of the
    /// caller's (else `folder/remit.ledger`, SQLite); `progress` hears each step.
    public static func create(
        in folder: String, fortunes: [String], priceRows: Int = 2_000, supply: Amount = (try? Amount(credits: 1_000_000_000)) ?? .max,
        kdf: Keystore.Limits = .interactive, ledger target: LedgerTarget? = nil, progress: @Sendable (String) -> Void = { _ in }
    ) async throws(RemitError) -> Made {
        let fm = FileManager.default
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        let ledgerPath = path("remit.ledger")
        for existing in [ledgerPath, path("market.yaml")] where fm.fileExists(atPath: existing) {
            throw RemitError(.marketInvalid, "\(folder) already holds a market (\((existing as NSString).lastPathComponent) exists); remove the folder to start again")
        }
        if let target, try await target.store.genesis() != nil {
            throw RemitError(.marketInvalid, "the ledger \(target.location) already holds a ledger; a new market needs an empty one (another database, or another ?schema=name)")
        }
        do {
            for sub in ["owners", "datanets", "models", "policies", "wallets"] {
                try fm.createDirectory(atPath: path(sub), withIntermediateDirectories: true)
            }
        } catch {
            throw RemitError(.runtimeIO, "cannot create the market folder \(folder): \(error)")
        }
        let password = try demoPassword.read()
        progress("creating the ledger and its operator key")
        let operatorKey = SigningKey()
        try write(path("operator.key"), try seal(operatorKey, password, kdf))
        let store: any LedgerStore
        if let target {
            store = target.store
        } else {
            store = try SQLiteLedgerStore(path: ledgerPath)
        }
        let ledger = try await Ledger.create(store: store, operatorKey: operatorKey.publicKey, supply: supply)
        let ownerKey = SigningKey()
        try write(path("owners/fortunes.key"), try seal(ownerKey, password, kdf))

        progress("importing the fortunes collections (real text)")
        let files = fortunes.isEmpty ? FortunesImporter.defaultFiles() : fortunes
        guard !files.isEmpty else {
            throw RemitError(.marketInvalid, "no fortune collections under \(FortunesImporter.debianDirectory): install the Debian packages fortunes and fortunes-min (make demo does)")
        }
        let (fortunesNet, report) = try await FortunesImporter.importCollections(
            files, into: path("datanets/fortunes"), ledger: ledger.id, password: password, limits: kdf
        ) { (file: String) throws(RemitError) -> [UInt8] in
            guard let data = FileManager.default.contents(atPath: file) else { throw RemitError(.runtimeIO, "cannot read \(file)") }
            return Array(data)
        }

        progress("creating the price-series datanet (seeded, synthetic)")
        let prices = try Datanet.create(in: path("datanets/prices"), name: "prices", description: "Seeded synthetic AR(1) price series (not market data)",
                                        curator: SigningKey(), ledger: ledger.id)
        let table = try CSVTable(parsing: PriceSeries.csv(seed: 7, rows: priceRows))
        let (schema, contents) = try table.rowContents(target: PriceSeries.Target.direction.rawValue)
        try await prices.setSchema(schema)
        let feeds = (0..<3).map { _ in SigningKey() }
        _ = try await prices.add(contents.enumerated().map { index, content in
            PendingContribution(content: content, kind: .row, label: "price feed \(index % feeds.count + 1)", contributor: feeds[index % feeds.count])
        })

        progress("building models")
        let fortunesSnapshot = try await fortunesNet.snapshot()
        let pricesSnapshot = try await prices.snapshot()
        let builds: [(ModelKind, String, DatanetSnapshot, [String: String])] = [
            (.bm25, "fortune-qa", fortunesSnapshot, [:]),
            (.infinigram, "fortune-lm", fortunesSnapshot, [:]),
            (.spanTrace, "fortune-trace", fortunesSnapshot, [:]),
            (.knnClassify, "price-direction", pricesSnapshot, ["k": "15"]),
        ]
        for (kind, name, snapshot, params) in builds {
            progress("building \(name) (\(kind.rawValue))")
            _ = try await ModelFactory.build(kind: kind, name: name, snapshots: [snapshot], params: params, into: path("models/\(name)"))
        }

        try write(path("policies/text-models.yaml"), Array("""
            kind: revenue
            name: text-models
            split: { ownerBps: 5000, contributorsBps: 4000, treasuryBps: 1000 }
            pricing: { perQuery: "0.002", perOutputToken: "0.0001", maxOutputTokens: 64, strategy: fixed }

            """.utf8))
        try write(path("policies/signals.yaml"), Array("""
            kind: revenue
            name: signals
            split: { ownerBps: 4000, contributorsBps: 5000, treasuryBps: 1000 }
            pricing: { perQuery: "0.0005", strategy: fixed }

            """.utf8))
        try write(path("market.yaml"), Array("""
            # A demo market made by `remit market init` (keys sealed with the public demo password).
            ledger: \(target.map { "\"\($0.location)\"" } ?? "remit.ledger")
            operator: { key: operator.key, demoPassword: true }
            datanets: [datanets/fortunes, datanets/prices]
            owners:
              - name: fortunes
                key: owners/fortunes.key
                demoPassword: true
                book: owners/fortunes-book.sqlite
                models:
                  - { folder: models/fortune-qa, policy: policies/text-models.yaml, tags: [qa, quotes] }
                  - { folder: models/fortune-lm, policy: policies/text-models.yaml, tags: [text, quotes] }
                  - { folder: models/fortune-trace, policy: policies/text-models.yaml, tags: [trace, quotes] }
                  - { folder: models/price-direction, policy: policies/signals.yaml, tags: [signals, prices] }
            server: { host: 127.0.0.1, port: 8402 }

            """.utf8))
        progress("registering the datanets and listings on the ledger")
        _ = try await LocalMarket.open(try MarketConfig.load(path: path("market.yaml")), ledger: ledger, modelBudgetBytes: 256 << 20)
        return Made(marketFile: path("market.yaml"), ledger: ledger.id, fortunes: report, priceRows: contents.count,
                    models: builds.map { path("models/\($0.1)") })
    }

    private static func seal(_ key: SigningKey, _ password: [UInt8], _ limits: Keystore.Limits) throws(RemitError) -> [UInt8] {
        do {
            return try Keystore.seal(key, password: password, limits: limits)
        } catch {
            throw RemitError(.runtimeIO, "cannot seal a key: \(error.message)")
        }
    }

    private static func write(_ path: String, _ bytes: [UInt8]) throws(RemitError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw RemitError(.runtimeIO, "cannot write \(path)")
        }
    }
}

extension LocalMarket {
    /// The operator's signing key, when the market file names it (for funding accounts).
    public func operatorKey() throws(RemitError) -> SigningKey {
        guard let entry = config.operatorKey else {
            throw RemitError(.marketInvalid, "\(config.file) names no operator key; fund accounts with `remit ledger faucet` instead")
        }
        guard let file = FileManager.default.contents(atPath: entry.key) else { throw RemitError(.runtimeIO, "cannot read \(entry.key)") }
        do {
            return try Keystore.open(Array(file), password: try entry.password.read())
        } catch let error as RemitError {
            throw error
        } catch {
            throw RemitError(.marketInvalid, "operator keystore \(entry.key): \(error)")
        }
    }

    /// Moves `amount` from the treasury (the operator's account) to `key`.
    public func fund(_ key: PublicKey, amount: Amount) async throws(RemitError) {
        let operatorKey = try operatorKey()
        let nonce = try await access.nextNonce(of: operatorKey.publicKey)
        try await access.transfer(Signed(signing: Transfer(ledger: ledger.id, from: operatorKey.publicKey, to: key, amount: amount, nonce: nonce,
                                                           memo: "faucet"), with: operatorKey))
    }
}
