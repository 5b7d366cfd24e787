import Foundation
import GRDB
public import RemitCore
public import RemitCrypto
import Synchronization

/// The payer's durable channel book: the ``PayerChannel`` state machines of every channel this
/// payer opened, their hash-chain seeds, and every payment. A voucher or tick is written to disk
/// before it is returned for sending, so after a crash the payer never reuses a sequence and can
/// retry the payment in flight with the very same voucher instead of paying twice.
public actor PayerBook {
    /// The payer's key.
    public nonisolated let key: SigningKey
    /// The ledger the channels are on.
    public nonisolated let ledger: LedgerID
    let database: DatabaseQueue
    let committer: GroupCommitter
    var channels: [ChannelID: PayerChannel] = [:]
    /// Each channel's payee key, readable outside the actor so receipts are checked in parallel.
    nonisolated let payees = Mutex<[ChannelID: PublicKey]>([:])
    var cursors: [ChannelID: ChainCursor] = [:]
    var seeds: [ChannelID: Digest32] = [:]
    /// The message of each payment in flight, to resend after a crash.
    var inFlight: [ChannelID: PaymentMessage] = [:]
    /// Streamed tick runs awaiting their receipts.
    var tickRuns: [ChannelID: [TickRunRecord]] = [:]

    /// A payment as sent to the payee.
    public enum PaymentMessage: Sendable, Hashable {
        /// A signed voucher.
        case voucher(Signed<Voucher>)
        /// A tick.
        case tick(Tick)
    }

    /// Where hash-chain seeds come from.
    public enum ChainSeeds: Sendable {
        /// libsodium's random generator (the default).
        case random
        /// BLAKE2b keyed with a secret, over the channel id: reproducible for whoever holds the
        /// secret (simulations that must replay to the same ledger).
        case derived(secret: [UInt8])

        func seed(for channel: ChannelID) -> Digest32 {
            switch self {
            case .random:
                return SecureRandom.digest()
            case .derived(let secret):
                let key = secret.count >= BLAKE2b.minKeyLength ? Array(secret.prefix(BLAKE2b.maxKeyLength)) : Array(BLAKE2b.hash(secret).bytes)
                return try! Digest32(bytes: try! BLAKE2b.hash(channel.digest.bytes, outputLength: 32, key: key))  // valid lengths
            }
        }
    }

    /// How hash-chain seeds are made.
    public nonisolated let chainSeeds: ChainSeeds

    /// Opens (or creates) the book at `path` (nil: in memory, for simulations).
    public init(path: String?, key: SigningKey, ledger: LedgerID, chainSeeds: ChainSeeds = .random) throws {
        self.key = key
        self.ledger = ledger
        self.chainSeeds = chainSeeds
        database = try ChannelDatabase.open(path: path, migrations: PayerBook.migrations)
        committer = GroupCommitter(database: database, label: "remit.payer-book")
        let loaded = try database.read { db in try PayerBook.load(db) }
        channels = loaded.channels
        payees.withLock { payees in
            for (id, state) in loaded.channels { payees[id] = state.terms.payee }
        }
        seeds = loaded.seeds
        inFlight = loaded.inFlight
        tickRuns = loaded.tickRuns
    }

    /// A channel's state.
    public func channel(_ id: ChannelID) -> PayerChannel? { channels[id] }

    /// Every channel's state.
    public func allChannels() -> [PayerChannel] { Array(channels.values) }

    /// The open channels paying `payee`, newest deposit first.
    public func channels(payee: PublicKey) -> [PayerChannel] {
        channels.values.filter { $0.terms.payee == payee && $0.phase == .open }.sorted { $0.terms.nonce > $1.terms.nonce }
    }

    /// The payment in flight on a channel, to send again after a restart.
    public func paymentInFlight(_ id: ChannelID) -> PaymentMessage? { inFlight[id] }

    /// Signs a new channel open and stores it (with the hash-chain seed, if ticks are wanted)
    /// before it is submitted to the ledger. Call ``forget(_:)`` if the ledger refuses it.
    public func prepareOpen(
        payee: PublicKey, deposit: Amount, expiresAt: UInt64, challengePeriod: UInt32, tickUnit: Amount? = nil, tickLength: UInt64 = 0
    ) async throws(RemitError) -> Signed<ChannelOpen> {
        let nonce = (channels.values.filter { $0.terms.payee == payee }.map(\.terms.nonce).max() ?? 0) + 1
        var seed: Digest32?
        var commitment: HashChainCommitment?
        if let tickUnit, tickLength > 0 {
            let chainSeed = chainSeeds.seed(for: ChannelID.derive(ledger: ledger, payer: key.publicKey, payee: payee, nonce: nonce))
            let chain = HashChain(seed: chainSeed, length: Int(tickLength))
            seed = chainSeed
            commitment = HashChainCommitment(root: chain.root, unit: tickUnit, length: tickLength)
            cursors[ChannelID.derive(ledger: ledger, payer: key.publicKey, payee: payee, nonce: nonce)] = ChainCursor(chain: chain)
        }
        let open = Signed(signing: ChannelOpen(
            ledger: ledger, payer: key.publicKey, payee: payee, nonce: nonce, deposit: deposit,
            expiresAt: expiresAt, challengePeriod: challengePeriod, hashChain: commitment
        ), with: key)
        do {
            try open.verify(ledger: ledger)
        } catch {
            throw RemitError(.channelBadSignature, "cannot open channel: \(error.message)", cause: error)
        }
        let id = open.message.channel
        let wire = Data(open.wireBytes)
        let seedBytes = seed.map { Data($0.bytes) }
        try await durable { db in
            try db.execute(
                sql: "INSERT INTO channel (id, open, chain_seed, deposit, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [Data(id.digest.bytes), wire, seedBytes, deposit.units, Int64(expiresAt)]
            )
        }
        channels[id] = PayerChannel(open: open)
        payees.withLock { $0[id] = payee }
        if let seed { seeds[id] = seed }
        return open
    }

    /// Drops a channel the ledger never opened (it refused the open).
    public func forget(_ id: ChannelID) async throws(RemitError) {
        try await durable { db in
            try db.execute(sql: "DELETE FROM channel WHERE id = ?", arguments: [Data(id.digest.bytes)])
        }
        channels[id] = nil
        cursors[id] = nil
        seeds[id] = nil
    }

    /// Pays for a request on a channel: decides the voucher (or tick), persists it, and returns it
    /// for sending. `limit` is the policy's cap on the channel's total. The voucher is signed
    /// outside the actor, so many payers' signatures are made in parallel.
    public nonisolated func pay(
        channel id: ChannelID, requestDigest: Digest32, maxPrice: Amount, now: UInt64, limit: Amount? = nil, scheme: PaymentScheme = .voucher
    ) async throws(RemitError) -> PaymentMessage {
        let decided = try await decide(channel: id, requestDigest: requestDigest, maxPrice: maxPrice, now: now, limit: limit, scheme: scheme)
        let message: PaymentMessage = switch decided {
        case .voucher(let voucher): .voucher(Signed(signing: voucher, with: key))
        case .tick(let tick): .tick(tick)
        }
        try await persist(message, channel: id, requestDigest: requestDigest, maxPrice: maxPrice)
        return message
    }

    private enum Decision {
        case voucher(Voucher)
        case tick(Tick)
    }

    private func decide(
        channel id: ChannelID, requestDigest: Digest32, maxPrice: Amount, now: UInt64, limit: Amount?, scheme: PaymentScheme
    ) throws(RemitError) -> Decision {
        guard var state = channels[id] else { throw RemitError(.channelUnknown, "this payer holds no channel \(id)") }
        let event: PayerChannel.Event = scheme == .voucher
            ? .payVoucher(requestDigest: requestDigest, maxPrice: maxPrice, now: now, limit: limit)
            : .payTick(requestDigest: requestDigest, maxPrice: maxPrice, now: now, limit: limit)
        let decision: Decision
        switch state.handle(event) {
        case .signVoucher(let voucher):
            decision = .voucher(voucher)
        case .revealTick(let index):
            decision = .tick(Tick(ledger: ledger, channel: id, index: index, link: try link(channel: id, index: index)))
        case .refuse(let error):
            throw error
        default:
            throw RemitError(.channelPaymentPending, "unexpected channel action for a payment")
        }
        // Reserved now: a second payment on this channel waits for this one's receipt.
        channels[id] = state
        return decision
    }

    private func persist(_ message: PaymentMessage, channel id: ChannelID, requestDigest: Digest32, maxPrice: Amount) async throws(RemitError) {
        let (wire, cumulative, sequence, schemeCode): (Data, Int64, Int64, Int) = switch message {
        case .voucher(let v): (Data(v.wireBytes), v.message.cumulative.units, Int64(v.message.sequence), 0)
        case .tick(let t): (Data(t.canonicalBytes), Int64(t.index), Int64(t.index), 1)
        }
        try await durable { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO payment (channel, sequence, scheme, cumulative, request_digest, max_price, message, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0)
                """)
            try statement.execute(arguments: [
                Data(id.digest.bytes), sequence, schemeCode, cumulative, Data(requestDigest.bytes), maxPrice.units, wire,
            ])
        }
        inFlight[id] = message
    }

    func link(channel id: ChannelID, index: UInt64) throws(RemitError) -> Digest32 {
        var cursor = try takeCursor(channel: id)
        defer { cursors[id] = cursor }
        return cursor.link(at: Int(index))
    }

    /// The channel's chain cursor, taken out of ``cursors`` (made from the seed on first use); the
    /// caller puts it back. A run of ticks then costs one dictionary lookup, not two a tick.
    func takeCursor(channel id: ChannelID) throws(RemitError) -> ChainCursor {
        if let cursor = cursors.removeValue(forKey: id) { return cursor }
        guard let seed = seeds[id], let commitment = channels[id]?.terms.hashChain else {
            throw RemitError(.channelTicksUnavailable, "channel \(id) has no hash chain seed in this book")
        }
        return ChainCursor(chain: HashChain(seed: seed, length: Int(commitment.length)))
    }

    /// Checks a signed receipt for the payment in flight and records it; returns what it charged.
    /// The signature is checked before entering the actor.
    @discardableResult
    public nonisolated func accept(receipt: Signed<Receipt>) async throws(RemitError) -> Amount {
        guard let payee = payees.withLock({ $0[receipt.message.channel] }) else {
            throw RemitError(.channelUnknown, "this payer holds no channel \(receipt.message.channel)")
        }
        if let error = PayerChannel.checkSignature(receipt, payee: payee, ledger: ledger) { throw error }
        return try await recordChecked(channel: receipt.message.channel, event: .receipt(receipt, signatureChecked: true), receipt: receipt.message,
                                       wire: Data(receipt.wireBytes), batch: nil)
    }

    /// Checks a batched receipt (batch signature and inclusion proof) and records it.
    @discardableResult
    public func accept(batched: BatchedReceipt) async throws(RemitError) -> Amount {
        guard let state = channels[batched.receipt.channel] else {
            throw RemitError(.channelUnknown, "this payer holds no channel \(batched.receipt.channel)")
        }
        guard batched.verify(payee: state.terms.payee, ledger: ledger) else {
            throw RemitError(.channelBadSignature, "receipt \(batched.receipt.sequence) is not in a batch signed by the payee")
        }
        return try record(channel: batched.receipt.channel, event: .batchedReceipt(batched.receipt), receipt: batched.receipt,
                          wire: Data(batched.receipt.canonicalBytes), batch: Data(batched.batch.wireBytes))
    }

    private func recordChecked(channel id: ChannelID, event: PayerChannel.Event, receipt: Receipt, wire: Data, batch: Data?) throws(RemitError) -> Amount {
        try record(channel: id, event: event, receipt: receipt, wire: wire, batch: batch)
    }

    private func record(channel id: ChannelID, event: PayerChannel.Event, receipt: Receipt, wire: Data, batch: Data?) throws(RemitError) -> Amount {
        guard channels[id] != nil else { throw RemitError(.channelUnknown, "this payer holds no channel \(id)") }
        let price: Amount
        switch channels[id]!.handle(event) {
        case .accepted(let charged): price = charged
        case .refuse(let error): throw error
        default: throw RemitError(.channelReceiptMismatch, "unexpected channel action for a receipt")
        }
        inFlight[id] = nil
        // Write-behind: if this record is lost in a crash, the payment reloads as in flight, the
        // payer resends the same voucher and the payee answers with the stored receipt.
        let sequence = Int64(receipt.sequence)
        committer.enqueue { db in
            let statement = try db.cachedStatement(sql: "UPDATE payment SET receipt = ?, batch = ?, price = ?, state = 1 WHERE channel = ? AND sequence = ?")
            try statement.execute(arguments: [wire, batch, price.units, Data(id.digest.bytes), sequence])
        }
        return price
    }

    /// Gives up on the payment in flight (no receipt will come); its amount stays as credit.
    public func abandon(_ id: ChannelID) async throws(RemitError) {
        guard var state = channels[id], let pending = state.pending else { return }
        _ = state.handle(.abandon)
        try await durable { db in
            try db.execute(sql: "UPDATE payment SET state = 2 WHERE channel = ? AND sequence = ?",
                           arguments: [Data(id.digest.bytes), Int64(pending.sequence)])
        }
        channels[id] = state
        inFlight[id] = nil
    }

    /// Runs a write in the next group commit, turning storage failures into a coded error.
    func durable(_ work: @escaping GroupCommitter.Work) async throws(RemitError) {
        do {
            try await committer.write(work)
        } catch let error as RemitError {
            throw error
        } catch {
            throw RemitError(.channelStorageFailed, "payer book storage failed: \(error)", cause: SendableDescription(error))
        }
    }
}
