public import RemitCrypto

/// Adds to a live channel's escrow and may extend its expiry; signed by the channel's payer.
/// `newDeposit` must equal the deposit before plus `amount`, so a top-up applies once.
/// Tag `remit/channel-top-up/v1`.
public struct ChannelTopUp: SignableMessage {
    public static let messageType = MessageType(name: "channel-top-up", version: 1)

    /// The ledger.
    public var ledger: LedgerID
    /// The channel topped up.
    public var channel: ChannelID
    /// Amount added to escrow, above zero.
    public var amount: Amount
    /// The channel's total deposit after this top-up.
    public var newDeposit: Amount
    /// The channel's expiry after this top-up (never earlier than before).
    public var newExpiresAt: UInt64

    /// Creates a top-up.
    public init(ledger: LedgerID, channel: ChannelID, amount: Amount, newDeposit: Amount, newExpiresAt: UInt64) {
        self.ledger = ledger
        self.channel = channel
        self.amount = amount
        self.newDeposit = newDeposit
        self.newExpiresAt = newExpiresAt
    }

    public var requiredSigner: PublicKey? { nil }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(channel)
        w.write(amount)
        w.write(newDeposit)
        w.write(newExpiresAt)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        channel = try r.readID("channel")
        amount = try r.readAmount("amount")
        newDeposit = try r.readAmount("newDeposit")
        newExpiresAt = try r.readUInt64("newExpiresAt")
    }

    public func validate() throws(RemitError) {
        try require(amount > .zero, "amount", "must be above zero")
        try require(newDeposit > amount, "newDeposit", "\(newDeposit) must be above the amount added \(amount)")
    }
}
