public import RemitCore
public import RemitCrypto

/// What the model layer knows about an answered query; the payee book adds the channel,
/// sequence and request and signs it as a ``Receipt``.
public struct ReceiptDraft: Sendable, Hashable {
    /// BLAKE2b-256 of the response.
    public var responseDigest: Digest32
    /// The model that answered.
    public var model: ModelID
    /// Its build.
    public var modelVersion: Digest32
    /// The listing whose price and split apply.
    public var listingSequence: UInt64
    /// What the query cost (at most its quoted maximum).
    public var price: Amount
    /// Output tokens produced.
    public var outputTokens: UInt32
    /// Share of the answer the attribution covers.
    public var coverageBps: UInt16
    /// Contributions credited (sorted, weights summing to 10000, or empty).
    public var attribution: [AttributionEntry]

    /// Creates a draft.
    public init(
        responseDigest: Digest32, model: ModelID, modelVersion: Digest32, listingSequence: UInt64, price: Amount,
        outputTokens: UInt32, coverageBps: UInt16, attribution: [AttributionEntry]
    ) {
        self.responseDigest = responseDigest
        self.model = model
        self.modelVersion = modelVersion
        self.listingSequence = listingSequence
        self.price = price
        self.outputTokens = outputTokens
        self.coverageBps = coverageBps
        self.attribution = attribution
    }

    /// The receipt for payment `sequence` of `channel` for `requestDigest`.
    public func receipt(ledger: LedgerID, channel: ChannelID, sequence: UInt64, requestDigest: Digest32) -> Receipt {
        Receipt(
            ledger: ledger, channel: channel, sequence: sequence, requestDigest: requestDigest, responseDigest: responseDigest,
            model: model, modelVersion: modelVersion, listingSequence: listingSequence, price: price, outputTokens: outputTokens,
            coverageBps: coverageBps, attribution: attribution
        )
    }
}

/// A receipt delivered inside a batch: the body, its inclusion proof, and (once the batch is
/// signed) the payee's signed batch header.
public struct BatchedReceipt: Sendable, Hashable {
    /// The receipt body.
    public var receipt: Receipt
    /// Its proof against `batch.merkleRoot`.
    public var proof: MerkleProof
    /// The signed batch.
    public var batch: Signed<ReceiptBatch>

    /// Creates a batched receipt.
    public init(receipt: Receipt, proof: MerkleProof, batch: Signed<ReceiptBatch>) {
        self.receipt = receipt
        self.proof = proof
        self.batch = batch
    }

    /// True when the batch is signed by `payee` and the receipt is in it.
    public func verify(payee: PublicKey, ledger: LedgerID) -> Bool {
        guard (try? batch.verify(ledger: ledger, signer: payee)) != nil else { return false }
        guard batch.message.channel == receipt.channel else { return false }
        return proof.verify(item: receipt.digest, root: batch.message.merkleRoot)
    }
}

/// What a payee submits to the ledger to be paid: its signed claim with the voucher, tick and
/// receipt bodies the claim commits to.
public struct ClaimMaterial: Sendable, Hashable {
    /// The signed claim.
    public var claim: Signed<ChannelClaim>
    /// The newest voucher, when the channel is paid by vouchers.
    public var voucher: Signed<Voucher>?
    /// The newest tick, when the channel is paid by ticks.
    public var tick: Tick?
    /// Every receipt, ascending by sequence.
    public var receipts: [Receipt]
}
