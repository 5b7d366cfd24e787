import RemitCore
import RemitRuntime
import Yams

/// Turns a scenario's YAML tree into a ``Scenario``, field by field.
enum ScenarioReader {
    static func read(_ r: ConfigReader) throws(RemitError) -> Scenario {
        try r.onlyKnown(["name", "description", "seed", "duration", "step", "supply", "payments", "datanets", "owners", "agents", "market", "sweep"])
        let name = try r.string("name", required: true)!
        let seed = UInt64(try r.integer("seed", in: 0...Int.max, required: true)!)
        let duration = UInt64(try r.integer("duration", in: 1...(10 * 365 * 86_400), required: true)!)
        let step = UInt64(try r.integer("step", in: 1...(365 * 86_400)) ?? 60)
        guard duration / step <= 100_000 else { throw r.error("step", "\(duration / step) steps; at most 100000") }
        let supply = try r.amount("supply") ?? Amount(uncheckedUnits: 1_000_000_000 * Amount.unitsPerCredit)
        var scenario = Scenario(name: name, seed: seed, duration: duration, step: step, supply: supply,
                                datanets: [], owners: [], agents: [], marketSeed: seed &+ 1)
        scenario.description = try r.string("description") ?? ""
        if let payments = try r.string("payments") {
            guard let value = Scenario.Payments(rawValue: payments) else { throw r.error("payments", "must be voucher or tick, got \"\(payments)\"") }
            scenario.payments = value
        }
        if let market = r.child("market") {
            try market.onlyKnown(["seed"])
            if let seed = try market.integer("seed", in: 0...Int.max) { scenario.marketSeed = UInt64(seed) }
        }
        for datanet in try r.children("datanets") { scenario.datanets.append(try readDatanet(datanet)) }
        guard !scenario.datanets.isEmpty else { throw r.error("datanets", "a scenario needs at least one datanet") }
        let datanetNames = Set(scenario.datanets.map(\.name))
        guard datanetNames.count == scenario.datanets.count else { throw r.error("datanets", "datanet names must be unique") }
        for owner in try r.children("owners") {
            try owner.onlyKnown(["name", "models"])
            var spec = OwnerSpec(name: try owner.string("name", required: true)!, models: [])
            for model in try owner.children("models") { spec.models.append(try readModel(model, datanets: scenario.datanets)) }
            guard !spec.models.isEmpty else { throw owner.error("models", "an owner lists at least one model") }
            scenario.owners.append(spec)
        }
        let modelNames = scenario.owners.flatMap(\.models).map(\.name)
        guard !modelNames.isEmpty else { throw r.error("owners", "a scenario needs at least one model") }
        guard Set(modelNames).count == modelNames.count else { throw r.error("owners", "model names must be unique across owners") }
        for agent in try r.children("agents") { scenario.agents.append(try readAgents(agent)) }
        guard !scenario.agents.isEmpty else { throw r.error("agents", "a scenario needs at least one agent population") }
        return scenario
    }

    static func readPopulation(_ r: ConfigReader?) throws(RemitError) -> DatanetSpec.Population {
        guard let r else { return DatanetSpec.Population() }
        try r.onlyKnown(["contributors", "documents"])
        return DatanetSpec.Population(contributors: try r.integer("contributors", in: 0...1_000_000) ?? 0,
                                      documents: try r.integer("documents", in: 0...10_000_000) ?? 0)
    }

    static func readDatanet(_ r: ConfigReader) throws(RemitError) -> DatanetSpec {
        try r.onlyKnown(["name", "kind", "contributors", "documents", "rows", "spam", "duplicate", "adversarial", "curation", "bond"])
        let kindText = try r.string("kind") ?? "text"
        guard let kind = DatanetSpec.Kind(rawValue: kindText) else { throw r.error("kind", "must be text or prices, got \"\(kindText)\"") }
        let documents = try r.integer(kind == .prices ? "rows" : "documents", in: 1...10_000_000, required: true)!
        var spec = DatanetSpec(name: try r.string("name", required: true)!, kind: kind,
                               contributors: try r.integer("contributors", in: 1...1_000_000, required: true)!, documents: documents)
        spec.spam = try readPopulation(r.child("spam"))
        spec.duplicate = try readPopulation(r.child("duplicate"))
        spec.adversarial = try readPopulation(r.child("adversarial"))
        if kind == .prices, spec.adversarial.contributors > 0 { throw r.error("adversarial", "keyword stuffing applies to text datanets only") }
        spec.curation = try r.double("curation", in: 0...1) ?? 0
        spec.bond = try r.amount("bond") ?? .zero
        return spec
    }

    static func readModel(_ r: ConfigReader, datanets: [DatanetSpec]) throws(RemitError) -> ModelSpec {
        try r.onlyKnown(["name", "kind", "datanet", "perQuery", "perOutputToken", "maxOutputTokens", "split", "strategy", "params"])
        let kind = try r.string("kind", required: true)!
        guard ["bm25", "infinigram", "knn-classify", "knn-regress", "span-trace"].contains(kind) else {
            throw r.error("kind", "must be bm25, infinigram, knn-classify, knn-regress or span-trace, got \"\(kind)\"")
        }
        let datanetName = try r.string("datanet", required: true)!
        guard let datanet = datanets.first(where: { $0.name == datanetName }) else {
            throw r.error("datanet", "no datanet named \"\(datanetName)\" (have \(datanets.map(\.name).joined(separator: ", ")))")
        }
        let rowModel = kind.hasPrefix("knn")
        guard rowModel == (datanet.kind == .prices) else {
            throw r.error("datanet", "a \(kind) model needs a \(rowModel ? "prices" : "text") datanet; \(datanetName) holds \(datanet.kind.rawValue)")
        }
        var split = RevenueSplit(ownerBps: 5_000, contributorsBps: 4_000, treasuryBps: 1_000)
        if let s = r.child("split") {
            try s.onlyKnown(["ownerBps", "contributorsBps", "treasuryBps"])
            split = RevenueSplit(ownerBps: UInt16(try s.integer("ownerBps", in: 0...10_000, required: true)!),
                                 contributorsBps: UInt16(try s.integer("contributorsBps", in: 0...10_000, required: true)!),
                                 treasuryBps: UInt16(try s.integer("treasuryBps", in: 0...10_000, required: true)!))
            do {
                try split.validate()
            } catch {
                throw s.error("treasuryBps", error.message)
            }
        }
        let perQuery = try r.amount("perQuery", required: true)!
        var strategy = RevenuePolicy.PricingStrategy.fixed
        if let st = r.child("strategy") {
            try st.onlyKnown(["demand"])
            if let demand = st.child("demand") {
                try demand.onlyKnown(["targetQueries", "stepBps", "floor", "ceiling"])
                let floor = try demand.amount("floor", required: true)!
                let ceiling = try demand.amount("ceiling", required: true)!
                guard floor <= perQuery, perQuery <= ceiling else { throw demand.error("floor", "perQuery \(perQuery) must lie between floor and ceiling") }
                strategy = .demand(targetQueries: try demand.integer("targetQueries", in: 1...1_000_000_000, required: true)!,
                                   stepBps: UInt16(try demand.integer("stepBps", in: 1...5_000, required: true)!), floor: floor, ceiling: ceiling)
            }
        }
        var params: [String: String] = [:]
        if let p = r.child("params"), let mapping = p.node.mapping {
            for (key, value) in mapping { if let k = key.string, let v = value.string { params[k] = v } }
        }
        let name = try r.string("name", required: true)!
        return ModelSpec(name: name, kind: kind, datanet: datanetName, revenue: RevenuePolicy(
            name: name, split: split, pricePerQuery: perQuery, pricePerOutputToken: try r.amount("perOutputToken") ?? .zero,
            maxOutputTokens: UInt32(try r.integer("maxOutputTokens", in: 0...4_096) ?? 0), strategy: strategy
        ), params: params)
    }

    static func readAgents(_ r: ConfigReader) throws(RemitError) -> AgentSpec {
        try r.onlyKnown(["name", "kind", "count", "funds", "queriesPerStep", "policy"])
        let kindText = try r.string("kind", required: true)!
        guard let kind = AgentSpec.Kind(rawValue: kindText) else { throw r.error("kind", "must be research or trading, got \"\(kindText)\"") }
        let name = try r.string("name") ?? kindText
        var policy = SpendingPolicy(name: name)
        if let p = r.child("policy") {
            if p.node.scalar != nil {
                let path = try r.string("policy")!
                policy = try PolicyDocument.load(path: path).spending(file: path)
            } else {
                policy = try p.spending(defaultName: name)
            }
        }
        return AgentSpec(name: name, kind: kind, count: try r.integer("count", in: 1...1_000_000, required: true)!,
                         funds: try r.amount("funds", required: true)!, queriesPerStep: try r.double("queriesPerStep", in: 0...10_000) ?? 1,
                         policy: policy)
    }
}
