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
