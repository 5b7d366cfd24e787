public import RemitCrypto

/// One payee signature over many receipts of a channel: the Merkle root of their digests. Each
/// receipt travels with its inclusion proof (docs/PROTOCOL.md §1.2). Tag `remit/receipt-batch/v1`.
public struct ReceiptBatch: SignableMessage {
    public static let messageType = MessageType(name: "receipt-batch", version: 1)

    /// The ledger.
    public var ledger: LedgerID
    /// The channel the receipts belong to.
    public var channel: ChannelID
    /// Sequence of the first receipt in the batch.
    public var firstSequence: UInt64
    /// Sequence of the last receipt in the batch.
    public var lastSequence: UInt64
    /// Number of receipts (the Merkle tree's size).
    public var count: UInt64
    /// Merkle root over the receipts' digests in ascending sequence order.
    public var merkleRoot: Digest32
    /// Sum of the receipts' prices.
    public var total: Amount

    /// Creates a batch header.
    public init(ledger: LedgerID, channel: ChannelID, firstSequence: UInt64, lastSequence: UInt64, count: UInt64, merkleRoot: Digest32, total: Amount) {
        self.ledger = ledger
        self.channel = channel
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.count = count
        self.merkleRoot = merkleRoot
        self.total = total
    }

    public var requiredSigner: PublicKey? { nil }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(channel)
        w.write(firstSequence)
        w.write(lastSequence)
        w.write(count)
        w.write(merkleRoot)
        w.write(total)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        channel = try r.readID("channel")
        firstSequence = try r.readUInt64("firstSequence")
        lastSequence = try r.readUInt64("lastSequence")
        count = try r.readUInt64("count")
        merkleRoot = try r.readDigest("merkleRoot")
        total = try r.readAmount("total")
    }

    public func validate() throws(RemitError) {
        try require(count >= 1, "count", "a batch holds at least one receipt")
        try require(firstSequence >= 1, "firstSequence", "starts at 1")
        try require(lastSequence >= firstSequence, "lastSequence", "\(lastSequence) is before firstSequence \(firstSequence)")
        try require(count <= lastSequence - firstSequence + 1, "count", "\(count) receipts cannot fit sequences \(firstSequence)...\(lastSequence)")
    }
}
