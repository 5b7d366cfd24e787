public import RemitCore
public import RemitCrypto

/// An account's earnings from settlements, summed by role, model and datanet.
public struct EarningsReport: Hashable, Sendable, Codable {
    /// One line: a role, a model and (for contributors) a datanet.
    public struct Line: Hashable, Sendable, Codable {
        /// As what the account earned.
        public var role: EarningRole
        /// The model whose receipts paid.
        public var model: ModelID
        /// The datanet credited (contributors only).
        public var datanet: DatanetID?
        /// How much.
        public var amount: Amount
    }

    /// The account.
    public var account: PublicKey
    /// Every line.
    public var lines: [Line]
    /// The total over all lines.
    public var total: Amount
    /// Totals per model.
    public var byModel: [ModelID: Amount]
    /// Totals per datanet (contributor earnings only).
    public var byDatanet: [DatanetID: Amount]

    /// Builds the report from summed earnings rows.
    public init(account: PublicKey, earnings: [Earning]) throws(RemitError) {
        self.account = account
        lines = earnings.map { Line(role: $0.role, model: $0.model, datanet: $0.datanet, amount: $0.amount) }
        total = try Amount.sum(earnings.map(\.amount))
        var byModel: [ModelID: Amount] = [:]
        var byDatanet: [DatanetID: Amount] = [:]
        for earning in earnings {
            byModel[earning.model] = try byModel[earning.model, default: .zero].adding(earning.amount)
            if let datanet = earning.datanet { byDatanet[datanet] = try byDatanet[datanet, default: .zero].adding(earning.amount) }
        }
        self.byModel = byModel
        self.byDatanet = byDatanet
    }
}

extension Ledger {
    /// The balance of an account, as committed in the store.
    public func balance(of account: LedgerAccount) async throws(RemitError) -> Amount {
        try await store.balance(of: account)
    }

    /// The balance of a user account.
    public func balance(of key: PublicKey) async throws(RemitError) -> Amount {
        try await store.balance(of: .user(key))
    }

    /// A channel's state: deposit, expiry, status, payer, payee, hash chain, claim held.
    public func channel(_ id: ChannelID) async throws(RemitError) -> ChannelState? {
        try await store.channel(id)
    }

    /// A listing version as registered (the newest when `sequence` is nil).
    public func listing(model: ModelID, sequence: UInt64? = nil) async throws(RemitError) -> Signed<Listing>? {
        try await store.listing(model: model, sequence: sequence)
    }

    /// The last transfer nonce of `key` (the next transfer needs a higher one).
    public func nonce(of key: PublicKey) async throws(RemitError) -> UInt64 {
        try await store.nonce(of: key)
    }

    /// The entries that changed `account`, newest first: a page of at most `limit` below entry `before`.
    public func history(of account: LedgerAccount, before: UInt64? = nil, limit: Int = 50) async throws(RemitError) -> [HistoryItem] {
        try await store.history(of: account, before: before, limit: max(1, min(limit, 10_000)))
    }

    /// What `key` earned from settlements, by role, model and datanet.
    public func earnings(of key: PublicKey) async throws(RemitError) -> EarningsReport {
        try EarningsReport(account: key, earnings: try await store.earnings(of: key))
    }

    /// The journal's last entry.
    public func head() -> ChainHead { state.head }
}
