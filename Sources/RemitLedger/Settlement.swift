public import RemitCore
import RemitCrypto

/// The settlement split (docs/PROTOCOL.md §9.4): how each receipt's price is divided between the
/// model owner, the credited contributors and the treasury, exactly, in integer base units.
public enum Settlement {
    /// The parts of one receipt's price.
    public struct Shares: Hashable, Sendable {
        /// The owner's part: its split share plus the contributors' share no attribution covered.
        public var owner: Int64
        /// The treasury's part.
        public var treasury: Int64
        /// One part per attribution entry, in the receipt's order.
        public var contributors: [Int64]

        /// The sum of every part (equals the price).
        public var total: Int64 { owner + treasury + contributors.reduce(0, +) }
    }

    /// Splits `price` by `split` (largest remainder over owner, contributors, treasury basis
    /// points), scales the contributors' part by `coverageBps` (floor; the uncovered rest goes to
    /// the owner), and divides the covered part by `weights` (largest remainder).
    public static func shares(price: Amount, split: RevenueSplit, coverageBps: UInt16, weights: [UInt16]) -> Shares {
        let (owner, contributors, treasury) = LargestRemainder.split3(price.units, split.ownerBps, split.contributorsBps, split.treasuryBps)
        let covered = weights.isEmpty ? 0 : LargestRemainder.scale(contributors, UInt64(min(coverageBps, 10_000)), 10_000)
        let parts = covered == 0 ? [Int64](repeating: 0, count: weights.count) : LargestRemainder.split(covered, weights: weights.map(UInt64.init))
        return Shares(owner: owner + (contributors - covered), treasury: treasury, contributors: parts)
    }

    private struct Key: Hashable {
        var account: PublicKey
        var role: EarningRole
        var model: ModelID
        var datanet: DatanetID?
    }

    /// Settles `receipts` (already checked against the claim) for a channel paid to `payee`:
    /// every receipt must name a listing owned by `payee` and credit registered contributions to
    /// their registered contributors. Earnings are aggregated per account, role, model and datanet.
    static func settle(
        receipts: [Receipt], receiptsRoot: Digest32, payee: PublicKey, treasury: PublicKey,
        listing: (ListingKey) -> ListingTerms?, contribution: (ContributionID) -> ContributionRecord?
    ) throws(RemitError) -> SettlementResult {
        var sums: [Key: Int64] = [:]
        var charged: Int64 = 0
        var lastKey: ListingKey?
        var lastTerms: ListingTerms?
        // The receipts of a channel mostly name one model: while the model stays the same, the
        // owner's and treasury's parts add up in locals and each credited contribution's parts in
        // a slot found by its id, and they join `sums` when the model changes or at the end. The
        // sums, and which keys exist (only those with a part above zero), are what adding every
        // part to `sums` directly gives.
        var runModel: ModelID?
        var ownerSum: Int64 = 0
        var treasurySum: Int64 = 0
        var slotOf: [ContributionID: Int] = [:]
        var slotContributor: [PublicKey] = []
        var slotDatanet: [DatanetID] = []
        var slotSum: [Int64] = []
        func flush() {
            guard let model = runModel else { return }
            if ownerSum > 0 { sums[Key(account: payee, role: .owner, model: model, datanet: nil), default: 0] += ownerSum }
            if treasurySum > 0 { sums[Key(account: treasury, role: .treasury, model: model, datanet: nil), default: 0] += treasurySum }
            for slot in slotSum.indices where slotSum[slot] > 0 {
                sums[Key(account: slotContributor[slot], role: .contributor, model: model, datanet: slotDatanet[slot]), default: 0] += slotSum[slot]
            }
            ownerSum = 0
            treasurySum = 0
            slotOf.removeAll(keepingCapacity: true)
            slotContributor.removeAll(keepingCapacity: true)
            slotDatanet.removeAll(keepingCapacity: true)
            slotSum.removeAll(keepingCapacity: true)
        }
        for receipt in receipts {
            let key = ListingKey(model: receipt.model, sequence: receipt.listingSequence)
            if key != lastKey {
                guard let terms = listing(key) else {
                    throw RemitError(.ledgerUnknownListing, "receipt \(receipt.sequence) names model \(receipt.model) listing \(receipt.listingSequence), which is not registered on this ledger")
                }
                guard terms.owner == payee else {
                    throw RemitError(.ledgerListingOwnerMismatch, "receipt \(receipt.sequence) names model \(receipt.model) owned by \(AccountID(terms.owner)); the channel pays \(AccountID(payee))")
                }
                lastKey = key
                lastTerms = terms
            }
            if receipt.model != runModel {
                flush()
                runModel = receipt.model
            }
            let terms = lastTerms!
            let shares = Settlement.shares(price: receipt.price, split: terms.split, coverageBps: receipt.coverageBps, weights: receipt.attribution.map { $0.weightBps })
            let (next, overflow) = charged.addingReportingOverflow(receipt.price.units)
            guard !overflow else { throw RemitError(.amountOverflow, "the receipts' prices overflow the largest amount") }
            charged = next
            // Every part is at most the price, and the prices' sum did not overflow: no sum here can.
            ownerSum += shares.owner
            treasurySum += shares.treasury
            for (index, entry) in receipt.attribution.enumerated() {
                let slot: Int
                if let known = slotOf[entry.contribution] {
                    slot = known
                } else {
                    guard let record = contribution(entry.contribution) else {
                        throw RemitError(.ledgerUnknownContribution, "receipt \(receipt.sequence) credits contribution \(entry.contribution), which is not registered on this ledger")
                    }
                    slot = slotSum.count
                    slotOf[entry.contribution] = slot
                    slotContributor.append(record.contributor)
                    slotDatanet.append(record.datanet)
                    slotSum.append(0)
                }
                guard slotContributor[slot] == entry.contributor else {
                    throw RemitError(.ledgerContributorMismatch, "receipt \(receipt.sequence) credits contribution \(entry.contribution) to \(AccountID(entry.contributor)); it was registered by \(AccountID(slotContributor[slot]))")
                }
                slotSum[slot] += shares.contributors[index]
            }
        }
        flush()
        let earnings = sums.map { Earning(account: $0.key.account, role: $0.key.role, model: $0.key.model, datanet: $0.key.datanet, amount: Amount(uncheckedUnits: $0.value)) }
            .sorted(by: Settlement.earningOrder)
        return SettlementResult(receiptsRoot: receiptsRoot, receiptCount: UInt64(receipts.count), charged: Amount(uncheckedUnits: charged), earnings: earnings)
    }

    /// Account, then role, model, datanet (absent first): the order earnings are kept in.
    static func earningOrder(_ a: Earning, _ b: Earning) -> Bool {
        if a.account != b.account { return a.account < b.account }
        if a.role != b.role { return a.role.rawValue < b.role.rawValue }
        if a.model != b.model { return a.model < b.model }
        switch (a.datanet, b.datanet) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case (let x?, let y?): return x < y
        }
    }
}
