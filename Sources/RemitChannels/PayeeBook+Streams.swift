import Foundation
import GRDB
public import RemitCore
public import RemitCrypto

extension PayeeBook {
    /// One tick payment of a stream, with the receipt draft of its answered query.
    public struct StreamedTick: Sendable {
        /// The tick.
        public var tick: Tick
        /// Digest of the request it pays for.
        public var requestDigest: Digest32
        /// The request's quoted maximum.
        public var maxPrice: Amount
        /// The answered query's receipt draft.
        public var draft: ReceiptDraft

        /// Creates a streamed tick.
        public init(tick: Tick, requestDigest: Digest32, maxPrice: Amount, draft: ReceiptDraft) {
            self.tick = tick
            self.requestDigest = requestDigest
            self.maxPrice = maxPrice
            self.draft = draft
        }
    }

    /// One tick payment of a stream before its query is answered.
    public struct StreamedPayment: Sendable {
        /// The tick.
        public var tick: Tick
        /// Digest of the request it pays for.
        public var requestDigest: Digest32
        /// The request's quoted maximum.
        public var maxPrice: Amount

        /// Creates a streamed payment.
        public init(tick: Tick, requestDigest: Digest32, maxPrice: Amount) {
            self.tick = tick
            self.requestDigest = requestDigest
            self.maxPrice = maxPrice
        }
    }

    /// Checks a run of tick payments on one channel in order and reserves them, before any
    /// query is answered. A refused tick stops the run: the payments before it are accepted and
    /// returned with the refusal. Complete them with ``complete(stream:drafts:channel:)``.
    public func accept(stream: [StreamedPayment], channel id: ChannelID, now: UInt64) throws(RemitError) -> (payments: [PayeeChannel.Payment], refusal: RemitError?) {
        let position = try slot(of: id)
        var payments: [PayeeChannel.Payment] = []
        payments.reserveCapacity(stream.count)
        // Each tick's link hashed up front, four per compression: a one-unit tick then checks
        // against the link before it with a compare.
        let links = stream.map(\.tick.link)  // digests are 32 inline bytes, so the array is the input
        let linkHashes = links.withUnsafeBytes { BLAKE2b.hash(each: links.count, of: 32, in: $0) }
        for (index, item) in stream.enumerated() {
            switch channels.values[position].acceptStreamedTick(item.tick, linkHash: linkHashes[index], requestDigest: item.requestDigest, maxPrice: item.maxPrice, now: now) {
            case .serve(let payment): payments.append(payment)
            case .refuse(let error): return (payments, error)
            default: return (payments, RemitError(.channelReceiptMismatch, "unexpected channel action for a tick"))
            }
        }
        return (payments, nil)
    }

    /// Records the answered queries of accepted stream payments (one draft each, same order),
    /// signs their receipts under one Merkle root, and makes the run durable in one write.
    public func complete(stream payments: [PayeeChannel.Payment], drafts: [ReceiptDraft], channel id: ChannelID) async throws(RemitError) -> ReceiptRun {
        guard payments.count == drafts.count, !payments.isEmpty else {
            throw RemitError(.channelReceiptMismatch, "\(payments.count) stream payments with \(drafts.count) receipt drafts")
        }
        let position = try slot(of: id)
        var receipts: [Receipt] = []
        receipts.reserveCapacity(payments.count)
        for (payment, draft) in zip(payments, drafts) {
            if case .refuse(let error) = channels.values[position].handle(.served(sequence: payment.sequence, price: draft.price)) { throw error }
            receipts.append(draft.receipt(ledger: ledger, channel: id, sequence: payment.sequence, requestDigest: payment.requestDigest))
        }
        guard let lastTick = payments.last?.tick else {
            throw RemitError(.channelSchemeMismatch, "stream payments must be ticks")
        }
        return try await storeRun(receipts, lastTick: lastTick, channel: id)
    }

    /// Accepts a run of tick payments and records their answers in one go (answers computed
    /// beforehand): ``accept(stream:channel:now:)`` then ``complete(stream:drafts:channel:)``.
    public func serve(stream: [StreamedTick], channel id: ChannelID, now: UInt64) async throws(RemitError) -> (run: ReceiptRun?, refusal: RemitError?) {
        let (payments, refusal) = try accept(stream: stream.map { StreamedPayment(tick: $0.tick, requestDigest: $0.requestDigest, maxPrice: $0.maxPrice) },
                                             channel: id, now: now)
        guard !payments.isEmpty else { return (nil, refusal) }
        let run = try await complete(stream: payments, drafts: stream.prefix(payments.count).map { $0.draft }, channel: id)
        return (run, refusal)
    }

    /// Stores a run's receipts with the newest tick they were paid by.
    private func storeRun(_ receipts: [Receipt], lastTick: Tick, channel id: ChannelID) async throws(RemitError) -> ReceiptRun {
        let root = MerkleTree.root(of: BLAKE2b.hash(each: receipts.map { $0.canonicalBytes }))
        let total = Amount(uncheckedUnits: receipts.reduce(0) { $0 + $1.price.units })
        let header = Signed(signing: ReceiptBatch(
            ledger: ledger, channel: id, firstSequence: receipts.first!.sequence, lastSequence: receipts.last!.sequence,
            count: UInt64(receipts.count), merkleRoot: root, total: total
        ), with: key)
        let key = Data(id.digest.bytes)
        let first = Int64(header.message.firstSequence)
        let last = Int64(header.message.lastSequence)
        let tickIndex = Int64(lastTick.index)
        let tickLink = Data(lastTick.link.bytes)
        let headerBytes = Data(header.wireBytes)
        let packed = Data(StoredReceipts.encode(receipts))
        try await durable { db in
            try db.cachedStatement(sql: """
                INSERT INTO receipt_batch (channel, first_sequence, last_sequence, tick_index, tick_link, total, header, receipts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [key, first, last, tickIndex, tickLink, total.units, headerBytes, packed])
        }
        return ReceiptRun(batch: header, receipts: receipts)
    }
}
