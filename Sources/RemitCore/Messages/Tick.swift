public import RemitCrypto

/// A PayWord tick: reveals the hash-chain link for `index` units paid in total. Not signed: it is
/// authenticated by hashing down to a link the payee already holds, ending at the root that the
/// payer signed in ``ChannelOpen/hashChain``. Tag `remit/tick/v1`.
public struct Tick: ProtocolMessage {
    public static let messageType = MessageType(name: "tick", version: 1)

    /// The ledger that holds the channel.
    public var ledger: LedgerID
    /// The channel paid from.
    public var channel: ChannelID
    /// Units paid in total after this tick (the link's index in the chain, 1 or more).
    public var index: UInt64
    /// `link(index)` of the payer's chain.
    public var link: Digest32

    /// Creates a tick.
    public init(ledger: LedgerID, channel: ChannelID, index: UInt64, link: Digest32) {
        self.ledger = ledger
        self.channel = channel
        self.index = index
        self.link = link
    }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(channel)
        w.write(index)
        w.write(link)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        channel = try r.readID("channel")
        index = try r.readUInt64("index")
        link = try r.readDigest("link")
    }

    public func validate() throws(RemitError) {
        try require(index >= 1, "index", "starts at 1 (index 0 is the committed root)")
    }

    /// Checks the tick against the newest link the payee holds: same ledger and channel, a higher
    /// index no more than `maxSteps` ahead, and `index - previousIndex` hashes of `link` giving
    /// `previousLink`.
    public func verify(
        ledger expectedLedger: LedgerID, channel expectedChannel: ChannelID,
        previousIndex: UInt64, previousLink: Digest32, maxSteps: UInt64
    ) throws(RemitError) {
        try validate()
        try checkLedger(expectedLedger)
        guard channel == expectedChannel else {
            throw RemitError(.messageInvalidField, "tick is for channel \(channel), not \(expectedChannel)")
        }
        guard index > previousIndex else {
            throw RemitError(.messageInvalidField, "tick index \(index) is not above the last accepted index \(previousIndex)")
        }
        let steps = index - previousIndex
        guard steps <= maxSteps else {
            throw RemitError(.messageInvalidField, "tick index \(index) is \(steps) links past \(previousIndex); at most \(maxSteps) may be paid at once")
        }
        guard HashChain.verify(link, steps: Int(steps), reaches: previousLink) else {
            throw RemitError(.messageBadSignature, "tick link for index \(index) does not hash to the link held for index \(previousIndex)")
        }
    }
}
