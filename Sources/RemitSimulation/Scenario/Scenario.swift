public import RemitCore
public import RemitRuntime

/// A simulated economy: datanets and their contributors (honest, spam, duplicate, adversarial),
/// model owners and their priced models, agent populations with budgets and policies, the
/// price process traders see, and how long it runs. Deterministic under its seed: the same
/// scenario and seed give the same ledger, entry for entry. Loaded from YAML
/// (``ScenarioFile``); every field is documented in Examples/economies/README.md.
public struct Scenario: Sendable {
    /// Name (for outputs).
    public var name: String
    /// What it asks.
    public var description: String = ""
    /// The seed of everything random: keys, texts, query choices, prices.
    public var seed: UInt64
    /// Virtual seconds the economy runs.
    public var duration: UInt64
    /// Virtual seconds per step (metrics are collected per step).
    public var step: UInt64
    /// The ledger's supply.
    public var supply: Amount
    /// How agents pay: signed vouchers per query, or PayWord ticks in streamed runs.
    public var payments: Payments = .voucher
    /// Datanets.
    public var datanets: [DatanetSpec]
    /// Model owners.
    public var owners: [OwnerSpec]
    /// Agent populations.
    public var agents: [AgentSpec]
    /// The price process traders see.
    public var marketSeed: UInt64

    /// How agents pay.
    public enum Payments: String, Sendable, Hashable {
        /// One signed voucher per query.
        case voucher
        /// Ticks (one hash each), each agent's queries of a step in one streamed run under one signed receipt batch.
        case tick
    }

    /// Number of steps.
    public var steps: Int { Int((duration + step - 1) / step) }
}

/// A datanet and its contributors.
public struct DatanetSpec: Sendable, Hashable {
    /// What it holds.
    public enum Kind: String, Sendable, Hashable {
        /// Synthetic text documents (seeded; topics of pseudo-words).
        case text
        /// Rows of a seeded synthetic price series (features: the last five returns; label: next direction).
        case prices
    }

    /// Name (unique in the scenario).
    public var name: String
    /// Text or price rows.
    public var kind: Kind
    /// Honest contributors.
    public var contributors: Int
    /// Honest documents (text) or rows (prices), spread over the honest contributors (Zipf).
    public var documents: Int
    /// Spam: junk text, or random rows.
    public var spam: Population = Population()
    /// Exact copies of honest documents (the datanet refuses them).
    public var duplicate: Population = Population()
    /// Keyword stuffing aimed at popular queries (text only).
    public var adversarial: Population = Population()
    /// Share of spam and adversarial contributions the curator removes (bond slashed) before models are built.
    public var curation: Double = 0
    /// Bond per contribution.
    public var bond: Amount = .zero

    /// A group of dishonest contributors.
    public struct Population: Sendable, Hashable {
        /// Contributors.
        public var contributors = 0
        /// Documents or rows in all.
        public var documents = 0
    }
}

/// A model owner.
public struct OwnerSpec: Sendable, Hashable {
    /// Name.
    public var name: String
    /// Its models.
    public var models: [ModelSpec]
}

/// A priced model.
public struct ModelSpec: Sendable, Hashable {
    /// Name (unique in the scenario).
    public var name: String
    /// `bm25`, `infinigram`, `knn-classify`, `knn-regress` or `span-trace`.
    public var kind: String
    /// The datanet it is built from.
    public var datanet: String
    /// Its revenue policy (prices, split, pricing strategy).
    public var revenue: RevenuePolicy
    /// Build parameters.
    public var params: [String: String] = [:]
}

/// A population of agents.
public struct AgentSpec: Sendable, Hashable {
    /// What they do.
    public enum Kind: String, Sendable, Hashable {
        /// Ask question-answering and language models about topic words.
        case research
        /// Buy signals from nearest-neighbour models on the market's price series.
        case trading
    }

    /// Name of the population.
    public var name: String
    /// Behaviour.
    public var kind: Kind
    /// Agents in it.
    public var count: Int
    /// Credits each agent is funded with.
    public var funds: Amount
    /// Mean queries per agent per step (Poisson).
    public var queriesPerStep: Double
    /// Their spending policy.
    public var policy: SpendingPolicy
}
