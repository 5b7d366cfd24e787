public import RemitCrypto

/// A payer's promise that the payee may claim `cumulative` from the channel's escrow in total.
/// One per query; the payee keeps only the newest. Signed by the channel's payer.
/// Tag `remit/voucher/v1`.
public struct Voucher: SignableMessage {
    public static let messageType = MessageType(name: "voucher", version: 1)

    /// The ledger that holds the channel.
    public var ledger: LedgerID
    /// The channel paid from.
    public var channel: ChannelID
    /// Strictly increasing per channel, starting at 1.
    public var sequence: UInt64
    /// Total the payee may claim, across all vouchers of the channel.
    public var cumulative: Amount
    /// BLAKE2b-256 of the request this voucher pays for.
    public var requestDigest: Digest32

    /// Creates a voucher.
    public init(ledger: LedgerID, channel: ChannelID, sequence: UInt64, cumulative: Amount, requestDigest: Digest32) {
        self.ledger = ledger
        self.channel = channel
        self.sequence = sequence
        self.cumulative = cumulative
        self.requestDigest = requestDigest
    }

    public var requiredSigner: PublicKey? { nil }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(channel)
        w.write(sequence)
        w.write(cumulative)
        w.write(requestDigest)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        channel = try r.readID("channel")
        sequence = try r.readUInt64("sequence")
        cumulative = try r.readAmount("cumulative")
        requestDigest = try r.readDigest("requestDigest")
    }

    public func validate() throws(RemitError) {
        try require(sequence >= 1, "sequence", "starts at 1")
    }
}
