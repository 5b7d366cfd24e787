import Foundation
import GRDB
public import RemitCore
public import RemitCrypto

extension PayerBook {
    /// Signs a top-up of `amount` (and a new expiry) for the ledger; apply it to the book with
    /// ``toppedUp(_:)`` once the ledger accepted it.
    public func prepareTopUp(_ id: ChannelID, amount: Amount, newExpiresAt: UInt64) throws(RemitError) -> Signed<ChannelTopUp> {
        guard let state = channels[id] else { throw RemitError(.channelUnknown, "this payer holds no channel \(id)") }
        let newDeposit = try state.deposit.adding(amount)
        return Signed(signing: ChannelTopUp(ledger: ledger, channel: id, amount: amount, newDeposit: newDeposit,
                                            newExpiresAt: max(newExpiresAt, state.expiresAt)), with: key)
    }

    /// Records a top-up the ledger applied.
    public func toppedUp(_ topUp: Signed<ChannelTopUp>) async throws(RemitError) {
        let id = topUp.message.channel
        guard var state = channels[id] else { throw RemitError(.channelUnknown, "this payer holds no channel \(id)") }
        _ = state.handle(.toppedUp(newDeposit: topUp.message.newDeposit, newExpiresAt: topUp.message.newExpiresAt))
        let deposit = state.deposit.units
        let expiry = Int64(state.expiresAt)
        try await durable { db in
            try db.execute(sql: "UPDATE channel SET deposit = ?, expires_at = ? WHERE id = ?", arguments: [deposit, expiry, Data(id.digest.bytes)])
        }
        channels[id] = state
    }

    /// Signs a close request (unilateral, or reclaim after expiry) for the ledger.
    public func prepareClose(_ id: ChannelID, mode: ChannelClose.Mode, now: UInt64) throws(RemitError) -> Signed<ChannelClose> {
        guard channels[id] != nil else { throw RemitError(.channelUnknown, "this payer holds no channel \(id)") }
        return Signed(signing: ChannelClose(ledger: ledger, channel: id, initiator: key.publicKey, mode: mode, requestedAt: now), with: key)
    }

    /// Records that the ledger started a close.
    public func closeStarted(_ id: ChannelID, deadline: UInt64) async throws(RemitError) {
        try await setStatus(id, .closeStarted(deadline: deadline), code: 1, deadline: deadline)
    }

    /// Records that the ledger settled the channel.
    public func settled(_ id: ChannelID) async throws(RemitError) {
        try await setStatus(id, .settled, code: 2, deadline: 0)
        inFlight[id] = nil
    }

    private func setStatus(_ id: ChannelID, _ event: PayerChannel.Event, code: Int, deadline: UInt64) async throws(RemitError) {
        guard var state = channels[id] else { throw RemitError(.channelUnknown, "this payer holds no channel \(id)") }
        _ = state.handle(event)
        try await durable { db in
            try db.execute(sql: "UPDATE channel SET status = ?, deadline = ? WHERE id = ?", arguments: [code, Int64(deadline), Data(id.digest.bytes)])
            if code == 2 {
                try db.execute(sql: "UPDATE payment SET state = 2 WHERE channel = ? AND state = 0", arguments: [Data(id.digest.bytes)])
            }
        }
        channels[id] = state
    }

    /// A receipt the payer accepted, with what it paid for.
    public struct PaidReceipt: Sendable, Hashable {
        /// The receipt body.
        public var receipt: Receipt
        /// The payee's signature over it (individual receipts), or nil when it came in a batch.
        public var signature: Signature?
    }

    /// Waits until every write queued so far (including write-behind receipt records) is durable.
    public func synchronize() async throws(RemitError) {
        try await durable { _ in }
    }

    /// Every accepted receipt of a channel, ascending by sequence.
    public func receipts(channel id: ChannelID) async throws(RemitError) -> [PaidReceipt] {
        try await synchronize()
        do {
            return try await database.read { db in
                try Row.fetchAll(db, sql: "SELECT scheme, receipt FROM payment WHERE channel = ? AND state = 1 ORDER BY sequence",
                                 arguments: [Data(id.digest.bytes)]).map { row in
                    let bytes = (row["receipt"] as Data).byteArray
                    if (row["scheme"] as Int) == 0 {
                        let signed = try Signed<Receipt>(wireBytes: bytes)
                        return PaidReceipt(receipt: signed.message, signature: signed.signature)
                    }
                    return PaidReceipt(receipt: try Receipt(canonicalBytes: bytes), signature: nil)
                }
            }
        } catch let error as RemitError {
            throw error
        } catch {
            throw RemitError(.channelStorageFailed, "payer book read failed: \(error)")
        }
    }
}
