public import RemitCore
import RemitCrypto

/// Turns an authenticated operation into the entry that records it, against a ledger state:
/// every rule that needs state (balances, nonces, channel status, listings, contributions) is
/// checked here, the postings are built, and the entry is encoded and chained. Pure and
/// store-independent: the live path and verification's replay both call it.
public struct EntryBuilder: Sendable {
    /// The most hash-chain steps one claim may ask the ledger to check (2^24, a few seconds).
    public static let maxTickSteps: UInt64 = 1 << 24

    /// The ledger's genesis.
    public let genesis: LedgerGenesis

    /// Creates a builder for the ledger of `genesis`.
    public init(genesis: LedgerGenesis) { self.genesis = genesis }

    /// The genesis entry: sequence 1, chained on the zero hash, minting the supply to the treasury.
    public func genesisCommit() -> EntryCommit {
        let entry = LedgerEntry(
            ledger: genesis.ledger, sequence: 1, timestamp: genesis.createdAt, payload: .genesis(genesis), settlement: nil,
            postings: [Posting(account: genesis.treasury, delta: genesis.supply.units)]
        )
        return EntryCommit(entry: entry, previousHash: .zero, updates: [])
    }

    /// Builds the entry for `operation` (already authenticated) at `timestamp` on top of `state`.
    /// Throws a coded refusal and changes nothing when any rule fails.
    public func build(_ operation: LedgerOperation, state: LedgerState, timestamp: UInt64) throws(RemitError) -> EntryCommit {
        var draft = Draft(sequence: state.head.sequence + 1, timestamp: timestamp)
        switch operation {
        case .transfer(let signed): try transfer(signed, state, &draft)
        case .openChannel(let signed): try openChannel(signed, state, &draft)
        case .topUp(let signed): try topUp(signed, state, &draft)
        case .claim(let claim, let voucher, let receipts): try self.claim(claim, voucher, receipts, state, &draft)
        case .close(let signed): try close(signed, state, &draft)
        case .finalize(let channel): try finalize(channel, state, &draft)
        case .createDatanet(let signed): try createDatanet(signed, state, &draft)
        case .registerContribution(let signed): try registerContribution(signed, state, &draft)
        case .releaseBond(let contribution): try releaseBond(contribution, state, &draft)
        case .removeContribution(let signed): try removeContribution(signed, state, &draft)
        case .registerListing(let signed): try registerListing(signed, state, &draft)
        }
        return try seal(draft, state)
    }

    /// What a build accumulates before it is sealed into a commit.
    struct Draft {
        var sequence: UInt64
        var timestamp: UInt64
        var payload: EntryPayload?
        var postings: [Posting] = []
        var updates: [StateUpdate] = []
        var settlement: SettlementSummary?
        var receipts: [[UInt8]] = []
        var earnings: [Earning] = []

        init(sequence: UInt64, timestamp: UInt64) {
            self.sequence = sequence
            self.timestamp = timestamp
        }

        mutating func move(_ amount: Amount, from: LedgerAccount, to: LedgerAccount) {
            postings.append(Posting(account: from, delta: -amount.units))
            postings.append(Posting(account: to, delta: amount.units))
        }
    }

    /// Normalises the postings, checks that they sum to zero and leave no balance negative, and chains the entry.
    private func seal(_ draft: Draft, _ state: LedgerState) throws(RemitError) -> EntryCommit {
        let postings = try Posting.normalised(draft.postings)
        let sum = try Posting.sum(postings)
        guard sum == 0 else {
            throw RemitError(.ledgerSupplyBroken, "the postings of this \(draft.payload!.kind) entry sum to \(sum) units; every entry after genesis must sum to zero")
        }
        for posting in postings where posting.delta < 0 {
            let balance = state.balance(of: posting.account)
            guard balance >= -posting.delta else {
                throw RemitError(
                    .ledgerInsufficientFunds,
                    "balance of \(posting.account) is \(Amount(uncheckedUnits: max(balance, 0))) credits; the \(draft.payload!.kind) needs \(Amount(uncheckedUnits: -posting.delta))"
                )
            }
        }
        let entry = LedgerEntry(ledger: genesis.ledger, sequence: draft.sequence, timestamp: draft.timestamp, payload: draft.payload!,
                                settlement: draft.settlement, postings: postings)
        return EntryCommit(entry: entry, previousHash: state.head.hash, updates: draft.updates, receipts: draft.receipts, earnings: draft.earnings)
    }

    /// Refuses when `account` holds less than `amount`, with a message naming both.
    func requireFunds(_ state: LedgerState, _ account: LedgerAccount, _ amount: Amount, for what: String) throws(RemitError) {
        let balance = state.balance(of: account)
        guard balance >= amount.units else {
            throw RemitError(.ledgerInsufficientFunds, "balance of \(account) is \(Amount(uncheckedUnits: max(balance, 0))) credits; the \(what) needs \(amount)")
        }
    }

    private func transfer(_ signed: Signed<Transfer>, _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        let transfer = signed.message
        let last = state.nonces[transfer.from] ?? 0
        guard transfer.nonce > last else {
            throw RemitError(.ledgerNonceNotAbove, "transfer nonce \(transfer.nonce) from \(AccountID(transfer.from)) is not above its last nonce \(last)")
        }
        try requireFunds(state, .user(transfer.from), transfer.amount, for: "transfer")
        draft.payload = .transfer(signed)
        draft.move(transfer.amount, from: .user(transfer.from), to: .user(transfer.to))
        draft.updates = [.nonce(transfer.from, transfer.nonce)]
    }

    private func createDatanet(_ signed: Signed<DatanetCreate>, _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        let create = signed.message
        guard state.datanets[create.datanet] == nil else {
            throw RemitError(.ledgerDatanetExists, "datanet \(create.datanet) (\"\(create.name)\") is already registered")
        }
        draft.payload = .datanetCreate(signed)
        draft.updates = [.datanet(DatanetRecord(datanet: create.datanet, curator: create.curator, bond: create.bond,
                                                holdingPeriod: create.holdingPeriod, entry: draft.sequence))]
    }

    private func registerListing(_ signed: Signed<Listing>, _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        let listing = signed.message
        let last = state.latestListing[listing.model] ?? 0
        guard listing.listingSequence > last else {
            throw RemitError(.ledgerListingSequenceNotAbove, "listing sequence \(listing.listingSequence) of model \(listing.model) is not above its last registered sequence \(last)")
        }
        draft.payload = .listingRegister(signed)
        let terms = ListingTerms(model: listing.model, listingSequence: listing.listingSequence, owner: listing.owner, split: listing.split, entry: draft.sequence)
        draft.updates = [.listing(terms, signed)]
    }
}
