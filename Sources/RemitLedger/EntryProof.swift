public import RemitCore
public import RemitCrypto

/// Offline evidence that an entry is in the journal: the entry (canonical bytes, the hash it
/// chains on and its hash), a checkpoint signed by the operator, and the Merkle inclusion proof
/// of the entry's hash under the checkpoint's root (docs/PROTOCOL.md §9.6).
public struct EntryProof: Hashable, Sendable, Codable {
    /// The entry's sequence.
    public var sequence: UInt64
    /// The hash of the entry before it (zero for genesis).
    public var previousHash: Digest32
    /// The entry's canonical bytes.
    public var entry: [UInt8]
    /// BLAKE2b-256(previousHash ‖ entry).
    public var hash: Digest32
    /// The operator's checkpoint whose range holds the entry.
    public var checkpoint: Signed<Checkpoint>
    /// The audit path from the entry's hash to the checkpoint's Merkle root.
    public var inclusion: MerkleProof

    /// Creates a proof.
    public init(sequence: UInt64, previousHash: Digest32, entry: [UInt8], hash: Digest32, checkpoint: Signed<Checkpoint>, inclusion: MerkleProof) {
        self.sequence = sequence
        self.previousHash = previousHash
        self.entry = entry
        self.hash = hash
        self.checkpoint = checkpoint
        self.inclusion = inclusion
    }

    private enum CodingKeys: String, CodingKey { case sequence, previousHash, entry, hash, checkpoint, inclusion }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sequence = try c.decode(UInt64.self, forKey: .sequence)
        previousHash = try c.decode(Digest32.self, forKey: .previousHash)
        entry = try Hex.decode(try c.decode(String.self, forKey: .entry))
        hash = try c.decode(Digest32.self, forKey: .hash)
        checkpoint = try c.decode(Signed<Checkpoint>.self, forKey: .checkpoint)
        inclusion = try c.decode(MerkleProof.self, forKey: .inclusion)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sequence, forKey: .sequence)
        try c.encode(previousHash, forKey: .previousHash)
        try c.encode(Hex.encode(entry), forKey: .entry)
        try c.encode(hash, forKey: .hash)
        try c.encode(checkpoint, forKey: .checkpoint)
        try c.encode(inclusion, forKey: .inclusion)
    }

    /// Checks the proof offline: the checkpoint's signature under its operator key (and that the
    /// key is `operatorKey` when given), the entry's hash, its place in the checkpoint's range, and
    /// the audit path to the Merkle root. Returns the decoded entry.
    @discardableResult
    public func verify(operatorKey: PublicKey? = nil) throws(RemitError) -> LedgerEntry {
        func refuse(_ message: String) -> RemitError { RemitError(.ledgerBadProof, message) }
        let cp = checkpoint.message
        try checkpoint.verify(ledger: cp.ledger)
        if let operatorKey, operatorKey != cp.operatorKey {
            throw RemitError(.ledgerWrongOperator, "the checkpoint is signed by \(AccountID(cp.operatorKey)), not the operator \(AccountID(operatorKey))")
        }
        let decoded = try LedgerEntry(canonicalBytes: entry)
        guard decoded.ledger == cp.ledger else { throw refuse("the entry is for ledger \(decoded.ledger), the checkpoint for \(cp.ledger)") }
        guard decoded.sequence == sequence else { throw refuse("the proof names entry \(sequence) but holds entry \(decoded.sequence)") }
        let computed = LedgerEntry.hash(previous: previousHash, canonicalBytes: entry)
        guard computed == hash else { throw refuse("entry \(sequence) hashes to \(computed), not \(hash): the entry was altered") }
        guard cp.firstEntry <= sequence, sequence <= cp.lastEntry else {
            throw refuse("entry \(sequence) is outside checkpoint \(cp.sequence)'s range \(cp.firstEntry)...\(cp.lastEntry)")
        }
        guard inclusion.leafIndex == sequence - cp.firstEntry, inclusion.treeSize == cp.lastEntry - cp.firstEntry + 1 else {
            throw refuse("the inclusion proof is for leaf \(inclusion.leafIndex) of \(inclusion.treeSize); entry \(sequence) is leaf \(sequence - cp.firstEntry) of \(cp.lastEntry - cp.firstEntry + 1)")
        }
        guard inclusion.verify(item: hash, root: cp.merkleRoot) else {
            throw refuse("entry \(sequence)'s hash does not lead to checkpoint \(cp.sequence)'s Merkle root \(cp.merkleRoot)")
        }
        if sequence == cp.lastEntry, hash != cp.chainHead {
            throw refuse("entry \(sequence) is the checkpoint's last entry but its hash is not the chain head \(cp.chainHead)")
        }
        return decoded
    }
}
