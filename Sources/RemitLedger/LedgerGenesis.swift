public import RemitCore
public import RemitCrypto

/// What a ledger is created with: its id, the operator key (which signs checkpoints and whose
/// account is the treasury), the fixed supply minted once, the creation time and the random nonce
/// the id is derived from.
public struct LedgerGenesis: Hashable, Sendable, Codable {
    /// `LedgerID.derive(operator:supply:createdAt:nonce:)` of the other fields.
    public var ledger: LedgerID
    /// The operator key: signs checkpoints; its account is the treasury.
    public var operatorKey: PublicKey
    /// The fixed supply; the sum of all balances after every entry.
    public var supply: Amount
    /// Unix seconds of creation.
    public var createdAt: UInt64
    /// Random nonce that makes the ledger id unique.
    public var nonce: Digest32

    /// Creates the genesis of a new ledger; the id is derived from the other fields.
    public init(operatorKey: PublicKey, supply: Amount, createdAt: UInt64, nonce: Digest32) {
        ledger = LedgerID.derive(operator: operatorKey, supply: supply, createdAt: createdAt, nonce: nonce)
        self.operatorKey = operatorKey
        self.supply = supply
        self.createdAt = createdAt
        self.nonce = nonce
    }

    /// The treasury account: the operator's user account.
    public var treasury: LedgerAccount { .user(operatorKey) }

    /// Writes the genesis fields (the form a store keeps).
    package func write(to w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(operatorKey)
        w.write(supply)
        w.write(createdAt)
        w.write(nonce)
    }

    /// Reads what ``write(to:)`` wrote; refuses fields that do not derive the ledger id they name.
    package init(reading r: inout CanonicalReader) throws(RemitError) {
        let ledger: LedgerID = try r.readID("genesis.ledger")
        self.init(operatorKey: try r.readPublicKey("genesis.operatorKey"), supply: try r.readAmount("genesis.supply"),
                  createdAt: try r.readUInt64("genesis.createdAt"), nonce: try r.readDigest("genesis.nonce"))
        guard ledger == self.ledger else {
            throw RemitError(.ledgerBadEntry, "genesis names ledger \(ledger), but its fields derive \(self.ledger)")
        }
    }
}
