import Foundation
import RemitCore
import RemitCrypto
@testable import RemitLedger

/// A seeded generator (SplitMix64) so property tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Keys from fixed seeds.
func testKey(_ byte: UInt8) -> SigningKey { try! SigningKey(seed: [UInt8](repeating: byte, count: 32)) }

func credits(_ text: String) -> Amount { try! Amount(credits: text) }

/// A fresh ledger with an operator, a payer, a payee (model owner), contributors and a curator,
/// on one of the stores (SQLite in memory or in a file, or a schema of its own on the PostgreSQL
/// test server), with a manual clock.
struct LedgerFixture {
    static let start: UInt64 = 1_767_225_600
    let operatorKey = testKey(0x01)
    let payer = testKey(0x02)
    let payee = testKey(0x03)
    let contributors = [testKey(0x04), testKey(0x06), testKey(0x07)]
    let curator = testKey(0x05)
    let clock = ManualClock(LedgerFixture.start)
    let location: TestLocation
    let store: any LedgerStore
    let ledger: Ledger
    var id: LedgerID { ledger.id }

    private init(location: TestLocation, store: any LedgerStore, supply: Amount) async throws {
        self.location = location
        self.store = store
        ledger = try await Ledger.create(store: store, operatorKey: testKey(0x01).publicKey, supply: supply, clock: clock, nonce: .zero)
    }

    /// Runs `body` with a fresh ledger on `kind`; `file` puts a SQLite ledger in a file (to reopen or edit it).
    static func with(_ kind: StoreKind, file: Bool = false, supply: Amount = credits("1000000"), _ body: (LedgerFixture) async throws -> Void) async throws {
        try await with(at: try TestLocation.fresh(kind, file: file), supply: supply, body)
    }

    /// Runs `body` with a new ledger at `location`.
    static func with(at location: TestLocation, supply: Amount = credits("1000000"), _ body: (LedgerFixture) async throws -> Void) async throws {
        try await location.withStore { store in
            try await body(try await LedgerFixture(location: location, store: store, supply: supply))
        }
    }

    /// Runs `body` with a second store on this fixture's ledger (another writer, or a fresh reader).
    func withOtherStore<T>(_ body: (any LedgerStore) async throws -> T) async throws -> T {
        try await location.withStore(body)
    }

    static func temporaryPath(_ name: String = "ledger") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("remit-ledger-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("\(name).sqlite").path
    }

    /// The operator's transfer (faucet) to `to`.
    func fund(_ to: PublicKey, _ amount: Amount) async throws {
        let nonce = try await ledger.nonce(of: operatorKey.publicKey) + 1
        let transfer = Transfer(ledger: id, from: operatorKey.publicKey, to: to, amount: amount, nonce: nonce, memo: "faucet")
        try await ledger.transfer(Signed(signing: transfer, with: operatorKey))
    }

    func balance(_ key: SigningKey) async throws -> Int64 { try await ledger.balance(of: key.publicKey).units }

    var datanetCreate: DatanetCreate {
        DatanetCreate(ledger: id, curator: curator.publicKey, name: "fortunes", description: "test", bond: credits("1"), holdingPeriod: 3_600,
                      createdAt: LedgerFixture.start)
    }

    func contribution(_ index: Int, by key: SigningKey) -> Contribution {
        let content = Array("contribution \(index)".utf8)
        return Contribution(ledger: id, datanet: datanetCreate.datanet, contributor: key.publicKey, contentDigest: BLAKE2b.hash(content),
                            kind: .text, size: UInt64(content.count), label: "c\(index)", createdAt: LedgerFixture.start)
    }

    func listing(sequence: UInt64 = 1, split: RevenueSplit = RevenueSplit(ownerBps: 5_000, contributorsBps: 4_000, treasuryBps: 1_000), owner: SigningKey? = nil) -> Listing {
        Listing(ledger: id, owner: (owner ?? payee).publicKey, name: "fortune-lm", kind: "infinigram", modelVersion: BLAKE2b.hash(Array("v1".utf8)),
                listingSequence: sequence, issuedAt: LedgerFixture.start, validUntil: LedgerFixture.start + 86_400 * 30,
                pricePerQuery: credits("0.001"), pricePerOutputToken: .zero, maxOutputTokens: 0, split: split, datanets: [],
                attributionMethod: "test", tags: [], endpoint: "local:")
    }

    /// Funds the payer and contributors, registers the datanet, `count` contributions (round robin
    /// over the contributors) and the payee's listing.
    func setUpMarket(contributions count: Int = 3) async throws -> [Contribution] {
        try await fund(payer.publicKey, credits("1000"))
        for key in contributors { try await fund(key.publicKey, credits("100")) }
        try await ledger.createDatanet(Signed(signing: datanetCreate, with: curator))
        var made: [Contribution] = []
        for index in 0..<count {
            let key = contributors[index % contributors.count]
            let c = contribution(index, by: key)
            try await ledger.registerContribution(Signed(signing: c, with: key))
            made.append(c)
        }
        try await ledger.registerListing(Signed(signing: listing(), with: payee))
        return made
    }

    func open(nonce: UInt64 = 1, deposit: Amount = credits("10"), expiresIn: UInt64 = 86_400, challenge: UInt32 = 600,
              chain: HashChain? = nil, unit: Amount = try! Amount(units: 1_000)) -> ChannelOpen {
        ChannelOpen(ledger: id, payer: payer.publicKey, payee: payee.publicKey, nonce: nonce, deposit: deposit,
                    expiresAt: clock.now() + expiresIn, challengePeriod: challenge,
                    hashChain: chain.map { HashChainCommitment(root: $0.root, unit: unit, length: UInt64($0.length)) })
    }

    func voucher(_ channel: ChannelID, sequence: UInt64, cumulative: Amount) -> Signed<Voucher> {
        Signed(signing: Voucher(ledger: id, channel: channel, sequence: sequence, cumulative: cumulative,
                                requestDigest: BLAKE2b.hash(Array("q\(sequence)".utf8))), with: payer)
    }

    func receipt(_ channel: ChannelID, sequence: UInt64, price: Amount, coverage: UInt16 = 10_000,
                 attribution: [(Contribution, UInt16)], listingSequence: UInt64 = 1) -> Receipt {
        let entries = attribution.map { AttributionEntry(contribution: $0.0.contribution, contributor: $0.0.contributor, weightBps: $0.1) }
            .sorted { $0.contribution < $1.contribution }
        let model = listing().model
        return Receipt(ledger: id, channel: channel, sequence: sequence, requestDigest: BLAKE2b.hash(Array("q\(sequence)".utf8)),
                       responseDigest: BLAKE2b.hash(Array("a\(sequence)".utf8)), model: model, modelVersion: listing().modelVersion,
                       listingSequence: listingSequence, price: price, outputTokens: 0, coverageBps: attribution.isEmpty ? 0 : coverage,
                       attribution: entries)
    }

    func claim(_ channel: ChannelID, voucher: Signed<Voucher>?, tick: TickReference? = nil, receipts: [Receipt], by key: SigningKey? = nil) -> Signed<ChannelClaim> {
        let charged = try! Amount.sum(receipts.map(\.price))
        let claim = ChannelClaim(ledger: id, channel: channel, payee: (key ?? payee).publicKey, voucher: voucher.map { VoucherReference($0.message) },
                                 tick: tick, receiptsRoot: MerkleTree.root(of: receipts.map(\.digest)), receiptCount: UInt64(receipts.count),
                                 charged: charged, claimedAt: clock.now())
        return Signed(signing: claim, with: key ?? payee)
    }

    func close(_ channel: ChannelID, by key: SigningKey, mode: ChannelClose.Mode) -> Signed<ChannelClose> {
        Signed(signing: ChannelClose(ledger: id, channel: channel, initiator: key.publicKey, mode: mode, requestedAt: clock.now()), with: key)
    }

    /// The sum of every balance in the store equals the supply.
    func supplyHolds() async throws -> Bool {
        let state = try await store.loadState()
        return try state.totalBalance() == state.genesis.supply.units
    }
}

/// The error `body` throws (nil when it succeeds).
func refusal(_ body: () async throws -> Void) async -> RemitError? {
    do {
        try await body()
        return nil
    } catch let error as RemitError {
        return error
    } catch {
        return RemitError(.ledgerStore, "unexpected error \(error)")
    }
}
