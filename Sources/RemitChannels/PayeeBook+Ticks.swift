import Foundation
import GRDB
public import RemitCore
public import RemitCrypto

/// Tick receipts of one channel waiting for their batch to be signed and made durable.
struct TickBatch {
    var receipts: [Receipt] = []
    var waiters: [CheckedContinuation<BatchedReceipt, any Error>] = []
    var tickIndex: UInt64 = 0
    var tickLink: Digest32 = .zero
    var timerArmed = false
}

extension PayeeBook {
    /// Checks a tick against the channel's hash chain; on success the payment is reserved.
    public func accept(tick: Tick, requestDigest: Digest32, maxPrice: Amount, now: UInt64) throws(RemitError) -> PayeeChannel.Payment {
        switch try handle(tick.channel, .tick(tick, requestDigest: requestDigest, maxPrice: maxPrice, now: now)) {
        case .serve(let payment):
            return payment
        case .refuse(let error):
            throw error
        default:
            throw RemitError(.channelReceiptMismatch, "unexpected channel action for a tick")
        }
    }

    /// Adds the receipt of a served tick payment to the channel's open batch and returns once the
    /// batch is signed and durable (when it fills, or after ``batchDelay``).
    public func complete(tick payment: PayeeChannel.Payment, draft: ReceiptDraft) async throws -> BatchedReceipt {
        guard let tick = payment.tick else {
            throw RemitError(.channelSchemeMismatch, "payment \(payment.sequence) was not paid by a tick")
        }
        let id = payment.channel
        try serve(channel: id, sequence: payment.sequence, price: draft.price)
        let receipt = draft.receipt(ledger: ledger, channel: id, sequence: payment.sequence, requestDigest: payment.requestDigest)
        return try await withCheckedThrowingContinuation { continuation in
            var batch = openBatches[id] ?? TickBatch()
            batch.receipts.append(receipt)
            batch.waiters.append(continuation)
            batch.tickIndex = tick.index
            batch.tickLink = tick.link
            let full = batch.receipts.count >= batchSize
            let arm = !full && !batch.timerArmed
            if arm { batch.timerArmed = true }
            openBatches[id] = batch
            if full {
                Task { try? await self.flush(id) }
            } else if arm {
                let delay = batchDelay
                Task {
                    try? await Task.sleep(for: delay)
                    try? await self.flush(id)
                }
            }
        }
    }

    /// Signs and stores the open batch of a channel now, releasing every receipt waiting in it.
    public func flush(_ id: ChannelID) async throws(RemitError) {
        guard let batch = openBatches.removeValue(forKey: id), !batch.receipts.isEmpty else { return }
        let tree = MerkleTree(items: BLAKE2b.hash(each: batch.receipts.map { $0.canonicalBytes }))
        let total = Amount(uncheckedUnits: batch.receipts.reduce(0) { $0 + $1.price.units })
        let header = Signed(signing: ReceiptBatch(
            ledger: ledger, channel: id, firstSequence: batch.receipts.first!.sequence, lastSequence: batch.receipts.last!.sequence,
            count: UInt64(batch.receipts.count), merkleRoot: tree.root, total: total
        ), with: key)
        let packed = Data(StoredReceipts.encode(batch.receipts))
        let key = Data(id.digest.bytes)
        let first = Int64(header.message.firstSequence)
        let last = Int64(header.message.lastSequence)
        let tickIndex = Int64(batch.tickIndex)
        let tickLink = Data(batch.tickLink.bytes)
        let headerBytes = Data(header.wireBytes)
        do {
            try await durable { db in
                let statement = try db.cachedStatement(sql: """
                    INSERT INTO receipt_batch (channel, first_sequence, last_sequence, tick_index, tick_link, total, header, receipts)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                try statement.execute(arguments: [key, first, last, tickIndex, tickLink, total.units, headerBytes, packed])
            }
        } catch {
            for waiter in batch.waiters { waiter.resume(throwing: error) }
            throw error
        }
        for (index, waiter) in batch.waiters.enumerated() {
            waiter.resume(returning: BatchedReceipt(receipt: batch.receipts[index], proof: tree.proof(at: index), batch: header))
        }
    }

    /// Flushes every channel's open batch.
    public func flushAll() async throws(RemitError) {
        for id in Array(openBatches.keys) { try await flush(id) }
    }
}
