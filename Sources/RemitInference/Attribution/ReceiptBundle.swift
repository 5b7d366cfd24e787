public import RemitCore
public import RemitCrypto

/// What a verifier needs to replay a receipt (docs/PROTOCOL.md §10.7): the signed receipt, the
/// request whose digest it names, and the manifest of the model that answered. JSON form
/// `{"receipt": <Signed<Receipt> JSON>, "request": <ModelRequest JSON>, "manifest": <ModelManifest JSON>, "output": "..."}`;
/// `output` is informative only (the receipt's responseDigest covers it).
public struct ReceiptBundle: Sendable, Codable {
    /// The payee's signed receipt.
    public var receipt: Signed<Receipt>
    /// The request.
    public var request: ModelRequest
    /// The answering model's manifest.
    public var manifest: ModelManifest
    /// The answer text, for people.
    public var output: String?

    /// Creates a bundle.
    public init(receipt: Signed<Receipt>, request: ModelRequest, manifest: ModelManifest, output: String? = nil) {
        self.receipt = receipt
        self.request = request
        self.manifest = manifest
        self.output = output
    }

    /// The JSON form (sorted keys).
    public func jsonBytes() -> [UInt8] { MessageJSON.encode(self) }

    /// Decodes the JSON form.
    public init(json: [UInt8]) throws(RemitError) {
        do {
            self = try MessageJSON.decode(ReceiptBundle.self, from: json)
        } catch {
            throw RemitError(.replayBadBundle, "receipt bundle does not decode: \(error.message)", cause: error)
        }
    }
}

extension ModelAnswer {
    /// The receipt the payee signs for this answer: digests, model, counts, coverage and
    /// attribution from the answer, the payment fields from the caller.
    public func receipt(
        request: ModelRequest, manifest: ModelManifest, owner: PublicKey, ledger: LedgerID, channel: ChannelID, sequence: UInt64,
        listingSequence: UInt64, price: Amount
    ) -> Receipt {
        Receipt(ledger: ledger, channel: channel, sequence: sequence, requestDigest: request.digest, responseDigest: responseDigest,
                model: manifest.modelID(owner: owner), modelVersion: manifest.modelVersion, listingSequence: listingSequence,
                price: price, outputTokens: outputTokens, coverageBps: coverageBps, attribution: attribution)
    }
}
