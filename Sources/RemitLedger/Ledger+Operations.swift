public import RemitCore
import RemitCrypto

extension Ledger {
    /// Moves `transfer.amount` from the sender to the receiver (nonce above the sender's last).
    @discardableResult
    public func transfer(_ transfer: Signed<Transfer>) async throws(RemitError) -> AppliedEntry {
        try await apply(.transfer(transfer))
    }

    /// Opens a channel: the deposit moves from the payer to the channel's escrow.
    @discardableResult
    public func openChannel(_ open: Signed<ChannelOpen>) async throws(RemitError) -> AppliedEntry {
        try await apply(.openChannel(open))
    }

    /// Tops up an open channel (signed by its payer; `newDeposit` = deposit + amount).
    @discardableResult
    public func topUp(_ topUp: Signed<ChannelTopUp>) async throws(RemitError) -> AppliedEntry {
        try await apply(.topUp(topUp))
    }

    /// The payee's claim: settles an open channel at once (cooperative close), or, during a
    /// challenge window, is held when it authorises more than the claim held before.
    @discardableResult
    public func claim(_ claim: Signed<ChannelClaim>, voucher: Signed<Voucher>?, receipts: [Receipt]) async throws(RemitError) -> AppliedEntry {
        try await apply(.claim(claim, voucher: voucher, receipts: receipts))
    }

    /// A unilateral close (starts the challenge window) or, after expiry, a reclaim by the payer.
    @discardableResult
    public func close(_ close: Signed<ChannelClose>) async throws(RemitError) -> AppliedEntry {
        try await apply(.close(close))
    }

    /// After the challenge window: settles on the newest claim held, or refunds the payer.
    @discardableResult
    public func finalize(_ channel: ChannelID) async throws(RemitError) -> AppliedEntry {
        try await apply(.finalize(channel))
    }

    /// Registers a datanet.
    @discardableResult
    public func createDatanet(_ create: Signed<DatanetCreate>) async throws(RemitError) -> AppliedEntry {
        try await apply(.createDatanet(create))
    }

    /// Registers a contribution and escrows its datanet's bond.
    @discardableResult
    public func registerContribution(_ contribution: Signed<Contribution>) async throws(RemitError) -> AppliedEntry {
        try await apply(.registerContribution(contribution))
    }

    /// Returns a contribution's bond after the holding period.
    @discardableResult
    public func releaseBond(_ contribution: ContributionID) async throws(RemitError) -> AppliedEntry {
        try await apply(.releaseBond(contribution))
    }

    /// Returns, in one transaction, every bond whose holding period is over (of one datanet when
    /// `datanet` is given, at most `limit` of them, oldest registration first). The due bonds are
    /// chosen against the ledger as it is when the write runs, so bonds another node released
    /// first are not released twice. Returns the release entries (empty when none is due).
    public func releaseDueBonds(datanet: DatanetID? = nil, limit: Int = .max) async throws(RemitError) -> [AppliedEntry] {
        let builder = self.builder
        let clock = self.clock
        return try await write { (state) throws(RemitError) -> LedgerWrite<[AppliedEntry]> in
            let timestamp = Ledger.timestamp(clock, after: state.head)
            let due = state.contributions.values.filter { record in
                guard record.status == .active, record.bondHeld, datanet == nil || record.datanet == datanet else { return false }
                let (releaseAt, overflow) = record.registeredAt.addingReportingOverflow(state.datanets[record.datanet]?.holdingPeriod ?? 0)
                return !overflow && timestamp >= releaseAt
            }
            .sorted { ($0.entry, $0.contribution.digest.hex) < ($1.entry, $1.contribution.digest.hex) }
            .prefix(max(0, limit))
            var working = state
            var commits: [EntryCommit] = []
            for record in due {
                let commit = try builder.build(.releaseBond(record.contribution), state: working, timestamp: timestamp)
                working.apply(commit)
                commits.append(commit)
            }
            return LedgerWrite(commits: commits, output: commits.map(AppliedEntry.init), after: working)
        }
    }

    /// The curator removes a contribution (spam and duplicates forfeit the bond to the treasury).
    @discardableResult
    public func removeContribution(_ removal: Signed<ContributionRemoval>) async throws(RemitError) -> AppliedEntry {
        try await apply(.removeContribution(removal))
    }

    /// Registers a model listing version (sequence above the model's last).
    @discardableResult
    public func registerListing(_ listing: Signed<Listing>) async throws(RemitError) -> AppliedEntry {
        try await apply(.registerListing(listing))
    }
}
