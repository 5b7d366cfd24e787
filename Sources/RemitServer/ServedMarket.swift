public import RemitCore
public import RemitCrypto
public import RemitLedger
public import RemitRuntime

/// What a `remit serve` node serves: the ledger, the model owners whose models it hosts, and
/// (optionally) the operator key that admin routes use to fund accounts and sign checkpoints.
public struct ServedMarket: Sendable {
    /// The ledger.
    public let ledger: Ledger
    /// The model owners.
    public let owners: [ModelOwner]
    /// The ledger operator's key, when this node may sign for the treasury (faucet, checkpoints).
    public let operatorKey: SigningKey?

    /// Serves `owners` on `ledger`.
    public init(ledger: Ledger, owners: [ModelOwner], operatorKey: SigningKey? = nil) {
        self.ledger = ledger
        self.owners = owners
        self.operatorKey = operatorKey
    }

    /// Serves a market opened in this process; its operator key is loaded when the file names one.
    public init(_ market: LocalMarket) throws(RemitError) {
        self.init(ledger: market.ledger, owners: market.owners,
                  operatorKey: market.config.operatorKey == nil ? nil : try market.operatorKey())
    }

    /// Every model served, by id, with its owner.
    func catalogue() async -> [ModelID: (owner: ModelOwner, name: String)] {
        var models: [ModelID: (owner: ModelOwner, name: String)] = [:]
        for owner in owners {
            for listing in await owner.listings() { models[listing.message.model] = (owner, listing.message.name) }
        }
        return models
    }
}
