public import RemitCore
public import RemitCrypto

/// The receipts of a run of streamed payments under one signed Merkle root: the payer checks
/// them all at once by recomputing the root (about two hashes per receipt) instead of one
/// inclusion proof each. ``proof(at:)`` gives a single receipt's proof when one must stand alone.
public struct ReceiptRun: Sendable, Hashable {
    /// The payee's signed batch header.
    public var batch: Signed<ReceiptBatch>
    /// The receipts, ascending by sequence.
    public var receipts: [Receipt]

    /// Creates a run.
    public init(batch: Signed<ReceiptBatch>, receipts: [Receipt]) {
        self.batch = batch
        self.receipts = receipts
    }

    /// Checks the header's signature by `payee`, that the receipts are exactly the ones under its
    /// root, their count and total, and every receipt's field rules. Returns the receipts'
    /// canonical bytes, computed once for the check, for storing.
    @discardableResult
    public func verify(payee: PublicKey, ledger: LedgerID) throws(RemitError) -> [[UInt8]] {
        do {
            try batch.verify(ledger: ledger, signer: payee)
        } catch {
            throw RemitError(.channelBadSignature, "receipt batch refused: \(error.message)", cause: error)
        }
        let header = batch.message
        let bytes = receipts.map { $0.canonicalBytes }
        guard UInt64(receipts.count) == header.count, MerkleTree.root(of: BLAKE2b.hash(each: bytes)) == header.merkleRoot else {
            throw RemitError(.channelBadSignature, "the \(receipts.count) receipts do not hash to the batch's signed Merkle root")
        }
        var total: Int64 = 0
        for receipt in receipts {
            guard receipt.channel == header.channel, receipt.ledger == header.ledger else {
                throw RemitError(.channelWrongChannel, "receipt \(receipt.sequence) names channel \(receipt.channel), the batch \(header.channel)")
            }
            do {
                try receipt.validate()
            } catch {
                throw RemitError(.channelReceiptInvalid, "receipt \(receipt.sequence) refused: \(error.message)", cause: error)
            }
            total += receipt.price.units
        }
        guard total == header.total.units else {
            throw RemitError(.channelBadSignature, "the receipts total \(Amount(uncheckedUnits: total)) credits, the batch says \(header.total)")
        }
        return bytes
    }

    /// One receipt with its own inclusion proof.
    public func proof(at index: Int) -> BatchedReceipt {
        let tree = MerkleTree(items: receipts.map(\.digest))
        return BatchedReceipt(receipt: receipts[index], proof: tree.proof(at: index), batch: batch)
    }
}
