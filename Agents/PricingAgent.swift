public import RemitCore
public import RemitRuntime

/// A model owner that moves its price with demand: every period it compares the queries served
/// with the policy's target and re-lists the model `stepBps` higher (busy) or lower (quiet),
/// within the policy's floor and ceiling. Receipts name the listing sequence they were priced
/// under, so past payments keep their price.
public struct PricingAgent: Agent {
    public let name: String
    /// The owner whose model is priced.
    public let owner: ModelOwner
    /// The model.
    public let model: ModelID
    /// Queries per period aimed for.
    public var targetQueries: Int
    /// Price move per period, in basis points.
    public var stepBps: UInt16
    /// Lowest price.
    public var floor: Amount
    /// Highest price.
    public var ceiling: Amount
    /// Seconds per pricing period.
    public var period: Double
    /// Periods to run (then it stops).
    public var periods: Int

    /// A pricing agent following a `demand` revenue policy.
    public init(name: String, owner: ModelOwner, model: ModelID, policy: RevenuePolicy, period: Double, periods: Int) throws(RemitError) {
        guard case .demand(let target, let step, let floor, let ceiling) = policy.strategy else {
            throw RemitError(.policyInvalid, "policy \(policy.name) has a fixed price; a pricing agent needs strategy: demand")
        }
        self.name = name
        self.owner = owner
        self.model = model
        targetQueries = target
        stepBps = step
        self.floor = floor
        self.ceiling = ceiling
        self.period = period
        self.periods = periods
    }

    /// The next price: `stepBps` up when `served` is above target, down when below, within the bounds.
    public func nextPrice(current: Amount, served: Int) -> Amount {
        let units = Double(current.units)
        let factor = Double(stepBps) / 10_000
        let moved: Double = served > targetQueries ? units * (1 + factor) : (served < targetQueries ? units * (1 - factor) : units)
        let bounded = min(max(Int64(moved.rounded()), floor.units), ceiling.units)
        return (try? Amount(units: bounded)) ?? current
    }

    public func run(context: AgentContext) async throws {
        var lastServed = await owner.servedCounts()[model] ?? 0
        for _ in 0..<periods {
            try await context.clock.sleep(seconds: period)
            let served = await owner.servedCounts()[model] ?? 0
            let listing = try await owner.listing(model)
            let price = nextPrice(current: listing.message.pricePerQuery, served: served - lastServed)
            if price != listing.message.pricePerQuery {
                let relisted = try await owner.reprice(model, pricePerQuery: price)
                context.note("\(listing.message.name): \(served - lastServed) queries this period, price \(listing.message.pricePerQuery) -> \(price) (listing \(relisted.message.listingSequence))")
            }
            lastServed = served
        }
    }
}
