import Foundation
import GRDB
public import RemitCore
public import RemitCrypto
import Synchronization

/// The payee's durable channel book: the ``PayeeChannel`` state machines of every channel paying
/// this payee, with each accepted payment (voucher or tick, and its signed receipt) made durable
/// in SQLite before the answer is released.
///
/// Queries on one channel are serialised by the actor; a payment is reserved when accepted, so a
/// second query in flight on the same channel cannot spend the same credit. Payments are written
/// through a ``GroupCommitter``, so many queries share one commit under load.
public actor PayeeBook {
    /// The payee's key: signs receipts and claims.
    public nonisolated let key: SigningKey
    /// The ledger the channels are on.
    public nonisolated let ledger: LedgerID
    let database: DatabaseQueue
    let committer: GroupCommitter
    var channels: [ChannelID: PayeeChannel] = [:]
    /// Each channel's payer key, readable outside the actor so signatures are checked in parallel.
    nonisolated let payers = Mutex<[ChannelID: PublicKey]>([:])
    /// Receipts not yet batched, per channel (tick payments).
    var openBatches: [ChannelID: TickBatch] = [:]
    /// Most receipts in one batch.
    public nonisolated let batchSize: Int
    /// How long a tick receipt may wait for its batch to fill.
    public nonisolated let batchDelay: Duration

    /// Opens (or creates) the book at `path` (nil: in memory, for simulations).
    public init(path: String?, key: SigningKey, ledger: LedgerID, batchSize: Int = 1024, batchDelay: Duration = .milliseconds(5)) throws {
        self.key = key
        self.ledger = ledger
        self.batchSize = batchSize
        self.batchDelay = batchDelay
        database = try ChannelDatabase.open(path: path, migrations: PayeeBook.migrations)
        committer = GroupCommitter(database: database, label: "remit.payee-book")
        let loaded = try database.read { db in try PayeeBook.load(db, ledger: ledger, payee: key.publicKey) }
        channels = loaded
        payers.withLock { payers in
            for (id, state) in loaded { payers[id] = state.terms.payer }
        }
    }

    /// A channel's state.
    public func channel(_ id: ChannelID) -> PayeeChannel? { channels[id] }

    /// Every channel's state.
    public func allChannels() -> [PayeeChannel] { Array(channels.values) }

    /// Starts accepting payments on a channel (after the ledger has escrowed its deposit).
    /// Registering the same open again is a no-op.
    @discardableResult
    public func register(_ open: Signed<ChannelOpen>) async throws(RemitError) -> PayeeChannel {
        if let existing = channels[open.message.channel] {
            guard existing.open == open else {
                throw RemitError(.channelExists, "channel \(open.message.channel) is already held with other terms")
            }
            return existing
        }
        let state = try PayeeChannel(open: open, ledger: ledger, payee: key.publicKey)
        let row = open.wireBytes
        let id = open.message.channel
        try await durable { db in
            try db.execute(
                sql: "INSERT INTO channel (id, open, deposit, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [Data(id.digest.bytes), Data(row), state.deposit.units, Int64(state.expiresAt)]
            )
        }
        channels[id] = state
        payers.withLock { $0[id] = open.message.payer }
        return state
    }

    /// What to do with an incoming payment.
    public enum Acceptance: Sendable {
        /// Answer the query, then call ``complete(_:draft:)``.
        case serve(PayeeChannel.Payment)
        /// The same voucher was already paid and answered: here is its receipt again.
        case resend(Signed<Receipt>)
    }

    /// Checks a voucher against the channel's rules; on success the payment is reserved. The
    /// signature is checked before entering the actor, so many are checked in parallel.
    public nonisolated func accept(voucher: Signed<Voucher>, requestDigest: Digest32, maxPrice: Amount, now: UInt64) async throws(RemitError) -> Acceptance {
        let id = voucher.message.channel
        guard let payer = payers.withLock({ $0[id] }) else {
            throw RemitError(.channelUnknown, "channel \(id) is not open with this payee")
        }
        let checked = voucher.message.ledger == ledger && PayeeChannel.checkSignature(voucher, payer: payer, ledger: ledger) == nil
        return try await acceptChecked(voucher: voucher, requestDigest: requestDigest, maxPrice: maxPrice, now: now, signatureChecked: checked)
    }

    private func acceptChecked(voucher: Signed<Voucher>, requestDigest: Digest32, maxPrice: Amount, now: UInt64, signatureChecked: Bool) throws(RemitError) -> Acceptance {
        let id = voucher.message.channel
        let action = try handle(id, .voucher(voucher, requestDigest: requestDigest, maxPrice: maxPrice, now: now, signatureChecked: signatureChecked))
        switch action {
        case .serve(let payment):
            return .serve(payment)
        case .resend(let sequence):
            return .resend(try storedReceipt(channel: id, sequence: sequence, voucher: voucher))
        case .refuse(let error):
            // A retry of an older voucher that was paid and answered gets its receipt again.
            if error.code == .channelSequenceNotAbove, let receipt = try? storedReceipt(channel: id, sequence: voucher.message.sequence, voucher: voucher) {
                return .resend(receipt)
            }
            throw error
        default:
            throw RemitError(.channelReceiptMismatch, "unexpected channel action for a voucher")
        }
    }

    /// Signs the receipt of a served voucher payment, makes voucher and receipt durable, and
    /// returns the receipt: only then may the answer be released. The receipt is signed outside
    /// the actor.
    public nonisolated func complete(_ payment: PayeeChannel.Payment, draft: ReceiptDraft) async throws(RemitError) -> Signed<Receipt> {
        let receipt = Signed(signing: draft.receipt(ledger: ledger, channel: payment.channel, sequence: payment.sequence, requestDigest: payment.requestDigest), with: key)
        try await record(payment, receipt: receipt)
        return receipt
    }

    private func record(_ payment: PayeeChannel.Payment, receipt: Signed<Receipt>) async throws(RemitError) {
        let id = payment.channel
        let draft = receipt.message
        try serve(channel: id, sequence: payment.sequence, price: draft.price)
        let voucherBytes = payment.voucher.map { Data($0.wireBytes) }
        let receiptBytes = Data(receipt.wireBytes)
        try await durable { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO payment (channel, sequence, voucher, request_digest, price, receipt) VALUES (?, ?, ?, ?, ?, ?)"
            )
            try statement.execute(arguments: [
                Data(id.digest.bytes), Int64(payment.sequence), voucherBytes, Data(payment.requestDigest.bytes), draft.price.units, receiptBytes,
            ])
        }
    }

    func serve(channel id: ChannelID, sequence: UInt64, price: Amount) throws(RemitError) {
        if case .refuse(let error) = try handle(id, .served(sequence: sequence, price: price)) { throw error }
    }

    /// Applies an event to a channel's state in place (no copy of its request set); a refused
    /// event leaves the state unchanged, as the state machine guarantees.
    func handle(_ id: ChannelID, _ event: PayeeChannel.Event) throws(RemitError) -> PayeeChannel.Action {
        channels.values[try slot(of: id)].handle(event)
    }

    /// Where channel `id` sits in ``channels``: one lookup, after which a run of events changes
    /// its state in place through `channels.values[slot]`.
    func slot(of id: ChannelID) throws(RemitError) -> [ChannelID: PayeeChannel].Index {
        guard let slot = channels.index(forKey: id) else { throw RemitError(.channelUnknown, "channel \(id) is not open with this payee") }
        return slot
    }

    /// Applies a top-up the ledger accepted.
    public func toppedUp(_ topUp: Signed<ChannelTopUp>) async throws(RemitError) {
        let id = topUp.message.channel
        guard var state = channels[id] else { throw RemitError(.channelUnknown, "channel \(id) is not open with this payee") }
        if case .refuse(let error) = state.handle(.toppedUp(topUp)) { throw error }
        let deposit = state.deposit.units
        let expiry = Int64(state.expiresAt)
        try await durable { db in
            try db.execute(sql: "UPDATE channel SET deposit = ?, expires_at = ? WHERE id = ?", arguments: [deposit, expiry, Data(id.digest.bytes)])
        }
        channels[id] = state
    }

    /// Records that the ledger started a close; returns the deadline for a claim.
    public func closeStarted(_ id: ChannelID, deadline: UInt64) async throws(RemitError) {
        guard var state = channels[id] else { throw RemitError(.channelUnknown, "channel \(id) is not open with this payee") }
        if case .refuse(let error) = state.handle(.closeStarted(deadline: deadline)) { throw error }
        try await durable { db in
            try db.execute(sql: "UPDATE channel SET status = 1, deadline = ? WHERE id = ?", arguments: [Int64(deadline), Data(id.digest.bytes)])
        }
        channels[id] = state
    }

    /// Records that the ledger settled the channel.
    public func settled(_ id: ChannelID) async throws(RemitError) {
        guard var state = channels[id] else { throw RemitError(.channelUnknown, "channel \(id) is not open with this payee") }
        _ = state.handle(.settled)
        try await durable { db in
            try db.execute(sql: "UPDATE channel SET status = 2 WHERE id = ?", arguments: [Data(id.digest.bytes)])
        }
        channels[id] = state
    }

    /// Builds the signed claim for a channel from what the book holds: the newest voucher or tick
    /// and every receipt, in sequence order. Pending tick batches are flushed first.
    public func claim(_ id: ChannelID, now: UInt64) async throws(RemitError) -> ClaimMaterial {
        try await flush(id)
        guard let state = channels[id] else { throw RemitError(.channelUnknown, "channel \(id) is not open with this payee") }
        let receipts = try storedReceipts(channel: id)
        let charged = try Amount.sum(receipts.map(\.price))
        let tick = state.tickIndex > 0 ? Tick(ledger: ledger, channel: id, index: state.tickIndex, link: state.tickLink) : nil
        let claim = ChannelClaim(
            ledger: ledger, channel: id, payee: key.publicKey, voucher: state.voucher.map { VoucherReference($0.message) },
            tick: tick.map { TickReference(index: $0.index, link: $0.link) }, receiptsRoot: MerkleTree.root(of: receipts.map(\.digest)),
            receiptCount: UInt64(receipts.count), charged: charged, claimedAt: now
        )
        return ClaimMaterial(claim: Signed(signing: claim, with: key), voucher: state.voucher, tick: tick, receipts: receipts)
    }

    /// Runs a write in the next group commit, turning storage failures into a coded error.
    func durable(_ work: @escaping GroupCommitter.Work) async throws(RemitError) {
        do {
            try await committer.write(work)
        } catch let error as RemitError {
            throw error
        } catch {
            throw RemitError(.channelStorageFailed, "payee book storage failed: \(error)", cause: SendableDescription(error))
        }
    }

    /// The largest number of payments one commit carried (how much group commit helped).
    public nonisolated var largestCommitBatch: Int { committer.largestBatchSize }

    /// Transactions committed so far (with ``largestCommitBatch``, how much group commit helped).
    public nonisolated var commitCount: Int { committer.commitCount }
}
