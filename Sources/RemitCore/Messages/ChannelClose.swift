public import RemitCrypto

/// Starts a unilateral close (a challenge window in which the payee may still claim), or reclaims
/// an expired channel's escrow for the payer. Signed by `initiator`. Tag `remit/channel-close/v1`.
public struct ChannelClose: SignableMessage {
    public static let messageType = MessageType(name: "channel-close", version: 1)

    /// What the close does.
    public enum Mode: UInt8, Hashable, Sendable, Codable {
        /// Start the challenge window (payer or payee); the ledger settles on the newest claim when it ends.
        case unilateral = 1
        /// After expiry, return what the payee has not claimed to the payer (payer only).
        case reclaim = 2

        public init(from decoder: any Decoder) throws {
            let name = try decoder.singleValueContainer().decode(String.self)
            switch name {
            case "unilateral": self = .unilateral
            case "reclaim": self = .reclaim
            default: throw RemitError(.messageBadEncoding, "channel close mode \"\(name)\" is not unilateral or reclaim")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(self == .unilateral ? "unilateral" : "reclaim")
        }
    }

    /// The ledger.
    public var ledger: LedgerID
    /// The channel closed.
    public var channel: ChannelID
    /// Who closes (signer): the channel's payer, or its payee for a unilateral close.
    public var initiator: PublicKey
    /// Unilateral close or reclaim.
    public var mode: Mode
    /// Unix time of the request.
    public var requestedAt: UInt64

    /// Creates a close request.
    public init(ledger: LedgerID, channel: ChannelID, initiator: PublicKey, mode: Mode, requestedAt: UInt64) {
        self.ledger = ledger
        self.channel = channel
        self.initiator = initiator
        self.mode = mode
        self.requestedAt = requestedAt
    }

    public var requiredSigner: PublicKey? { initiator }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(channel)
        w.write(initiator)
        w.write(mode.rawValue)
        w.write(requestedAt)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        channel = try r.readID("channel")
        initiator = try r.readPublicKey("initiator")
        let raw = try r.readUInt8("mode")
        guard let mode = Mode(rawValue: raw) else {
            throw RemitError(.messageBadEncoding, "channel-close field mode: \(raw) is not 1 (unilateral) or 2 (reclaim)")
        }
        self.mode = mode
        requestedAt = try r.readUInt64("requestedAt")
    }

    public func validate() throws(RemitError) {}
}
