import RemitCore
public import RemitCrypto

/// What a ledger answers when an operation is applied: the entry's place, hash and postings.
public struct AppliedEntry: Hashable, Sendable, Codable {
    /// The entry's sequence.
    public var sequence: UInt64
    /// Its hash (the new chain head).
    public var hash: Digest32
    /// What kind of entry.
    public var kind: EntryKind
    /// Its timestamp.
    public var timestamp: UInt64
    /// Its postings.
    public var postings: [Posting]
    /// What a settlement paid (settle and finalize entries).
    public var settlement: SettlementSummary?

    /// The record of `commit`.
    public init(_ commit: EntryCommit) {
        sequence = commit.entry.sequence
        hash = commit.hash
        kind = commit.entry.kind
        timestamp = commit.entry.timestamp
        postings = commit.entry.postings
        settlement = commit.entry.settlement
    }
}
