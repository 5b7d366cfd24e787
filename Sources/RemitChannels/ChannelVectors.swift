public import RemitCore
import RemitCrypto

/// Test vectors for docs/PROTOCOL.md §Payment channels: a receipt batch of three receipts with
/// the inclusion proof of one, and a per-token payment sequence showing prepaid credit.
public enum ChannelVectors {
    /// The three receipts of the batch vector (sequences 1, 2, 3 on the vector channel).
    public static var receipts: [Receipt] {
        (1...3).map { n in
            var receipt = ProtocolVectors.receipt
            receipt.sequence = UInt64(n)
            receipt.requestDigest = BLAKE2b.hash(Array("request \(n)".utf8))
            receipt.price = try! Amount(units: Int64(100_000 * n))
            return receipt
        }
    }

    /// The signed batch over ``receipts``.
    public static var batch: Signed<ReceiptBatch> {
        let items = receipts
        let total = Amount(uncheckedUnits: items.reduce(0) { $0 + $1.price.units })
        return Signed(signing: ReceiptBatch(
            ledger: ProtocolVectors.ledger, channel: ProtocolVectors.channelOpen.channel, firstSequence: 1, lastSequence: 3,
            count: 3, merkleRoot: MerkleTree.root(of: items.map(\.digest)), total: total
        ), with: ProtocolVectors.key(0x03))
    }

    /// The Markdown of the channel vectors section.
    public static func markdown() -> String {
        let items = receipts
        let tree = MerkleTree(items: items.map(\.digest))
        let proof = tree.proof(at: 1)
        var out = "#### Batched receipts\n\n"
        out += "The vector receipt of §8 with sequence n, request digest BLAKE2b-256(`request n`) and price n x 100000 units, for n = 1, 2, 3:\n\n"
        for receipt in items {
            out += "- receipt \(receipt.sequence): digest `\(receipt.digest)`, leaf hash `\(MerkleTree.leafHash(receipt.digest))`\n"
        }
        out += "- Merkle root: `\(tree.root)`\n"
        out += "- inclusion proof of receipt 2 (leaf index 1, tree size 3): path \(proof.path.map { "`\($0)`" }.joined(separator: ", "))\n"
        out += "- signed batch (payee key 0x03…): canonical bytes BLAKE2b-256 `\(batch.message.digest)`, signature `\(batch.signature)`\n"
        out += "\n#### Per-token payments and prepaid credit\n\n"
        out += "A channel with deposit 10 credits. Each row is one query: its quoted maximum, the voucher the payer signs, and what the receipt charges.\n\n"
        out += "| query | quoted max | credit before | voucher cumulative | charged | credit after |\n|---|---|---|---|---|---|\n"
        var credit = Amount.zero
        var cumulative = Amount.zero
        for (n, (quote, charge)) in [("1", "0.4"), ("1", "1"), ("0.5", "0.1"), ("2", "2")].enumerated() {
            let max = try! Amount(credits: quote)
            let actual = try! Amount(credits: charge)
            let rise = Amount(uncheckedUnits: Swift.max(0, max.units - credit.units))
            cumulative = try! cumulative.adding(rise)
            let after = try! credit.adding(rise).subtracting(actual)
            out += "| \(n + 1) | \(max) | \(credit) | \(cumulative) | \(actual) | \(after) |\n"
            credit = after
        }
        return out
    }
}
