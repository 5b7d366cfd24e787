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

    /// Accepts a run of tick payments on one channel (a client streaming many small requests):
    /// each tick is checked against the chain in order, the receipts are signed together under
    /// one Merkle root, and the whole run is made durable in one write before it returns. A
    /// refused tick stops the run: the ticks before it are kept, the error is returned with them.
    public func serve(stream: [StreamedTick], channel id: ChannelID, now: UInt64) async throws(RemitError) -> (run: ReceiptRun?, refusal: RemitError?) {
        guard channels[id] != nil else { throw RemitError(.channelUnknown, "channel \(id) is not open with this payee") }
        var receipts: [Receipt] = []
        receipts.reserveCapacity(stream.count)
        var refusal: RemitError?
        for item in stream {
            switch channels[id]!.handle(.tick(item.tick, requestDigest: item.requestDigest, maxPrice: item.maxPrice, now: now)) {
            case .serve(let payment):
                if case .refuse(let error) = channels[id]!.handle(.served(sequence: payment.sequence, price: item.draft.price)) {
                    refusal = error
                } else {
                    receipts.append(item.draft.receipt(ledger: ledger, channel: id, sequence: payment.sequence, requestDigest: item.requestDigest))
                }
            case .refuse(let error):
                refusal = error
            default:
                refusal = RemitError(.channelReceiptMismatch, "unexpected channel action for a tick")
            }
            if refusal != nil { break }
        }
        guard !receipts.isEmpty else { return (nil, refusal) }
        let state = channels[id]!
        let receiptBytes = receipts.map(\.canonicalBytes)
        let root = MerkleTree.root(of: receiptBytes.map { BLAKE2b.hash($0) })
        let total = Amount(uncheckedUnits: receipts.reduce(0) { $0 + $1.price.units })
        let header = Signed(signing: ReceiptBatch(
            ledger: ledger, channel: id, firstSequence: receipts.first!.sequence, lastSequence: receipts.last!.sequence,
            count: UInt64(receipts.count), merkleRoot: root, total: total
        ), with: key)
        let key = Data(id.digest.bytes)
        let first = Int64(header.message.firstSequence)
        let last = Int64(header.message.lastSequence)
        let tickIndex = Int64(state.tickIndex)
        let tickLink = Data(state.tickLink.bytes)
        let headerBytes = Data(header.wireBytes)
        let packed = Data(PackedBytes.pack(receiptBytes))
        try await durable { db in
            try db.cachedStatement(sql: """
                INSERT INTO receipt_batch (channel, first_sequence, last_sequence, tick_index, tick_link, total, header, receipts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [key, first, last, tickIndex, tickLink, total.units, headerBytes, packed])
        }
        return (ReceiptRun(batch: header, receipts: receipts), refusal)
    }
}
