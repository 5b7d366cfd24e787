import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime

/// A small real market for tests: a SQLite ledger, a datanet of quotes by four contributors
/// registered on it, two models built from it, an owner listing them, and funded payers.
struct Market {
    let folder: String
    let clock: VirtualClock
    let ledger: Ledger
    let access: LocalLedgerAccess
    let operatorKey = ProtocolVectors.key(0x01)
    let ownerKey = ProtocolVectors.key(0x03)
    let owner: ModelOwner
    let qa: Signed<Listing>
    let lm: Signed<Listing>
    let contributors: [SigningKey]
    static let supply = try! Amount(credits: 1_000_000)

    static let quotes: [(String, Int)] = [
        ("The weather is what everybody talks about and nobody does anything about it.", 0),
        ("Climate is what we expect, weather is what we get.", 0),
        ("A black cat crossing your path signifies that the animal is going somewhere.", 1),
        ("Time flies like an arrow; fruit flies like a banana.", 1),
        ("Simplicity is prerequisite for reliability.", 2),
        ("Talk is cheap. Show me the code.", 3),
        ("The best way to predict the future is to invent it.", 2),
        ("Programs must be written for people to read, and only incidentally for machines to execute.", 3),
        ("Everybody talks about the weather but the weather does not listen.", 0),
        ("The cat is going somewhere and so is the arrow of time.", 1),
    ]

    static func temporaryFolder() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("remit-runtime-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    init(revenue: RevenuePolicy = Market.revenue()) async throws {
        folder = Market.temporaryFolder()
        clock = VirtualClock(start: ProtocolVectors.time)
        ledger = try await Ledger.create(store: try SQLiteLedgerStore(path: "\(folder)/market.ledger"), operatorKey: operatorKey.publicKey,
                                         supply: Market.supply, clock: clock)
        access = LocalLedgerAccess(ledger: ledger)
        contributors = (0..<4).map { ProtocolVectors.key(UInt8(0x20 + $0)) }
        let datanet = try Datanet.create(in: "\(folder)/quotes", name: "quotes", curator: ProtocolVectors.key(0x05), ledger: ledger.id,
                                         createdAt: clock.now())
        for (text, who) in Market.quotes {
            try await datanet.add(content: Array(text.utf8), kind: .text, label: "author \(who)", contributor: contributors[who], createdAt: clock.now())
        }
        _ = try await access.register(datanetMessages: await datanet.ledgerMessages())
        let snapshot = try await datanet.snapshot()
        _ = try await ModelFactory.build(kind: .bm25, name: "quotes-qa", snapshots: [snapshot], into: "\(folder)/models/qa")
        _ = try await ModelFactory.build(kind: .infinigram, name: "quotes-lm", snapshots: [snapshot], into: "\(folder)/models/lm")
        owner = try ModelOwner(key: ownerKey, ledger: access, bookPath: "\(folder)/owner-book.sqlite", host: ModelHost(budgetBytes: 64 << 20))
        qa = try await owner.list(folder: "\(folder)/models/qa", policy: revenue, tags: ["qa", "quotes"])
        lm = try await owner.list(folder: "\(folder)/models/lm", policy: revenue, tags: ["text", "quotes"])
    }

    static func revenue(perQuery: String = "0.01", perToken: String = "0.001", maxTokens: UInt32 = 16) -> RevenuePolicy {
        RevenuePolicy(name: "test", split: RevenueSplit(ownerBps: 5_000, contributorsBps: 4_000, treasuryBps: 1_000),
                      pricePerQuery: try! Amount(credits: perQuery), pricePerOutputToken: try! Amount(credits: perToken),
                      maxOutputTokens: maxTokens, strategy: .fixed)
    }

    /// Adds a datanet of seeded price rows (two feeds) and a nearest-neighbour signal model over it.
    func addSignals() async throws -> Signed<Listing> {
        let datanet = try Datanet.create(in: "\(folder)/prices", name: "prices", curator: ProtocolVectors.key(0x05), ledger: ledger.id, createdAt: clock.now())
        let table = try CSVTable(parsing: PriceSeries.csv(seed: 7, rows: 400))
        let (schema, contents) = try table.rowContents(target: "direction")
        try await datanet.setSchema(schema)
        let feeds = [ProtocolVectors.key(0x30), ProtocolVectors.key(0x31)]
        let pending = contents.enumerated().map { i, content in
            PendingContribution(content: content, kind: .row, label: "feed \(i % 2)", contributor: feeds[i % 2])
        }
        _ = try await datanet.add(pending, createdAt: clock.now())
        _ = try await access.register(datanetMessages: await datanet.ledgerMessages())
        _ = try await ModelFactory.build(kind: .knnClassify, name: "direction", snapshots: [try await datanet.snapshot()], params: ["k": "7"],
                                         into: "\(folder)/models/direction")
        return try await owner.list(folder: "\(folder)/models/direction", policy: Market.revenue(perQuery: "0.0005", perToken: "0", maxTokens: 0),
                                    tags: ["signals"])
    }

    /// Funds `key` from the treasury.
    func fund(_ key: PublicKey, _ credits: String) async throws {
        let nonce = try await access.nextNonce(of: operatorKey.publicKey)
        try await access.transfer(Signed(signing: Transfer(ledger: ledger.id, from: operatorKey.publicKey, to: key,
                                                           amount: try Amount(credits: credits), nonce: nonce), with: operatorKey))
    }

    /// A funded wallet for `key` under `policy`, knowing both models.
    func wallet(
        _ key: SigningKey, policy: SpendingPolicy, funds: String = "100", endpoints: [any ModelEndpoint]? = nil, scheme: PaymentScheme = .voucher
    ) async throws -> Wallet {
        try await fund(key.publicKey, funds)
        let wallet = try await Wallet(
            key: key, ledger: access, bookPath: "\(folder)/wallet-\(key.publicKey.hex.prefix(8)).sqlite", policy: policy,
            directory: Directory(ledger: ledger.id), events: EventSink(agent: "agent-\(key.publicKey.hex.prefix(4))", log: try EventLog(path: "\(folder)/events.jsonl")),
            scheme: scheme
        )
        for endpoint in endpoints ?? [LocalModelEndpoint(owner: owner, model: qa.message.model), LocalModelEndpoint(owner: owner, model: lm.message.model)] {
            try await wallet.add(endpoint: endpoint)
        }
        return wallet
    }
}
