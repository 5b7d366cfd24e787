public import RemitCore

extension RemitError.Code {
    /// A voucher or tick whose sequence (index) is not above the last accepted one.
    public static let channelSequenceNotAbove = Self("channel.sequence_not_above")
    /// A voucher whose cumulative amount does not rise by at least the quoted price (less prepaid credit).
    public static let channelAmountTooLow = Self("channel.amount_too_low")
    /// A payment that would take the channel past its deposit.
    public static let channelOverDeposit = Self("channel.over_deposit")
    /// A payment on a channel past its expiry.
    public static let channelExpired = Self("channel.expired")
    /// A payment on a channel whose close has started.
    public static let channelClosing = Self("channel.closing")
    /// A payment on a settled channel.
    public static let channelClosed = Self("channel.closed")
    /// A message naming another channel than the one it was sent on.
    public static let channelWrongChannel = Self("channel.wrong_channel")
    /// A message for another ledger.
    public static let channelWrongLedger = Self("channel.wrong_ledger")
    /// A channel whose payee is not this payee.
    public static let channelWrongPayee = Self("channel.wrong_payee")
    /// A voucher, receipt or open whose signature does not verify under the key the channel requires.
    public static let channelBadSignature = Self("channel.bad_signature")
    /// A request digest already paid for on this channel.
    public static let channelReplayedRequest = Self("channel.replayed_request")
    /// A voucher whose request digest is not the digest of the request it came with.
    public static let channelRequestMismatch = Self("channel.request_mismatch")
    /// A tick whose link does not hash to the last link held.
    public static let channelBadTick = Self("channel.bad_tick")
    /// A tick on a channel with no hash chain, or past the chain's end.
    public static let channelTicksUnavailable = Self("channel.ticks_unavailable")
    /// A voucher on a channel paid by ticks, or a tick on one paid by vouchers.
    public static let channelSchemeMismatch = Self("channel.scheme_mismatch")
    /// A channel this book does not hold.
    public static let channelUnknown = Self("channel.unknown")
    /// A channel id this book already holds.
    public static let channelExists = Self("channel.exists")
    /// A payment the payer's policy limit does not allow.
    public static let channelOverLimit = Self("channel.over_limit")
    /// A new payment while the previous one on the channel awaits its receipt.
    public static let channelPaymentPending = Self("channel.payment_pending")
    /// A receipt that does not answer the payment in flight (sequence or request).
    public static let channelReceiptMismatch = Self("channel.receipt_mismatch")
    /// A receipt charging more than the payment covered.
    public static let channelReceiptOvercharge = Self("channel.receipt_overcharge")
    /// A receipt whose attribution breaks the receipt rules (weights, order, coverage).
    public static let channelReceiptInvalid = Self("channel.receipt_invalid")
    /// A top-up that does not follow the channel's current deposit or expiry.
    public static let channelBadTopUp = Self("channel.bad_top_up")
    /// The book's storage failed; it refuses everything until reopened.
    public static let channelStorageFailed = Self("channel.storage_failed")
}
