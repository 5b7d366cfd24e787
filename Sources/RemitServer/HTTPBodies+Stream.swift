import Foundation
import RemitChannels
public import RemitCore
import RemitCrypto
public import RemitInference
public import RemitRuntime

extension HTTPBodies {
    /// `POST /v1/models/{id}/stream`: a run of requests paid by ticks, one tick per request in
    /// the same order, all on one channel. Ticks travel as base64 of their canonical bytes (§4.3),
    /// as in `X-Remit-Payment`.
    public struct StreamQuery: Codable, Sendable {
        /// The requests (§10.5 JSON form), in order.
        public var requests: [ModelRequest]
        /// Base64 of each tick's canonical bytes, one per request.
        public var ticks: [String]

        /// A run of `requests` paid by `ticks`.
        public init(requests: [ModelRequest], ticks: [Tick]) {
            self.requests = requests
            self.ticks = ticks.map { Base64.encode($0.canonicalBytes) }
        }

        /// The ticks, decoded and field-checked (the hash chain is the payee book's to check).
        public func decodedTicks() throws(RemitError) -> [Tick] {
            var decoded: [Tick] = []
            decoded.reserveCapacity(ticks.count)
            for (index, value) in ticks.enumerated() {
                guard case .tick(let tick) = try HTTPWire.decodePayment(value) else {
                    throw RemitError(.paymentMalformed, "ticks[\(index)] holds a voucher; a streamed run is paid by ticks")
                }
                decoded.append(tick)
            }
            return decoded
        }
    }

    /// The answer to a streamed run: one answer per request served, in order, and their receipts
    /// under one signed batch (base64 wire and canonical bytes, never re-encoded JSON).
    public struct StreamResult: Codable, Sendable {
        /// One answer per served request, in order.
        public var answers: [ModelAnswer]
        /// Base64 of the `Signed<ReceiptBatch>` wire bytes.
        public var batch: String
        /// Base64 of each receipt's canonical bytes, ascending by sequence.
        public var receipts: [String]
        /// The refusal that stopped the run early (requests after it were not served), if any.
        public var refusal: String?

        /// The body for `answer`.
        public init(_ answer: StreamAnswer) {
            answers = answer.answers
            batch = Base64.encode(answer.run.batch.wireBytes)
            receipts = answer.run.receipts.map { Base64.encode($0.canonicalBytes) }
            refusal = answer.refusal?.rawValue
        }

        /// The stream answer it carries; the payer's wallet checks the batch and every receipt.
        public func decoded() throws(RemitError) -> StreamAnswer {
            let batch = try Signed<ReceiptBatch>(wireBytes: try HTTPWire.base64(self.batch, what: "the run's batch", code: .httpBadResponse))
            var decoded: [Receipt] = []
            decoded.reserveCapacity(receipts.count)
            for (index, value) in receipts.enumerated() {
                decoded.append(try Receipt(canonicalBytes: try HTTPWire.base64(value, what: "receipts[\(index)]", code: .httpBadResponse)))
            }
            return StreamAnswer(answers: answers, run: ReceiptRun(batch: batch, receipts: decoded), refusal: refusal.map { RemitError.Code($0) })
        }
    }
}
