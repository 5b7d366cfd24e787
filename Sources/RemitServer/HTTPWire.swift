import Foundation
public import RemitChannels
public import RemitCore
import RemitCrypto
public import RemitRuntime

/// The header forms of docs/PROTOCOL.md §12.4: a payment in `X-Remit-Payment` and a receipt in
/// `X-Remit-Receipt` (plus `-Batch` and `-Proof` for a receipt under a signed batch). Every value
/// is standard base64 of binary wire forms (§5), never JSON, so nothing is re-encoded before a
/// signature is checked.
public enum HTTPWire {
    /// Carries the payment on a paid retry.
    public static let paymentHeader = "X-Remit-Payment"
    /// Carries the receipt of a paid answer.
    public static let receiptHeader = "X-Remit-Receipt"
    /// `signed` (a Signed<Receipt>) or `batched` (a receipt body under a signed batch).
    public static let receiptSchemeHeader = "X-Remit-Receipt-Scheme"
    /// The signed batch of a batched receipt.
    public static let receiptBatchHeader = "X-Remit-Receipt-Batch"
    /// The inclusion proof of a batched receipt.
    public static let receiptProofHeader = "X-Remit-Receipt-Proof"
    /// The operator signature of an admin request (§12.7).
    public static let adminHeader = "X-Remit-Admin"

    /// The header value of a payment: base64 of a Signed<Voucher>'s wire bytes or a tick's canonical bytes.
    public static func encode(payment: PayerBook.PaymentMessage) -> String {
        switch payment {
        case .voucher(let voucher): Base64.encode(voucher.wireBytes)
        case .tick(let tick): Base64.encode(tick.canonicalBytes)
        }
    }

    /// Reads a payment header: the domain tag says voucher or tick. Field rules are checked; the
    /// signature (or hash chain) is checked by the payee book.
    public static func decodePayment(_ value: some StringProtocol) throws(RemitError) -> PayerBook.PaymentMessage {
        let bytes = try base64(value, what: "\(paymentHeader)")
        var reader = CanonicalReader(bytes)
        let tag: String
        do {
            tag = try reader.readTag()
        } catch {
            throw RemitError(.paymentMalformed, "\(paymentHeader) does not start with a message domain tag: \(error.message)")
        }
        do throws(RemitError) {
            switch tag {
            case Voucher.messageType.tag:
                let voucher = try Signed<Voucher>(wireBytes: bytes)
                try voucher.message.validate()
                return .voucher(voucher)
            case Tick.messageType.tag:
                let tick = try Tick(canonicalBytes: bytes)
                try tick.validate()
                return .tick(tick)
            default:
                throw RemitError(.paymentMalformed, "\(paymentHeader) holds a \(tag) message; a payment is a voucher or a tick")
            }
        } catch {
            if error.code == .paymentMalformed { throw error }
            throw RemitError(.paymentMalformed, "\(paymentHeader) does not decode: \(error.message)", cause: error)
        }
    }

    /// The headers carrying a receipt.
    public static func receiptHeaders(_ evidence: ReceiptEvidence) -> [(String, String)] {
        switch evidence {
        case .signed(let signed):
            return [(receiptSchemeHeader, "signed"), (receiptHeader, Base64.encode(signed.wireBytes))]
        case .batched(let batched):
            var proof = CanonicalWriter(capacity: 16 + 32 * batched.proof.path.count)
            proof.write(batched.proof.leafIndex)
            proof.write(batched.proof.treeSize)
            for digest in batched.proof.path { proof.write(digest) }
            return [
                (receiptSchemeHeader, "batched"),
                (receiptHeader, Base64.encode(batched.receipt.canonicalBytes)),
                (receiptBatchHeader, Base64.encode(batched.batch.wireBytes)),
                (receiptProofHeader, Base64.encode(proof.bytes)),
            ]
        }
    }

    /// Reads a receipt from response headers (`header` looks one up by name, case-insensitively).
    public static func decodeReceipt(_ header: (String) -> String?) throws(RemitError) -> ReceiptEvidence {
        guard let value = header(receiptHeader) else {
            throw RemitError(.httpBadResponse, "the paid answer has no \(receiptHeader) header")
        }
        let bytes = try base64(value, what: receiptHeader, code: .httpBadResponse)
        switch header(receiptSchemeHeader) ?? "signed" {
        case "signed":
            return .signed(try Signed<Receipt>(wireBytes: bytes))
        case "batched":
            let receipt = try Receipt(canonicalBytes: bytes)
            guard let batchValue = header(receiptBatchHeader), let proofValue = header(receiptProofHeader) else {
                throw RemitError(.httpBadResponse, "a batched receipt needs the \(receiptBatchHeader) and \(receiptProofHeader) headers")
            }
            let batch = try Signed<ReceiptBatch>(wireBytes: try base64(batchValue, what: receiptBatchHeader, code: .httpBadResponse))
            let proofBytes = try base64(proofValue, what: receiptProofHeader, code: .httpBadResponse)
            guard proofBytes.count >= 16, (proofBytes.count - 16) % 32 == 0 else {
                throw RemitError(.httpBadResponse, "\(receiptProofHeader) is \(proofBytes.count) bytes; it is 16 + 32 × path length")
            }
            var reader = CanonicalReader(proofBytes)
            let leaf = try reader.readUInt64("leafIndex")
            let size = try reader.readUInt64("treeSize")
            var path: [Digest32] = []
            while reader.remaining > 0 { path.append(try reader.readDigest("path")) }
            return .batched(BatchedReceipt(receipt: receipt, proof: MerkleProof(leafIndex: leaf, treeSize: size, path: path), batch: batch))
        case let other:
            throw RemitError(.httpBadResponse, "\(receiptSchemeHeader) \"\(other)\" is neither signed nor batched")
        }
    }

    static func base64(_ value: some StringProtocol, what: String, code: RemitError.Code = .paymentMalformed) throws(RemitError) -> [UInt8] {
        guard let bytes = Base64.decode(value), !bytes.isEmpty else {
            throw RemitError(code, "\(what) is not standard base64 of a message's wire bytes")
        }
        return bytes
    }
}
