public import RemitCrypto

/// A model's priced listing in the directory, signed by its owner. A newer `listingSequence`
/// replaces an older one; a listing past `validUntil` is stale. Tag `remit/listing/v1`.
public struct Listing: SignableMessage {
    public static let messageType = MessageType(name: "listing", version: 1)

    /// The ledger payments for this model settle on.
    public var ledger: LedgerID
    /// The model; must equal ``ModelID/derive(owner:name:)``.
    public var model: ModelID
    /// The owner, who signs the listing and the receipts and is paid the owner share.
    public var owner: PublicKey
    /// Human-readable name, unique per owner (1...128 bytes).
    public var name: String
    /// What the model is: `infinigram`, `bm25`, `knn-classify`, `knn-regress`, `span-trace`.
    public var kind: String
    /// Digest of the model build this listing offers.
    public var modelVersion: Digest32
    /// Increases with each new listing of the same model.
    public var listingSequence: UInt64
    /// Unix time the listing was signed.
    public var issuedAt: UInt64
    /// Unix time after which the listing is stale.
    public var validUntil: UInt64
    /// Price charged per query.
    public var pricePerQuery: Amount
    /// Price charged per output token, on top of the per-query price.
    public var pricePerOutputToken: Amount
    /// Most output tokens one query may produce (bounds what a voucher must cover).
    public var maxOutputTokens: UInt32
    /// How each payment is split between owner, contributors and treasury.
    public var split: RevenueSplit
    /// The datanet versions the model was built from, sorted by datanet id.
    public var datanets: [DatanetVersion]
    /// How attribution is computed (`infinigram-suffix`, `bm25-score-share`, `knn-shapley`, `span-trace`).
    public var attributionMethod: String
    /// Search tags (at most 32, each 1...64 bytes).
    public var tags: [String]
    /// Where to query: `http(s)://…` or `local:` for in-process models.
    public var endpoint: String

    /// Creates a listing; `model` is derived from the owner and name.
    public init(
        ledger: LedgerID, owner: PublicKey, name: String, kind: String, modelVersion: Digest32, listingSequence: UInt64,
        issuedAt: UInt64, validUntil: UInt64, pricePerQuery: Amount, pricePerOutputToken: Amount, maxOutputTokens: UInt32,
        split: RevenueSplit, datanets: [DatanetVersion], attributionMethod: String, tags: [String], endpoint: String
    ) {
        self.ledger = ledger
        model = ModelID.derive(owner: owner, name: name)
        self.owner = owner
        self.name = name
        self.kind = kind
        self.modelVersion = modelVersion
        self.listingSequence = listingSequence
        self.issuedAt = issuedAt
        self.validUntil = validUntil
        self.pricePerQuery = pricePerQuery
        self.pricePerOutputToken = pricePerOutputToken
        self.maxOutputTokens = maxOutputTokens
        self.split = split
        self.datanets = datanets
        self.attributionMethod = attributionMethod
        self.tags = tags
        self.endpoint = endpoint
    }

    public var requiredSigner: PublicKey? { owner }

    /// The most a single query can cost: the per-query price plus `maxOutputTokens` tokens.
    public func maximumPrice() throws(RemitError) -> Amount {
        try pricePerQuery.adding(pricePerOutputToken.multiplied(by: Int64(maxOutputTokens)))
    }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(model)
        w.write(owner)
        w.write(name)
        w.write(kind)
        w.write(modelVersion)
        w.write(listingSequence)
        w.write(issuedAt)
        w.write(validUntil)
        w.write(pricePerQuery)
        w.write(pricePerOutputToken)
        w.write(maxOutputTokens)
        w.write(split.ownerBps)
        w.write(split.contributorsBps)
        w.write(split.treasuryBps)
        w.writeList(datanets) { w, d in
            w.write(d.datanet)
            w.write(d.version)
        }
        w.write(attributionMethod)
        w.writeList(tags) { w, tag in w.write(tag) }
        w.write(endpoint)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        model = try r.readID("model")
        owner = try r.readPublicKey("owner")
        name = try r.readString("name", maxLength: 128)
        kind = try r.readString("kind", maxLength: 64)
        modelVersion = try r.readDigest("modelVersion")
        listingSequence = try r.readUInt64("listingSequence")
        issuedAt = try r.readUInt64("issuedAt")
        validUntil = try r.readUInt64("validUntil")
        pricePerQuery = try r.readAmount("pricePerQuery")
        pricePerOutputToken = try r.readAmount("pricePerOutputToken")
        maxOutputTokens = try r.readUInt32("maxOutputTokens")
        split = RevenueSplit(
            ownerBps: try r.readUInt16("split.ownerBps"),
            contributorsBps: try r.readUInt16("split.contributorsBps"),
            treasuryBps: try r.readUInt16("split.treasuryBps")
        )
        datanets = try r.readList("datanets", maxCount: 256) { r throws(RemitError) in
            DatanetVersion(datanet: try r.readID("datanets.datanet"), version: try r.readDigest("datanets.version"))
        }
        attributionMethod = try r.readString("attributionMethod", maxLength: 64)
        tags = try r.readList("tags", maxCount: 32) { r throws(RemitError) in try r.readString("tags", maxLength: 64) }
        endpoint = try r.readString("endpoint", maxLength: 2048)
    }

    public func validate() throws(RemitError) {
        try require(!name.isEmpty && name.utf8.count <= 128, "name", "must be 1...128 bytes")
        try require(model == ModelID.derive(owner: owner, name: name), "model", "\(model) is not the id derived from owner and name")
        try require(!kind.isEmpty && kind.utf8.count <= 64, "kind", "must be 1...64 bytes")
        try require(validUntil > issuedAt, "validUntil", "\(validUntil) is not after issuedAt \(issuedAt)")
        try split.validate()
        _ = try maximumPrice()
        for index in datanets.indices.dropFirst() {
            try require(datanets[index - 1].datanet < datanets[index].datanet, "datanets[\(index)]", "must be sorted by datanet id with no repeats")
        }
        try require(attributionMethod.utf8.count <= 64, "attributionMethod", "is longer than 64 bytes")
        try require(tags.count <= 32, "tags", "more than 32 tags")
        for (index, tag) in tags.enumerated() {
            try require(!tag.isEmpty && tag.utf8.count <= 64, "tags[\(index)]", "must be 1...64 bytes")
        }
        try require(endpoint.utf8.count <= 2048, "endpoint", "is longer than 2048 bytes")
    }
}

/// How a payment is divided, in basis points that sum to exactly 10000.
public struct RevenueSplit: Hashable, Sendable, Codable {
    /// Share for the model owner.
    public var ownerBps: UInt16
    /// Share for the credited contributors, divided among them by attribution weight.
    public var contributorsBps: UInt16
    /// Share for the protocol treasury.
    public var treasuryBps: UInt16

    /// Creates a split.
    public init(ownerBps: UInt16, contributorsBps: UInt16, treasuryBps: UInt16) {
        self.ownerBps = ownerBps
        self.contributorsBps = contributorsBps
        self.treasuryBps = treasuryBps
    }

    /// Refuses a split whose parts do not sum to exactly 10000.
    public func validate() throws(RemitError) {
        let total = Int(ownerBps) + Int(contributorsBps) + Int(treasuryBps)
        guard total == 10_000 else {
            throw RemitError(
                .messageInvalidField,
                "revenue split owner \(ownerBps) + contributors \(contributorsBps) + treasury \(treasuryBps) = \(total) basis points; it must be exactly 10000"
            )
        }
    }
}

/// A datanet and the version (Merkle root of its contributions) a model was built from.
public struct DatanetVersion: Hashable, Sendable, Codable {
    /// The datanet.
    public var datanet: DatanetID
    /// Its version: the Merkle root over the ids of its live contributions, sorted ascending.
    public var version: Digest32

    /// Creates a reference.
    public init(datanet: DatanetID, version: Digest32) {
        self.datanet = datanet
        self.version = version
    }
}
