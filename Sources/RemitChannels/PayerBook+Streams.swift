import Foundation
import GRDB
public import RemitCore
public import RemitCrypto

/// A run of streamed ticks awaiting its receipts.
struct TickRunRecord: Sendable {
    var firstIndex: UInt64
    var lastIndex: UInt64
    /// The tick indices of the run, ascending (a tick may pay several units, so they can skip).
    var indices: [UInt64] = []
    /// Request digest and quoted maximum of each tick, in the order of ``indices``. Two arrays
    /// instead of a dictionary: a run of a thousand ticks is appended and searched per payment.
    var requests: [(digest: Digest32, maxPrice: Amount)] = []

    init(firstIndex: UInt64, lastIndex: UInt64) {
        self.firstIndex = firstIndex
        self.lastIndex = lastIndex
    }

    /// Adds the next tick of the run.
    mutating func append(index: UInt64, digest: Digest32, maxPrice: Amount) {
        indices.append(index)
        requests.append((digest, maxPrice))
    }

    /// The request and quote of the tick with `index`, found by binary search.
    func request(at index: UInt64) -> (digest: Digest32, maxPrice: Amount)? {
        var low = 0
        var high = indices.count
        while low < high {
            let middle = (low + high) / 2
            if indices[middle] < index { low = middle + 1 } else { high = middle }
        }
        return low < indices.count && indices[low] == index ? requests[low] : nil
    }
}

extension PayerBook {
    /// Pays a run of requests on one channel with ticks, persisting the run in one write before
    /// returning it for sending. Stops at the first payment the channel refuses (the ticks before
    /// it are returned; with none, the refusal is thrown). A run does not wait for each receipt:
    /// each payment counts at its quote until ``accept(run:)`` records the receipts that come back.
    public func payTicks(channel id: ChannelID, requests: [(requestDigest: Digest32, maxPrice: Amount)], now: UInt64, limit: Amount? = nil) async throws(RemitError) -> [Tick] {
        // One lookup for the whole run; the channel's state is then changed in place.
        guard let slot = channels.index(forKey: id) else { throw RemitError(.channelUnknown, "this payer holds no channel \(id)") }
        // Taken before any payment is decided: a channel without a seed refuses the run unchanged.
        var cursor = try takeCursor(channel: id)
        var ticks: [Tick] = []
        ticks.reserveCapacity(requests.count)
        var record = TickRunRecord(firstIndex: 0, lastIndex: 0)
        record.indices.reserveCapacity(requests.count)
        record.requests.reserveCapacity(requests.count)
        var packed = CanonicalWriter(capacity: requests.count * 48)
        for request in requests {
            let action = channels.values[slot].handle(.payTick(requestDigest: request.requestDigest, maxPrice: request.maxPrice, now: now, limit: limit))
            guard case .revealTick(let index) = action else {
                if ticks.isEmpty, case .refuse(let error) = action {
                    cursors[id] = cursor
                    throw error
                }
                break
            }
            ticks.append(Tick(ledger: ledger, channel: id, index: index, link: cursor.link(at: Int(index))))
            if record.firstIndex == 0 { record.firstIndex = index }
            record.lastIndex = index
            record.append(index: index, digest: request.requestDigest, maxPrice: request.maxPrice)
            packed.write(index)
            packed.write(request.requestDigest)
            packed.write(request.maxPrice)
            // Count the payment at its quote so the next one in the run can be decided now.
            channels.values[slot].chargeStreamed(request.maxPrice)
        }
        cursors[id] = cursor
        guard let last = ticks.last else { return [] }
        let row = (Data(id.digest.bytes), Int64(record.firstIndex), Int64(last.index), Data(last.canonicalBytes), Data(packed.bytes))
        try await durable { db in
            try db.cachedStatement(sql: """
                INSERT INTO tick_run (channel, first_index, last_index, last_tick, requests, state) VALUES (?, ?, ?, ?, ?, 0)
                """).execute(arguments: [row.0, row.1, row.2, row.3, row.4])
        }
        tickRuns[id, default: []].append(record)
        return ticks
    }

    /// Records the receipts of a streamed run: the batch must be signed by the payee, the
    /// receipts must hash to its root and each answer a tick of a run this payer sent, charging
    /// at most its quote; the difference becomes credit. Returns the total charged.
    @discardableResult
    public func accept(run: ReceiptRun) async throws(RemitError) -> Amount {
        let id = run.batch.message.channel
        guard let state = channels[id] else { throw RemitError(.channelUnknown, "this payer holds no channel \(id)") }
        try run.verify(payee: state.terms.payee, ledger: ledger)
        guard let slot = tickRuns[id]?.firstIndex(where: { $0.firstIndex == run.batch.message.firstSequence }) else {
            throw RemitError(.channelReceiptMismatch, "no run of ticks starting at \(run.batch.message.firstSequence) awaits receipts")
        }
        let record = tickRuns[id]![slot]
        var quoted: Int64 = 0
        for receipt in run.receipts {
            guard let request = record.request(at: receipt.sequence), request.digest == receipt.requestDigest else {
                throw RemitError(.channelReceiptMismatch, "receipt \(receipt.sequence) answers no tick of this run")
            }
            guard receipt.price <= request.maxPrice else {
                throw RemitError(.channelReceiptOvercharge, "receipt \(receipt.sequence) charges \(receipt.price); its quote was \(request.maxPrice)")
            }
            quoted += request.maxPrice.units
        }
        let charged = run.batch.message.total.units
        channels[id]!.refund(Amount(uncheckedUnits: quoted - charged))
        tickRuns[id]!.remove(at: slot)
        let row = (Data(id.digest.bytes), Int64(record.firstIndex), Data(run.batch.wireBytes), Data(StoredReceipts.encode(run.receipts)), charged - quoted)
        // Write-behind, like single receipts: a lost record leaves the run awaiting receipts.
        committer.enqueue { db in
            try db.cachedStatement(sql: """
                INSERT INTO tick_run_receipts (channel, first_index, batch, receipts, adjustment) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [row.0, row.1, row.2, row.3, row.4])
        }
        return Amount(uncheckedUnits: charged)
    }
}
