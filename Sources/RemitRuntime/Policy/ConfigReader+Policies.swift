package import RemitCore
import Yams

extension ConfigReader {
    package func spending(defaultName: String? = nil) throws(RemitError) -> SpendingPolicy {
        try onlyKnown(["kind", "name", "description", "spend", "prices", "models", "owners", "attribution", "channels"])
        var policy = SpendingPolicy(name: try string("name", required: defaultName == nil) ?? defaultName!)
        if let spend = child("spend") {
            try spend.onlyKnown(["perQuery", "perPeriod", "total"])
            policy.perQuery = try spend.amount("perQuery")
            policy.total = try spend.amount("total")
            if let period = spend.child("perPeriod") {
                try period.onlyKnown(["amount", "seconds"])
                policy.perPeriod = SpendingPolicy.PeriodCap(
                    amount: try period.amount("amount", required: true)!,
                    seconds: UInt64(try period.integer("seconds", in: 1...(365 * 86_400), required: true)!)
                )
            }
        }
        if let prices = child("prices") {
            try prices.onlyKnown(["maxPerQuery", "maxPerOutputToken"])
            policy.maxPricePerQuery = try prices.amount("maxPerQuery")
            policy.maxPricePerOutputToken = try prices.amount("maxPerOutputToken")
        }
        if let models = child("models") {
            try models.onlyKnown(["allow", "deny"])
            policy.allowModels = Set(try models.list("allow"))
            policy.denyModels = Set(try models.list("deny"))
        }
        if let owners = child("owners") {
            try owners.onlyKnown(["allow", "deny"])
            policy.allowOwners = try owners.accounts("allow")
            policy.denyOwners = try owners.accounts("deny")
        }
        if let attribution = child("attribution") {
            try attribution.onlyKnown(["minCoverageBps"])
            policy.minCoverageBps = UInt16(try attribution.integer("minCoverageBps", in: 0...10_000) ?? 0)
        }
        if let channels = child("channels") {
            try channels.onlyKnown(["depositQueries", "depositAmount", "topUpBelow", "idleCloseSeconds", "lifetimeSeconds"])
            let queries = try channels.integer("depositQueries", in: 1...1_000_000)
            let amount = try channels.amount("depositAmount")
            if queries != nil && amount != nil {
                throw channels.error("depositAmount", "give either depositQueries or depositAmount, not both")
            }
            if let queries { policy.deposit = .queries(queries) }
            if let amount {
                guard amount > .zero else { throw channels.error("depositAmount", "must be above zero") }
                policy.deposit = .amount(amount)
            }
            policy.topUpBelow = try channels.amount("topUpBelow")
            if let idle = try channels.integer("idleCloseSeconds", in: 1...(365 * 86_400)) { policy.idleCloseSeconds = UInt64(idle) }
            if let lifetime = try channels.integer("lifetimeSeconds", in: 60...(365 * 86_400)) { policy.channelLifetimeSeconds = UInt64(lifetime) }
        }
        if let perQuery = policy.perQuery, let total = policy.total, perQuery > total {
            throw error("spend.perQuery", "\(perQuery) credits is above spend.total \(total); no query could ever be paid")
        }
        return policy
    }

    package func revenue() throws(RemitError) -> RevenuePolicy {
        try onlyKnown(["kind", "name", "description", "split", "pricing"])
        let name = try string("name", required: true)!
        guard let splitNode = child("split") else { throw error("split", "is required") }
        try splitNode.onlyKnown(["ownerBps", "contributorsBps", "treasuryBps"])
        let split = RevenueSplit(
            ownerBps: UInt16(try splitNode.integer("ownerBps", in: 0...10_000, required: true)!),
            contributorsBps: UInt16(try splitNode.integer("contributorsBps", in: 0...10_000, required: true)!),
            treasuryBps: UInt16(try splitNode.integer("treasuryBps", in: 0...10_000, required: true)!)
        )
        do {
            try split.validate()
        } catch {
            throw splitNode.error("treasuryBps", error.message)
        }
        guard let pricing = child("pricing") else { throw error("pricing", "is required") }
        try pricing.onlyKnown(["perQuery", "perOutputToken", "maxOutputTokens", "strategy", "targetQueries", "stepBps", "floor", "ceiling"])
        let perQuery = try pricing.amount("perQuery", required: true)!
        let perToken = try pricing.amount("perOutputToken") ?? .zero
        let maxTokens = UInt32(try pricing.integer("maxOutputTokens", in: 0...1_000_000) ?? 0)
        let strategy: RevenuePolicy.PricingStrategy
        switch try pricing.string("strategy") ?? "fixed" {
        case "fixed":
            strategy = .fixed
        case "demand":
            let floor = try pricing.amount("floor", required: true)!
            let ceiling = try pricing.amount("ceiling", required: true)!
            guard floor <= perQuery, perQuery <= ceiling else {
                throw pricing.error("perQuery", "\(perQuery) must lie between floor \(floor) and ceiling \(ceiling)")
            }
            strategy = .demand(
                targetQueries: try pricing.integer("targetQueries", in: 1...1_000_000_000, required: true)!,
                stepBps: UInt16(try pricing.integer("stepBps", in: 1...5_000, required: true)!), floor: floor, ceiling: ceiling
            )
        case let other:
            throw pricing.error("strategy", "must be fixed or demand, got \"\(other)\"")
        }
        return RevenuePolicy(name: name, split: split, pricePerQuery: perQuery, pricePerOutputToken: perToken, maxOutputTokens: maxTokens, strategy: strategy)
    }
}
