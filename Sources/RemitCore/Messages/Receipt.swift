public import RemitCrypto

/// The payee's signed statement of one paid query: what was asked and answered, by which model,
/// what it cost, and whose data shaped the answer. Tag `remit/receipt/v1`.
public struct Receipt: SignableMessage {
    public static let messageType = MessageType(name: "receipt", version: 1)

    /// The ledger that holds the channel.
    public var ledger: LedgerID
    /// The channel that paid.
    public var channel: ChannelID
    /// The sequence of the voucher (or the tick index) that paid for this query.
    public var sequence: UInt64
    /// BLAKE2b-256 of the request.
    public var requestDigest: Digest32
    /// BLAKE2b-256 of the response.
    public var responseDigest: Digest32
    /// The model that answered.
    public var model: ModelID
    /// The model build that answered (digest of its build manifest).
    public var modelVersion: Digest32
    /// The listing (its ``Listing/listingSequence``) whose price and revenue split apply.
    public var listingSequence: UInt64
    /// What this query actually cost (for per-token prices, at most what the voucher covered).
    public var price: Amount
    /// Output tokens produced (0 for models that do not count tokens).
    public var outputTokens: UInt32
    /// Share of the answer, in basis points, that the attribution covers (10000 = all of it).
    public var coverageBps: UInt16
    /// Contributions credited, sorted by contribution id, weights in basis points summing to exactly 10000.
    public var attribution: [AttributionEntry]

    /// Creates a receipt.
    public init(
        ledger: LedgerID, channel: ChannelID, sequence: UInt64, requestDigest: Digest32, responseDigest: Digest32,
        model: ModelID, modelVersion: Digest32, listingSequence: UInt64, price: Amount, outputTokens: UInt32, coverageBps: UInt16,
        attribution: [AttributionEntry]
    ) {
        self.ledger = ledger
        self.channel = channel
        self.sequence = sequence
        self.requestDigest = requestDigest
        self.responseDigest = responseDigest
        self.model = model
        self.modelVersion = modelVersion
        self.listingSequence = listingSequence
        self.price = price
        self.outputTokens = outputTokens
        self.coverageBps = coverageBps
        self.attribution = attribution
    }

    public var requiredSigner: PublicKey? { nil }

    /// The exact encoded size: the tag, the fixed fields, and 66 bytes per attribution entry
    /// (a receipt crediting three contributions is 441 bytes, past the default guess).
    public var canonicalSizeHint: Int { 17 + 32 * 6 + 8 * 3 + 4 + 2 + 4 + 66 * attribution.count }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(channel)
        w.write(sequence)
        w.write(requestDigest)
        w.write(responseDigest)
        w.write(model)
        w.write(modelVersion)
        w.write(listingSequence)
        w.write(price)
        w.write(outputTokens)
        w.write(coverageBps)
        w.writeList(attribution) { w, entry in
            w.write(entry.contribution)
            w.write(entry.contributor)
            w.write(entry.weightBps)
        }
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        channel = try r.readID("channel")
        sequence = try r.readUInt64("sequence")
        requestDigest = try r.readDigest("requestDigest")
        responseDigest = try r.readDigest("responseDigest")
        model = try r.readID("model")
        modelVersion = try r.readDigest("modelVersion")
        listingSequence = try r.readUInt64("listingSequence")
        price = try r.readAmount("price")
        outputTokens = try r.readUInt32("outputTokens")
        coverageBps = try r.readUInt16("coverageBps")
        attribution = try r.readList("attribution", maxCount: Receipt.maxAttributionEntries) { r throws(RemitError) in
            AttributionEntry(
                contribution: try r.readID("attribution.contribution"),
                contributor: try r.readPublicKey("attribution.contributor"),
                weightBps: try r.readUInt16("attribution.weightBps")
            )
        }
    }

    /// The most attribution entries a receipt may carry.
    public static let maxAttributionEntries = 10_000

    public func validate() throws(RemitError) {
        try require(sequence >= 1, "sequence", "starts at 1")
        try require(coverageBps <= 10_000, "coverageBps", "\(coverageBps) is above 10000")
        try require(attribution.count <= Receipt.maxAttributionEntries, "attribution", "more than \(Receipt.maxAttributionEntries) entries")
        if attribution.isEmpty {
            try require(coverageBps == 0, "coverageBps", "must be 0 when no contribution is credited, got \(coverageBps)")
            return
        }
        try require(coverageBps > 0, "coverageBps", "must be above 0 when contributions are credited")
        var total = 0
        for (index, entry) in attribution.enumerated() {
            try require((1...10_000).contains(entry.weightBps), "attribution[\(index)].weightBps", "\(entry.weightBps) is outside 1...10000")
            if index > 0 {
                try require(attribution[index - 1].contribution < entry.contribution, "attribution[\(index)].contribution",
                            "entries must be sorted by contribution id with no repeats")
            }
            total += Int(entry.weightBps)
        }
        try require(total == 10_000, "attribution", "weights sum to \(total) basis points; they must sum to exactly 10000")
    }
}

/// One credited contribution in a receipt.
public struct AttributionEntry: Hashable, Sendable, Codable {
    /// The contribution credited.
    public var contribution: ContributionID
    /// Its contributor, who is paid its share.
    public var contributor: PublicKey
    /// Its weight in basis points (1...10000).
    public var weightBps: UInt16

    /// Creates an entry.
    public init(contribution: ContributionID, contributor: PublicKey, weightBps: UInt16) {
        self.contribution = contribution
        self.contributor = contributor
        self.weightBps = weightBps
    }
}
