public import RemitCore

extension RemitError.Code {
    /// An account holds less than an entry would take from it.
    public static let ledgerInsufficientFunds = Self("ledger.insufficient_funds")
    /// A transfer nonce that is not above the sender's last nonce (a replay or a reordering).
    public static let ledgerNonceNotAbove = Self("ledger.nonce_not_above")
    /// A channel id the ledger does not hold.
    public static let ledgerUnknownChannel = Self("ledger.unknown_channel")
    /// A channel open for a channel id that already exists.
    public static let ledgerChannelExists = Self("ledger.channel_exists")
    /// A time that must lie in the future does not (a channel expiry).
    public static let ledgerExpiryNotInFuture = Self("ledger.expiry_not_in_future")
    /// An operation that needs the channel in another state (top-up of a closing channel, claim on a closed one).
    public static let ledgerChannelState = Self("ledger.channel_state")
    /// A top-up whose new deposit or expiry does not follow from the channel's current ones.
    public static let ledgerTopUpMismatch = Self("ledger.top_up_mismatch")
    /// A claim whose voucher is missing, altered, or not the payer's voucher for this channel.
    public static let ledgerVoucherMismatch = Self("ledger.voucher_mismatch")
    /// A claimed tick that does not hash to the channel's committed root, or a channel without a chain.
    public static let ledgerBadTick = Self("ledger.bad_tick")
    /// Receipts that do not match the claim's root, count or charged sum, or are out of order.
    public static let ledgerReceiptsMismatch = Self("ledger.receipts_mismatch")
    /// A receipt for another channel, or paid by a voucher or tick the claim does not hold.
    public static let ledgerReceiptInvalid = Self("ledger.receipt_invalid")
    /// Receipts that charge more than the voucher and tick authorise.
    public static let ledgerOverAuthorised = Self("ledger.over_authorised")
    /// Receipts that charge more than the channel's deposit.
    public static let ledgerOverDeposit = Self("ledger.over_deposit")
    /// A receipt names a model listing not registered on this ledger.
    public static let ledgerUnknownListing = Self("ledger.unknown_listing")
    /// A receipt names a model whose owner is not the channel's payee.
    public static let ledgerListingOwnerMismatch = Self("ledger.listing_owner_mismatch")
    /// A listing whose sequence is not above the model's last one.
    public static let ledgerListingSequenceNotAbove = Self("ledger.listing_sequence_not_above")
    /// A receipt credits a contribution not registered on this ledger.
    public static let ledgerUnknownContribution = Self("ledger.unknown_contribution")
    /// A receipt credits a contribution to someone other than its registered contributor.
    public static let ledgerContributorMismatch = Self("ledger.contributor_mismatch")
    /// A dispute claim that does not authorise strictly more than the claim already held.
    public static let ledgerClaimNotNewer = Self("ledger.claim_not_newer")
    /// A claim after the challenge window closed.
    public static let ledgerChallengeOver = Self("ledger.challenge_over")
    /// A finalisation before the challenge window closed.
    public static let ledgerChallengeRunning = Self("ledger.challenge_running")
    /// A reclaim before the channel expired.
    public static let ledgerNotExpired = Self("ledger.not_expired")
    /// A datanet registration for a datanet id that already exists.
    public static let ledgerDatanetExists = Self("ledger.datanet_exists")
    /// A datanet id the ledger does not hold.
    public static let ledgerUnknownDatanet = Self("ledger.unknown_datanet")
    /// A contribution registration for a contribution id that already exists.
    public static let ledgerContributionExists = Self("ledger.contribution_exists")
    /// An operation on a contribution in the wrong state (bond already returned, already removed).
    public static let ledgerContributionState = Self("ledger.contribution_state")
    /// A bond release before the datanet's holding period ended.
    public static let ledgerHoldingPeriodRunning = Self("ledger.holding_period_running")
    /// An entry that would change the sum of all balances.
    public static let ledgerSupplyBroken = Self("ledger.supply_broken")
    /// Another writer appended to the journal first; the operation can be retried.
    public static let ledgerConflict = Self("ledger.conflict")
    /// The database failed (I/O, corruption, locking).
    public static let ledgerStore = Self("ledger.store")
    /// The store holds no ledger yet (run `remit ledger init`).
    public static let ledgerNotInitialised = Self("ledger.not_initialised")
    /// The store already holds a ledger.
    public static let ledgerAlreadyInitialised = Self("ledger.already_initialised")
    /// A stored entry that does not decode or does not follow the rules.
    public static let ledgerBadEntry = Self("ledger.bad_entry")
    /// The journal fails replay (hash chain, signatures, postings, balances or supply).
    public static let ledgerVerificationFailed = Self("ledger.verification_failed")
    /// A checkpoint with no new entries to cover.
    public static let ledgerNothingToCheckpoint = Self("ledger.nothing_to_checkpoint")
    /// An entry not yet covered by any checkpoint.
    public static let ledgerNotCheckpointed = Self("ledger.not_checkpointed")
    /// A key that is not the ledger's operator key.
    public static let ledgerWrongOperator = Self("ledger.wrong_operator")
    /// An inclusion proof that does not check out.
    public static let ledgerBadProof = Self("ledger.bad_proof")
    /// An entry sequence the journal does not hold.
    public static let ledgerUnknownEntry = Self("ledger.unknown_entry")
}
