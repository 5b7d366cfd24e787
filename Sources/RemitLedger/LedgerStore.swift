public import RemitCore
public import RemitCrypto

/// An entry as a store holds it: its place, time, kind, hash and canonical bytes.
public struct StoredEntry: Hashable, Sendable {
    /// Sequence, from 1.
    public var sequence: UInt64
    /// Unix seconds.
    public var timestamp: UInt64
    /// The kind byte as stored.
    public var kind: UInt8
    /// BLAKE2b-256(previous hash ‖ body).
    public var hash: Digest32
    /// The entry's canonical bytes.
    public var body: [UInt8]

    /// Creates a stored entry.
    public init(sequence: UInt64, timestamp: UInt64, kind: UInt8, hash: Digest32, body: [UInt8]) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.kind = kind
        self.hash = hash
        self.body = body
    }
}

/// One line of an account's history: an entry that changed its balance.
public struct HistoryItem: Hashable, Sendable, Codable {
    /// The entry.
    public var entry: UInt64
    /// When.
    public var timestamp: UInt64
    /// What kind of entry.
    public var kind: EntryKind
    /// The change to the account, in base units (negative for a debit).
    public var delta: Int64

    /// Creates an item.
    public init(entry: UInt64, timestamp: UInt64, kind: EntryKind, delta: Int64) {
        self.entry = entry
        self.timestamp = timestamp
        self.kind = kind
        self.delta = delta
    }
}

/// Where a ledger persists its journal and state. A store only persists and reads: every rule,
/// posting, hash and split is computed by store-independent code (``EntryBuilder``). Its one
/// write, ``append(_:)``, applies entries atomically and re-checks under its transaction what a
/// concurrent writer could have changed: that the journal's head is the one the entries chain on,
/// that no balance goes negative, that a channel or contribution is still in the expected state
/// (so a channel settles once), that ids are new and nonces rise.
///
/// Writers go through ``write(_:_:)``: it brings the writer's copy of the state up to date, lets
/// the writer build its entries against it and appends them. A store that several processes
/// share serialises that whole step under its write lock; the default implementation suits a
/// store with one writer process at a time and retries when another writer moved the head.
///
/// Implementations: ``SQLiteLedgerStore`` (GRDB, WAL, durable commits) and, in the
/// `RemitLedgerPostgres` module, `PostgresLedgerStore` (several nodes, one ledger).
public protocol LedgerStore: Sendable {
    /// The ledger's genesis, or nil when the store holds no ledger yet.
    func genesis() async throws(RemitError) -> LedgerGenesis?
    /// Writes the genesis and its entry; refuses a store that already holds a ledger.
    func initialise(_ genesis: LedgerGenesis, commit: EntryCommit) async throws(RemitError)
    /// Appends entries in one transaction (all or none): the first must chain on the stored head.
    func append(_ commits: [EntryCommit]) async throws(RemitError)
    /// Appends the entries `build` makes, in one transaction, and applies them to `state`, the
    /// writer's copy of the state tables, once they are stored.
    ///
    /// `build` sees `state` brought up to date with what other writers appended since
    /// `state.head`; it must change nothing when it throws, and a refusal it throws is rethrown
    /// with nothing appended (`state` may have been brought up to date). A store shared by several
    /// processes holds its write lock from reading the head until commit, so `build` runs once.
    /// The default implementation builds against `state`, appends with ``append(_:)`` and, when
    /// the store refuses because another writer appended first, reloads `state` and builds again.
    func write<Output: Sendable>(
        _ state: inout LedgerState, _ build: @Sendable (LedgerState) throws(RemitError) -> LedgerWrite<Output>
    ) async throws(RemitError) -> Output
    /// Loads the state tables (what a writer needs to build entries).
    func loadState() async throws(RemitError) -> LedgerState
    /// The last entry (``ChainHead/empty`` before genesis).
    func head() async throws(RemitError) -> ChainHead

    /// The balance of one account (zero when unknown).
    func balance(of account: LedgerAccount) async throws(RemitError) -> Amount
    /// A channel's state.
    func channel(_ id: ChannelID) async throws(RemitError) -> ChannelState?
    /// A sender's last transfer nonce (0 when none).
    func nonce(of key: PublicKey) async throws(RemitError) -> UInt64
    /// A listing version as registered (the newest when `sequence` is nil).
    func listing(model: ModelID, sequence: UInt64?) async throws(RemitError) -> Signed<Listing>?
    /// Entries with sequence ≥ `from`, ascending, at most `limit`.
    func entries(from: UInt64, limit: Int) async throws(RemitError) -> [StoredEntry]
    /// The receipts stored with a settle or dispute entry (canonical bytes, claim order).
    func receipts(entry: UInt64) async throws(RemitError) -> [[UInt8]]
    /// The postings table rows of the entries in `range`, by entry.
    func postings(entries range: ClosedRange<UInt64>) async throws(RemitError) -> [UInt64: [Posting]]
    /// The earnings rows of one entry.
    func earnings(entry: UInt64) async throws(RemitError) -> [Earning]
    /// The entries that changed `account`, newest first, below `before` (all when nil), at most `limit`.
    func history(of account: LedgerAccount, before: UInt64?, limit: Int) async throws(RemitError) -> [HistoryItem]
    /// Every earning of `account`, summed per role, model and datanet.
    func earnings(of account: PublicKey) async throws(RemitError) -> [Earning]
    /// The hashes of the entries in `range`, ascending.
    func entryHashes(_ range: ClosedRange<UInt64>) async throws(RemitError) -> [Digest32]
    /// Stores a signed checkpoint; refuses a sequence that exists.
    func saveCheckpoint(_ checkpoint: Signed<Checkpoint>) async throws(RemitError)
    /// All checkpoints, ascending.
    func checkpoints() async throws(RemitError) -> [Signed<Checkpoint>]
    /// The checkpoint whose range holds `entry`.
    func checkpoint(covering entry: UInt64) async throws(RemitError) -> Signed<Checkpoint>?
}
