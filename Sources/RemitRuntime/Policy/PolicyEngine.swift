public import RemitCore

/// Enforces a ``SpendingPolicy`` atomically: a query's quoted maximum is reserved against every
/// cap before anything is signed, and replaced by what the receipt charged afterwards. Because the
/// engine is an actor, many concurrent queries can never together pass a cap by a single unit.
public actor PolicyEngine {
    /// The policy enforced.
    public let policy: SpendingPolicy
    private var spentTotal: Int64 = 0
    private var reservedTotal: Int64 = 0
    /// Charges (and reservations, at their quote) with their time, for the per-period cap.
    private var window: [(time: UInt64, units: Int64)] = []
    private var reservations: [UInt64: Reservation] = [:]
    private var nextReservation: UInt64 = 1

    /// What a query holds against the caps until it settles.
    public struct Reservation: Sendable, Hashable {
        /// Its number.
        public let id: UInt64
        /// The quoted maximum reserved.
        public let amount: Amount
        /// When it was reserved.
        public let time: UInt64
    }

    /// An engine for `policy`; `spent` is what was already spent under it (from the receipt store).
    public init(policy: SpendingPolicy, spent: Amount = .zero) {
        self.policy = policy
        spentTotal = spent.units
    }

    /// Spent so far (receipts).
    public var spent: Amount { Amount(uncheckedUnits: spentTotal) }

    /// Reserved by queries in flight.
    public var reserved: Amount { Amount(uncheckedUnits: reservedTotal) }

    /// What is left under the total cap (nil when there is none).
    public var remaining: Amount? {
        policy.total.map { Amount(uncheckedUnits: max(0, $0.units - spentTotal - reservedTotal)) }
    }

    /// Checks a model and its quote against the policy and reserves the quote. Throws
    /// ``RemitError/Code/policyRefused`` naming the rule; nothing is reserved then.
    public func authorize(listing: Listing, maxPrice: Amount, now: UInt64) throws(RemitError) -> Reservation {
        try check(listing: listing)
        if let cap = policy.perQuery, maxPrice > cap {
            throw refused("the query may cost up to \(maxPrice) credits, above the per-query cap \(cap)")
        }
        if let total = policy.total, spentTotal + reservedTotal + maxPrice.units > total.units {
            throw refused("the query may cost \(maxPrice) credits; only \(Amount(uncheckedUnits: max(0, total.units - spentTotal - reservedTotal))) of the total cap \(total) is left")
        }
        if let period = policy.perPeriod {
            let since = now >= period.seconds ? now - period.seconds : 0
            window.removeAll { $0.time < since }
            let used = window.reduce(0) { $0 + $1.units }
            if used + maxPrice.units > period.amount.units {
                throw refused("the query may cost \(maxPrice) credits; \(Amount(uncheckedUnits: used)) of the \(period.amount) allowed per \(period.seconds) s is used")
            }
        }
        let reservation = Reservation(id: nextReservation, amount: maxPrice, time: now)
        nextReservation += 1
        reservations[reservation.id] = reservation
        reservedTotal += maxPrice.units
        window.append((now, maxPrice.units))
        return reservation
    }

    /// Checks the listing alone: price ceilings, allow and deny lists.
    public func check(listing: Listing) throws(RemitError) {
        let names: Set<String> = [listing.name, listing.model.hex]
        let owner = AccountID(listing.owner)
        if !policy.allowModels.isEmpty && policy.allowModels.isDisjoint(with: names) {
            throw refused("model \(listing.name) is not on the allow list")
        }
        if !policy.denyModels.isDisjoint(with: names) { throw refused("model \(listing.name) is on the deny list") }
        if !policy.allowOwners.isEmpty && !policy.allowOwners.contains(owner) { throw refused("owner \(owner) is not on the allow list") }
        if policy.denyOwners.contains(owner) { throw refused("owner \(owner) is on the deny list") }
        if let ceiling = policy.maxPricePerQuery, listing.pricePerQuery > ceiling {
            throw refused("model \(listing.name) charges \(listing.pricePerQuery) credits per query, above the ceiling \(ceiling)")
        }
        if let ceiling = policy.maxPricePerOutputToken, listing.pricePerOutputToken > ceiling {
            throw refused("model \(listing.name) charges \(listing.pricePerOutputToken) credits per output token, above the ceiling \(ceiling)")
        }
    }

    /// Checks a receipt's attribution coverage against the policy's minimum.
    public func check(coverageBps: UInt16, model: String) throws(RemitError) {
        if coverageBps < policy.minCoverageBps {
            throw refused("model \(model) credited \(coverageBps) bps of its answer; the policy requires \(policy.minCoverageBps)")
        }
    }

    /// Replaces a reservation by what the receipt charged.
    public func settle(_ reservation: Reservation, charged: Amount) {
        guard reservations.removeValue(forKey: reservation.id) != nil else { return }
        reservedTotal -= reservation.amount.units
        spentTotal += charged.units
        if let index = window.firstIndex(where: { $0.time == reservation.time && $0.units == reservation.amount.units }) {
            window[index].units = charged.units
        }
    }

    /// Releases a reservation that was never paid (refused before signing, or failed).
    public func release(_ reservation: Reservation) {
        guard reservations.removeValue(forKey: reservation.id) != nil else { return }
        reservedTotal -= reservation.amount.units
        if let index = window.firstIndex(where: { $0.time == reservation.time && $0.units == reservation.amount.units }) {
            window.remove(at: index)
        }
    }

    /// Records spending made outside a reservation (a paid query whose reservation was lost).
    public func recordSpent(_ amount: Amount, now: UInt64) {
        spentTotal += amount.units
        window.append((now, amount.units))
    }

    private func refused(_ rule: String) -> RemitError {
        RemitError(.policyRefused, "policy \(policy.name) refuses: \(rule)")
    }
}
