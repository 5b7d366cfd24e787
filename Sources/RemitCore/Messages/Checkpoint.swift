public import RemitCrypto

/// The ledger operator's signed statement of the journal up to an entry: the chain head and the
/// Merkle root of the entries since the previous checkpoint. Tag `remit/checkpoint/v1`.
public struct Checkpoint: SignableMessage {
    public static let messageType = MessageType(name: "checkpoint", version: 1)

    /// The ledger.
    public var ledger: LedgerID
    /// The operator key that signs checkpoints (fixed at genesis).
    public var operatorKey: PublicKey
    /// Checkpoint number, from 1.
    public var sequence: UInt64
    /// First journal entry covered (sequence number).
    public var firstEntry: UInt64
    /// Last journal entry covered.
    public var lastEntry: UInt64
    /// Hash of the last entry covered: the head of the hash chain.
    public var chainHead: Digest32
    /// Merkle root over the hashes of entries `firstEntry...lastEntry`.
    public var merkleRoot: Digest32
    /// Digest of the previous checkpoint's canonical bytes (zero for the first).
    public var previous: Digest32
    /// Sum of all balances (always the genesis supply).
    public var supply: Amount
    /// Unix time of signing.
    public var timestamp: UInt64

    /// Creates a checkpoint.
    public init(
        ledger: LedgerID, operatorKey: PublicKey, sequence: UInt64, firstEntry: UInt64, lastEntry: UInt64,
        chainHead: Digest32, merkleRoot: Digest32, previous: Digest32, supply: Amount, timestamp: UInt64
    ) {
        self.ledger = ledger
        self.operatorKey = operatorKey
        self.sequence = sequence
        self.firstEntry = firstEntry
        self.lastEntry = lastEntry
        self.chainHead = chainHead
        self.merkleRoot = merkleRoot
        self.previous = previous
        self.supply = supply
        self.timestamp = timestamp
    }

    public var requiredSigner: PublicKey? { operatorKey }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(operatorKey)
        w.write(sequence)
        w.write(firstEntry)
        w.write(lastEntry)
        w.write(chainHead)
        w.write(merkleRoot)
        w.write(previous)
        w.write(supply)
        w.write(timestamp)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        operatorKey = try r.readPublicKey("operatorKey")
        sequence = try r.readUInt64("sequence")
        firstEntry = try r.readUInt64("firstEntry")
        lastEntry = try r.readUInt64("lastEntry")
        chainHead = try r.readDigest("chainHead")
        merkleRoot = try r.readDigest("merkleRoot")
        previous = try r.readDigest("previous")
        supply = try r.readAmount("supply")
        timestamp = try r.readUInt64("timestamp")
    }

    public func validate() throws(RemitError) {
        try require(sequence >= 1, "sequence", "starts at 1")
        try require(lastEntry >= firstEntry, "lastEntry", "\(lastEntry) is before firstEntry \(firstEntry)")
    }
}
