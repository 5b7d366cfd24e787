public import RemitCore
public import RemitCrypto

/// A change to the ledger's state tables that an entry makes besides its postings. A store applies
/// it in the entry's transaction and refuses it when the row is not in the `expected` state.
public enum StateUpdate: Hashable, Sendable {
    /// The sender's last transfer nonce becomes this (the store refuses a nonce not above the stored one).
    case nonce(PublicKey, UInt64)
    /// Inserts (`expected` nil) or updates a channel that must have status `expected`.
    case channel(ChannelState, expected: ChannelStatus?)
    /// Inserts a datanet (the store refuses an existing id).
    case datanet(DatanetRecord)
    /// Inserts (`expectedStateCode` nil) or updates a contribution whose ``ContributionRecord/stateCode`` must match.
    case contribution(ContributionRecord, expectedStateCode: Int?)
    /// Inserts a listing version (the store refuses an existing model and sequence).
    case listing(ListingTerms, Signed<Listing>)
}

/// Everything a store persists for one entry, in one transaction: the entry (canonical bytes and
/// hash, chained on `previousHash`), its postings, its state updates, the receipts of a claim and
/// the earnings of a settlement.
public struct EntryCommit: Sendable {
    /// The entry.
    public var entry: LedgerEntry
    /// Its canonical bytes.
    public var bytes: [UInt8]
    /// The hash of the entry before it; the store refuses the commit unless this is its head.
    public var previousHash: Digest32
    /// BLAKE2b-256(previousHash ‖ bytes).
    public var hash: Digest32
    /// State table changes.
    public var updates: [StateUpdate]
    /// Canonical bytes of the receipts of a settle or dispute entry, in claim order.
    public var receipts: [[UInt8]]
    /// What a settle or finalize entry paid, per account, role, model and datanet.
    public var earnings: [Earning]

    /// Creates a commit, computing the bytes and hash.
    public init(entry: LedgerEntry, previousHash: Digest32, updates: [StateUpdate], receipts: [[UInt8]] = [], earnings: [Earning] = []) {
        self.entry = entry
        bytes = entry.canonicalBytes
        self.previousHash = previousHash
        hash = LedgerEntry.hash(previous: previousHash, canonicalBytes: bytes)
        self.updates = updates
        self.receipts = receipts
        self.earnings = earnings
    }

    /// The head after this entry.
    public var head: ChainHead { ChainHead(sequence: entry.sequence, hash: hash, timestamp: entry.timestamp) }
}
