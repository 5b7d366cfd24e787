public import RemitCore

/// What an agent may spend and on what: caps, price ceilings, allow and deny lists, the
/// attribution it requires, and how its payment channels are sized. Loaded from YAML
/// (``PolicyDocument``); enforced by ``PolicyEngine`` before anything is signed.
public struct SpendingPolicy: Sendable, Hashable {
    /// The policy's name.
    public var name: String
    /// The most one query may cost (its quoted maximum).
    public var perQuery: Amount?
    /// The most that may be spent in any window of `perPeriod.seconds`.
    public var perPeriod: PeriodCap?
    /// The most that may ever be spent.
    public var total: Amount?
    /// Models whose listed price per query is above this are refused.
    public var maxPricePerQuery: Amount?
    /// Models whose listed price per output token is above this are refused.
    public var maxPricePerOutputToken: Amount?
    /// When non-empty, only these models (ids or names) may be paid.
    public var allowModels: Set<String> = []
    /// These models (ids or names) are never paid.
    public var denyModels: Set<String> = []
    /// When non-empty, only these owners may be paid.
    public var allowOwners: Set<AccountID> = []
    /// These owners are never paid.
    public var denyOwners: Set<AccountID> = []
    /// Receipts whose attribution covers less of the answer than this are refused.
    public var minCoverageBps: UInt16 = 0
    /// How deposits are sized when a channel is opened.
    public var deposit: DepositSizing = .queries(20)
    /// A channel is topped up when less than this is left; nil to open a new one instead.
    public var topUpBelow: Amount?
    /// An open channel unused for this many seconds is closed.
    public var idleCloseSeconds: UInt64 = 3_600
    /// Lifetime of new channels, in seconds.
    public var channelLifetimeSeconds: UInt64 = 86_400

    /// A spending cap over a sliding window.
    public struct PeriodCap: Sendable, Hashable {
        /// The most spent in any window.
        public var amount: Amount
        /// The window's length in seconds.
        public var seconds: UInt64

        /// Creates a cap.
        public init(amount: Amount, seconds: UInt64) {
            self.amount = amount
            self.seconds = seconds
        }
    }

    /// How much to deposit when opening a channel.
    public enum DepositSizing: Sendable, Hashable {
        /// Enough for this many queries at the quoted maximum.
        case queries(Int)
        /// A fixed amount.
        case amount(Amount)

        /// The deposit for a model quoting `maxPrice` per query, within `cap` (the budget left).
        public func deposit(maxPrice: Amount, cap: Amount?) -> Amount {
            var wanted: Amount = switch self {
            case .queries(let n): (try? maxPrice.multiplied(by: Int64(n))) ?? .max
            case .amount(let amount): amount
            }
            if wanted < maxPrice { wanted = maxPrice }
            if let cap, cap < wanted { wanted = cap }
            return wanted
        }
    }

    /// A policy with no limits (for tests and tools).
    public init(name: String) { self.name = name }
}

/// What a model owner charges and how revenue is split: the listing's terms.
public struct RevenuePolicy: Sendable, Hashable {
    /// The policy's name.
    public var name: String
    /// Split of every payment.
    public var split: RevenueSplit
    /// Price per query.
    public var pricePerQuery: Amount
    /// Price per output token.
    public var pricePerOutputToken: Amount
    /// Most output tokens per query.
    public var maxOutputTokens: UInt32
    /// How the price moves.
    public var strategy: PricingStrategy

    /// How a model owner adjusts its price.
    public enum PricingStrategy: Sendable, Hashable {
        /// The price never changes.
        case fixed
        /// Raise the price by `stepBps` when demand in a period is above `targetQueries`, lower it below.
        case demand(targetQueries: Int, stepBps: UInt16, floor: Amount, ceiling: Amount)
    }

    /// Creates a revenue policy.
    public init(name: String, split: RevenueSplit, pricePerQuery: Amount, pricePerOutputToken: Amount, maxOutputTokens: UInt32, strategy: PricingStrategy) {
        self.name = name
        self.split = split
        self.pricePerQuery = pricePerQuery
        self.pricePerOutputToken = pricePerOutputToken
        self.maxOutputTokens = maxOutputTokens
        self.strategy = strategy
    }
}

extension RemitError.Code {
    /// A policy file that is not valid: its message names the file, the field and the rule.
    public static let policyInvalid = Self("policy.invalid")
    /// A payment the policy refuses (caps, ceilings, allow/deny lists, coverage).
    public static let policyRefused = Self("policy.refused")
}
