public import RemitCore

/// One thing that happened to an agent: a quote, a payment, a receipt, a refusal, a channel
/// opened, topped up or closed. Every event goes to the agent's event stream and, as one JSON
/// line, to the runtime's append-only event log.
public struct AgentEvent: Sendable, Hashable, Codable {
    /// What kind of event.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A model quoted the most a query may cost.
        case quote
        /// A voucher or tick was signed and sent.
        case payment
        /// A receipt passed every check.
        case receipt
        /// A payment or receipt was refused (policy, channel rule, bad receipt).
        case refusal
        /// A channel was opened on the ledger.
        case channelOpened = "channel-opened"
        /// A channel was topped up.
        case toppedUp = "topped-up"
        /// A channel was closed and settled.
        case channelClosed = "channel-closed"
        /// The agent wrote a note (progress, a report).
        case note
    }

    /// Ledger time (Unix seconds).
    public var time: UInt64
    /// The agent's name.
    public var agent: String
    /// The kind.
    public var kind: Kind
    /// The model concerned.
    public var model: String?
    /// The channel concerned.
    public var channel: String?
    /// Voucher sequence or tick index.
    public var sequence: UInt64?
    /// Amount in credits (quote, payment rise, receipt price, deposit).
    public var amount: String?
    /// Error code of a refusal.
    public var code: String?
    /// A sentence for people.
    public var message: String?
    /// For receipts: contributor account ids with their weight in basis points.
    public var contributors: [ContributorCredit]?

    /// Creates an event.
    public init(
        time: UInt64, agent: String, kind: Kind, model: String? = nil, channel: String? = nil, sequence: UInt64? = nil,
        amount: Amount? = nil, code: String? = nil, message: String? = nil, contributors: [ContributorCredit]? = nil
    ) {
        self.time = time
        self.agent = agent
        self.kind = kind
        self.model = model
        self.channel = channel
        self.sequence = sequence
        self.amount = amount?.description
        self.code = code
        self.message = message
        self.contributors = contributors
    }
}

/// A contributor credited by a receipt.
public struct ContributorCredit: Sendable, Hashable, Codable {
    /// The contributor's account id.
    public var account: String
    /// Weight in basis points (summed over the receipt's entries for this contributor).
    public var weightBps: Int

    /// Creates a credit.
    public init(account: String, weightBps: Int) {
        self.account = account
        self.weightBps = weightBps
    }

    /// The receipt's attribution summed per contributor, heaviest first.
    public static func of(_ receipt: Receipt) -> [ContributorCredit] {
        var weights: [AccountID: Int] = [:]
        for entry in receipt.attribution { weights[AccountID(entry.contributor), default: 0] += Int(entry.weightBps) }
        return weights.map { ContributorCredit(account: $0.key.description, weightBps: $0.value) }
            .sorted { $0.weightBps != $1.weightBps ? $0.weightBps > $1.weightBps : $0.account < $1.account }
    }
}
