public import RemitCore
import RemitCrypto

/// Model listings signed by their owners, searchable by tags and price and ranked by price,
/// observed latency and a reputation drawn from receipts. A listing that does not verify, is for
/// another ledger, is stale, or is older than the one held is refused.
public actor Directory {
    /// The ledger listings must name.
    public let ledger: LedgerID
    private var listings: [ModelID: Signed<Listing>] = [:]
    private var stats: [ModelID: ModelStats] = [:]

    /// What the directory has observed about a model.
    public struct ModelStats: Sendable, Hashable {
        /// Exponentially weighted mean latency in milliseconds (nil before the first query).
        public var latencyMilliseconds: Double?
        /// Receipts that passed every check.
        public var goodReceipts: Int = 0
        /// Receipts refused (bad price, bad attribution, bad signature) or queries that failed.
        public var badReceipts: Int = 0

        /// Laplace-smoothed share of good receipts: (good + 1) / (good + bad + 2).
        public var reputation: Double { Double(goodReceipts + 1) / Double(goodReceipts + badReceipts + 2) }
    }

    /// A listing with its rank and what it was ranked on.
    public struct Ranked: Sendable, Hashable {
        /// The signed listing.
        public var listing: Signed<Listing>
        /// The most one query may cost.
        public var maxPrice: Amount
        /// What the directory has observed.
        public var stats: ModelStats
        /// Higher is better.
        public var score: Double
    }

    /// An empty directory for `ledger`.
    public init(ledger: LedgerID) { self.ledger = ledger }

    /// Adds or replaces a listing after checking it: signature by its owner, ledger, not stale at
    /// `now`, and a listing sequence above the one held.
    public func add(_ listing: Signed<Listing>, now: UInt64) throws(RemitError) {
        do {
            try listing.verify(ledger: ledger)
        } catch {
            throw RemitError(.directoryForgedListing, "listing of \(listing.message.name) refused: \(error.message)", cause: error)
        }
        let message = listing.message
        guard message.validUntil > now else {
            throw RemitError(.directoryStaleListing, "listing of \(message.name) expired at \(message.validUntil); it is now \(now)")
        }
        guard message.issuedAt <= now + 300 else {
            throw RemitError(.directoryStaleListing, "listing of \(message.name) is issued at \(message.issuedAt), in the future (now \(now))")
        }
        if let held = listings[message.model] {
            guard message.listingSequence > held.message.listingSequence else {
                throw RemitError(.directoryStaleListing,
                                 "listing \(message.listingSequence) of \(message.name) is not newer than the held listing \(held.message.listingSequence)")
            }
        }
        listings[message.model] = listing
    }

    /// The listing of a model, if held and fresh.
    public func listing(_ model: ModelID, now: UInt64) -> Signed<Listing>? {
        guard let listing = listings[model], listing.message.validUntil > now else { return nil }
        return listing
    }

    /// The listing of a model by name (first match by owner order), if held and fresh.
    public func listing(named name: String, now: UInt64) -> Signed<Listing>? {
        listings.values.filter { $0.message.name == name && $0.message.validUntil > now }.min { $0.message.owner < $1.message.owner }
    }

    /// Every fresh listing.
    public func all(now: UInt64) -> [Signed<Listing>] {
        listings.values.filter { $0.message.validUntil > now }.sorted { $0.message.model < $1.message.model }
    }

    /// Fresh listings having every tag in `tags` (and `kind` when given) whose quoted maximum is
    /// at most `maxPrice`, best first: cheapest, fastest and best reputed rank highest.
    public func search(tags: Set<String> = [], kind: String? = nil, maxPrice: Amount? = nil, now: UInt64) -> [Ranked] {
        var found: [Ranked] = []
        for listing in listings.values {
            let message = listing.message
            guard message.validUntil > now, tags.isSubset(of: Set(message.tags)) else { continue }
            if let kind, message.kind != kind { continue }
            guard let price = try? message.maximumPrice() else { continue }
            if let maxPrice, price > maxPrice { continue }
            let stats = stats[message.model] ?? ModelStats()
            found.append(Ranked(listing: listing, maxPrice: price, stats: stats, score: Directory.score(price: price, stats: stats)))
        }
        return found.sorted { lhs, rhs in
            lhs.score != rhs.score ? lhs.score > rhs.score : lhs.listing.message.model < rhs.listing.message.model
        }
    }

    /// Score: reputation, divided by price (in credits, plus a floor so free models do not
    /// dominate on price alone) and by latency (seconds, plus a floor).
    static func score(price: Amount, stats: ModelStats) -> Double {
        let credits = Double(price.units) / 1e9 + 0.000_001
        let seconds = (stats.latencyMilliseconds ?? 100) / 1_000 + 0.01
        return stats.reputation / (credits * seconds)
    }

    /// Records a finished query: its latency and whether its receipt passed every check.
    public func record(model: ModelID, latencyMilliseconds: Double, goodReceipt: Bool) {
        var entry = stats[model] ?? ModelStats()
        entry.latencyMilliseconds = entry.latencyMilliseconds.map { 0.8 * $0 + 0.2 * latencyMilliseconds } ?? latencyMilliseconds
        if goodReceipt { entry.goodReceipts += 1 } else { entry.badReceipts += 1 }
        stats[model] = entry
    }

    /// What the directory has observed about a model.
    public func statistics(_ model: ModelID) -> ModelStats { stats[model] ?? ModelStats() }
}

extension RemitError.Code {
    /// A listing whose signature, signer or fields do not verify.
    public static let directoryForgedListing = Self("directory.forged_listing")
    /// A listing past its validity, from the future, or older than the one held.
    public static let directoryStaleListing = Self("directory.stale_listing")
    /// No listed model matches a request.
    public static let directoryNoModel = Self("directory.no_model")
}
