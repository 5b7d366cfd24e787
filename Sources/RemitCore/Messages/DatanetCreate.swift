public import RemitCrypto

/// Registers a datanet on the ledger with its contribution bond rules; signed by its curator.
/// Tag `remit/datanet-create/v1`.
public struct DatanetCreate: SignableMessage {
    public static let messageType = MessageType(name: "datanet-create", version: 1)

    /// The ledger.
    public var ledger: LedgerID
    /// The datanet; must equal ``DatanetID/derive(curator:name:)``.
    public var datanet: DatanetID
    /// The curator (signer), who may remove contributions.
    public var curator: PublicKey
    /// Name, 1...128 bytes.
    public var name: String
    /// What the datanet collects (at most 1024 bytes).
    public var description: String
    /// Bond escrowed per contribution (zero for none).
    public var bond: Amount
    /// Seconds after a contribution's registration before its bond can be returned.
    public var holdingPeriod: UInt64
    /// Unix time of creation.
    public var createdAt: UInt64

    /// Creates a registration; the id is derived from curator and name.
    public init(ledger: LedgerID, curator: PublicKey, name: String, description: String, bond: Amount, holdingPeriod: UInt64, createdAt: UInt64) {
        self.ledger = ledger
        datanet = DatanetID.derive(curator: curator, name: name)
        self.curator = curator
        self.name = name
        self.description = description
        self.bond = bond
        self.holdingPeriod = holdingPeriod
        self.createdAt = createdAt
    }

    public var requiredSigner: PublicKey? { curator }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(datanet)
        w.write(curator)
        w.write(name)
        w.write(description)
        w.write(bond)
        w.write(holdingPeriod)
        w.write(createdAt)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        datanet = try r.readID("datanet")
        curator = try r.readPublicKey("curator")
        name = try r.readString("name", maxLength: 128)
        description = try r.readString("description", maxLength: 1024)
        bond = try r.readAmount("bond")
        holdingPeriod = try r.readUInt64("holdingPeriod")
        createdAt = try r.readUInt64("createdAt")
    }

    public func validate() throws(RemitError) {
        try require(!name.isEmpty && name.utf8.count <= 128, "name", "must be 1...128 bytes")
        try require(datanet == DatanetID.derive(curator: curator, name: name), "datanet", "\(datanet) is not the id derived from curator and name")
        try require(description.utf8.count <= 1024, "description", "is longer than 1024 bytes")
    }
}
