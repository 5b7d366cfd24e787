public import RemitCore
import RemitCrypto

/// One thing a ledger can be asked to do, carrying the signed messages that authorise it.
public enum LedgerOperation: Sendable {
    /// Move an amount between user accounts (`Transfer` signed by the sender).
    case transfer(Signed<Transfer>)
    /// Open a channel: the deposit moves from the payer to the channel's escrow.
    case openChannel(Signed<ChannelOpen>)
    /// Add to an open channel's escrow (signed by its payer).
    case topUp(Signed<ChannelTopUp>)
    /// The payee's claim with the voucher it names and the receipts it commits to: settles an
    /// open channel at once, or is held (if newer) during a challenge window.
    case claim(Signed<ChannelClaim>, voucher: Signed<Voucher>?, receipts: [Receipt])
    /// A unilateral close (payer or payee) or, after expiry, a reclaim (payer).
    case close(Signed<ChannelClose>)
    /// After the challenge window: settle on the newest claim held, or refund everything.
    case finalize(ChannelID)
    /// Register a datanet (signed by its curator).
    case createDatanet(Signed<DatanetCreate>)
    /// Register a contribution; its datanet's bond moves from the contributor to the contribution's bond account.
    case registerContribution(Signed<Contribution>)
    /// Return a contribution's bond to its contributor after the holding period.
    case releaseBond(ContributionID)
    /// The curator removes a contribution (spam and duplicates forfeit the bond to the treasury).
    case removeContribution(Signed<ContributionRemoval>)
    /// Register a model listing version (signed by its owner).
    case registerListing(Signed<Listing>)

    /// The checks that need no ledger state: each message's field rules, its ledger, the signer it
    /// names, and every signature. Costly (Ed25519), so batches run it in parallel.
    public func authenticate(ledger: LedgerID) throws(RemitError) {
        switch self {
        case .transfer(let signed): try signed.verify(ledger: ledger)
        case .openChannel(let signed): try signed.verify(ledger: ledger)
        case .topUp(let signed): try signed.verify(ledger: ledger)
        case .claim(let claim, let voucher, let receipts):
            try claim.verify(ledger: ledger)
            if let voucher { try voucher.verify(ledger: ledger) }
            for receipt in receipts {
                try receipt.validate()
                try receipt.checkLedger(ledger)
            }
        case .close(let signed): try signed.verify(ledger: ledger)
        case .finalize, .releaseBond: break
        case .createDatanet(let signed): try signed.verify(ledger: ledger)
        case .registerContribution(let signed): try signed.verify(ledger: ledger)
        case .removeContribution(let signed): try signed.verify(ledger: ledger)
        case .registerListing(let signed): try signed.verify(ledger: ledger)
        }
    }

    /// A short name for messages and logs.
    public var name: String {
        switch self {
        case .transfer: "transfer"
        case .openChannel: "channel open"
        case .topUp: "channel top-up"
        case .claim: "channel claim"
        case .close(let signed): signed.message.mode == .reclaim ? "channel reclaim" : "channel close"
        case .finalize: "channel finalize"
        case .createDatanet: "datanet registration"
        case .registerContribution: "contribution registration"
        case .releaseBond: "bond release"
        case .removeContribution: "contribution removal"
        case .registerListing: "listing registration"
        }
    }
}
