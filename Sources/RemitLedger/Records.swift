public import RemitCore
public import RemitCrypto

/// A registered datanet: who curates it and its bond rules.
public struct DatanetRecord: Hashable, Sendable, Codable {
    /// The datanet id.
    public var datanet: DatanetID
    /// The curator, who may remove contributions.
    public var curator: PublicKey
    /// Bond each contribution escrows.
    public var bond: Amount
    /// Seconds before a contribution's bond can be returned.
    public var holdingPeriod: UInt64
    /// The entry that registered it.
    public var entry: UInt64

    /// Creates a record.
    public init(datanet: DatanetID, curator: PublicKey, bond: Amount, holdingPeriod: UInt64, entry: UInt64) {
        self.datanet = datanet
        self.curator = curator
        self.bond = bond
        self.holdingPeriod = holdingPeriod
        self.entry = entry
    }

    /// The canonical encoding a store persists.
    public var recordBytes: [UInt8] {
        var w = CanonicalWriter(capacity: 96)
        w.write(datanet)
        w.write(curator)
        w.write(bond)
        w.write(holdingPeriod)
        w.write(entry)
        return w.bytes
    }

    /// Decodes ``recordBytes``.
    public init(recordBytes bytes: [UInt8]) throws(RemitError) {
        var r = CanonicalReader(bytes)
        datanet = try r.readID("datanet")
        curator = try r.readPublicKey("curator")
        bond = try r.readAmount("bond")
        holdingPeriod = try r.readUInt64("holdingPeriod")
        entry = try r.readUInt64("entry")
        try r.expectEnd("datanet record")
    }
}

/// A registered contribution and its bond.
public struct ContributionRecord: Hashable, Sendable, Codable {
    /// Active or removed.
    public enum Status: UInt8, Hashable, Sendable, Codable {
        /// Credited in receipts; bond held until released.
        case active = 1
        /// Removed by the curator.
        case removed = 2
    }

    /// The contribution id.
    public var contribution: ContributionID
    /// Its datanet.
    public var datanet: DatanetID
    /// Its contributor, paid when receipts credit it.
    public var contributor: PublicKey
    /// The bond escrowed at registration.
    public var bond: Amount
    /// Unix seconds of registration (the holding period counts from here).
    public var registeredAt: UInt64
    /// Active or removed.
    public var status: Status
    /// True while the bond sits in the contribution's bond account.
    public var bondHeld: Bool
    /// The entry that registered it.
    public var entry: UInt64

    /// Creates a record.
    public init(contribution: ContributionID, datanet: DatanetID, contributor: PublicKey, bond: Amount, registeredAt: UInt64,
                status: Status, bondHeld: Bool, entry: UInt64) {
        self.contribution = contribution
        self.datanet = datanet
        self.contributor = contributor
        self.bond = bond
        self.registeredAt = registeredAt
        self.status = status
        self.bondHeld = bondHeld
        self.entry = entry
    }

    /// A small number naming status and bond together, which a store compares to refuse a stale update.
    public var stateCode: Int { Int(status.rawValue) * 2 + (bondHeld ? 1 : 0) }

    /// The canonical encoding a store persists.
    public var recordBytes: [UInt8] {
        var w = CanonicalWriter(capacity: 160)
        w.write(contribution)
        w.write(datanet)
        w.write(contributor)
        w.write(bond)
        w.write(registeredAt)
        w.write(status.rawValue)
        w.write(bondHeld)
        w.write(entry)
        return w.bytes
    }

    /// Decodes ``recordBytes``.
    public init(recordBytes bytes: [UInt8]) throws(RemitError) {
        var r = CanonicalReader(bytes)
        contribution = try r.readID("contribution")
        datanet = try r.readID("datanet")
        contributor = try r.readPublicKey("contributor")
        bond = try r.readAmount("bond")
        registeredAt = try r.readUInt64("registeredAt")
        let raw = try r.readUInt8("status")
        guard let status = Status(rawValue: raw) else { throw RemitError(.ledgerStore, "contribution record holds unknown status \(raw)") }
        self.status = status
        bondHeld = try r.readBool("bondHeld")
        entry = try r.readUInt64("entry")
        try r.expectEnd("contribution record")
    }
}

/// What settlement needs from one listing version: its owner and revenue split.
public struct ListingTerms: Hashable, Sendable, Codable {
    /// The model.
    public var model: ModelID
    /// The listing version.
    public var listingSequence: UInt64
    /// The owner (must be the payee of channels whose receipts name it).
    public var owner: PublicKey
    /// Owner / contributors / treasury shares in basis points.
    public var split: RevenueSplit
    /// The entry that registered it.
    public var entry: UInt64

    /// Creates terms.
    public init(model: ModelID, listingSequence: UInt64, owner: PublicKey, split: RevenueSplit, entry: UInt64) {
        self.model = model
        self.listingSequence = listingSequence
        self.owner = owner
        self.split = split
        self.entry = entry
    }
}

/// Identifies one listing version.
public struct ListingKey: Hashable, Sendable {
    /// The model.
    public var model: ModelID
    /// The listing version.
    public var sequence: UInt64

    /// Creates a key.
    public init(model: ModelID, sequence: UInt64) {
        self.model = model
        self.sequence = sequence
    }
}

/// The last entry of the journal: where the next one chains on.
public struct ChainHead: Hashable, Sendable, Codable {
    /// Its sequence (0 before genesis).
    public var sequence: UInt64
    /// Its hash (zero before genesis).
    public var hash: Digest32
    /// Its timestamp.
    public var timestamp: UInt64

    /// Creates a head.
    public init(sequence: UInt64, hash: Digest32, timestamp: UInt64) {
        self.sequence = sequence
        self.hash = hash
        self.timestamp = timestamp
    }

    /// The head of an empty journal.
    public static let empty = ChainHead(sequence: 0, hash: .zero, timestamp: 0)
}
