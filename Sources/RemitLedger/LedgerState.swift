public import RemitCore
public import RemitCrypto

/// The ledger's state as the entry builder sees it: balances, nonces, channels, datanets,
/// contributions, listings and the chain head. A writer keeps one in memory (loaded from the
/// store); verification rebuilds one from genesis by replay.
public struct LedgerState: Sendable {
    /// The ledger's genesis.
    public var genesis: LedgerGenesis
    /// The last entry.
    public var head: ChainHead
    /// Balances in base units; an absent account holds zero.
    public var balances: [LedgerAccount: Int64] = [:]
    /// Last transfer nonce per sender.
    public var nonces: [PublicKey: UInt64] = [:]
    /// Channels by id.
    public var channels: [ChannelID: ChannelState] = [:]
    /// Datanets by id.
    public var datanets: [DatanetID: DatanetRecord] = [:]
    /// Contributions by id.
    public var contributions: [ContributionID: ContributionRecord] = [:]
    /// Every listing version.
    public var listings: [ListingKey: ListingTerms] = [:]
    /// The newest listing sequence per model.
    public var latestListing: [ModelID: UInt64] = [:]

    /// An empty state for `genesis`, before its genesis entry.
    public init(genesis: LedgerGenesis, head: ChainHead = .empty) {
        self.genesis = genesis
        self.head = head
    }

    /// The balance of `account` (zero when it never held anything).
    public func balance(of account: LedgerAccount) -> Int64 { balances[account] ?? 0 }

    /// The sum of all balances (checked).
    public func totalBalance() throws(RemitError) -> Int64 {
        var total: Int64 = 0
        for value in balances.values {
            let (next, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { throw RemitError(.ledgerSupplyBroken, "the balances overflow 64 bits") }
            total = next
        }
        return total
    }

    /// Applies a commit built against this state.
    public mutating func apply(_ commit: EntryCommit) {
        for posting in commit.entry.postings {
            let value = balance(of: posting.account) + posting.delta
            balances[posting.account] = value
        }
        for update in commit.updates {
            apply(update)
        }
        head = commit.head
    }

    /// Applies one state update.
    public mutating func apply(_ update: StateUpdate) {
        switch update {
        case .nonce(let key, let nonce): nonces[key] = nonce
        case .channel(let channel, _): channels[channel.channel] = channel
        case .datanet(let record): datanets[record.datanet] = record
        case .contribution(let record, _): contributions[record.contribution] = record
        case .listing(let terms, _):
            listings[ListingKey(model: terms.model, sequence: terms.listingSequence)] = terms
            latestListing[terms.model] = max(latestListing[terms.model] ?? 0, terms.listingSequence)
        }
    }
}
