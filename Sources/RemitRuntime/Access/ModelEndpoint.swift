public import RemitChannels
public import RemitCore
import RemitCrypto
public import RemitInference

/// A priced model as a payer sees it: its signed listing, and paid queries. The same calls in
/// this process (``LocalModelEndpoint``) or over HTTP against `remit serve`.
public protocol ModelEndpoint: Sendable {
    /// The model's signed listing.
    func listing() async throws(RemitError) -> Signed<Listing>
    /// Tells the payee about a channel the ledger has escrowed (it checks the ledger itself).
    func register(channel open: Signed<ChannelOpen>) async throws(RemitError)
    /// Tells the payee about a top-up the ledger applied.
    func register(topUp: Signed<ChannelTopUp>) async throws(RemitError)
    /// Asks the model with a payment: the answer and its receipt.
    func query(_ request: ModelRequest, payment: PayerBook.PaymentMessage) async throws(RemitError) -> PaidAnswer
    /// Asks the payee to close a channel cooperatively: it submits its claim and the ledger settles.
    func close(channel: ChannelID) async throws(RemitError)
    /// Asks many queries paid by a run of ticks (one tick per request, same order): the answers
    /// and one signed receipt batch for the run.
    func queryStream(_ requests: [ModelRequest], ticks: [Tick]) async throws(RemitError) -> StreamAnswer
}

extension ModelEndpoint {
    /// Endpoints that cannot stream refuse streamed runs.
    public func queryStream(_ requests: [ModelRequest], ticks: [Tick]) async throws(RemitError) -> StreamAnswer {
        throw RemitError(.modelStreamUnsupported, "this endpoint does not take streamed tick runs; pay query by query")
    }
}

/// The answers to a streamed run and the receipts for them under one signed root.
public struct StreamAnswer: Sendable, Hashable {
    /// One answer per accepted request, in order.
    public var answers: [ModelAnswer]
    /// The receipts of the answered requests.
    public var run: ReceiptRun
    /// Why the run stopped early, if it did (requests after the refused one were not served).
    public var refusal: RemitError.Code?

    /// Creates a stream answer.
    public init(answers: [ModelAnswer], run: ReceiptRun, refusal: RemitError.Code?) {
        self.answers = answers
        self.run = run
        self.refusal = refusal
    }
}

extension RemitError.Code {
    /// An endpoint that does not take streamed tick runs.
    public static let modelStreamUnsupported = Self("model.stream_unsupported")
}

/// An answer with the payee's receipt for it.
public struct PaidAnswer: Sendable, Hashable {
    /// The model's answer.
    public var answer: ModelAnswer
    /// The receipt: signed on its own (voucher payments) or inside a signed batch (ticks).
    public var receipt: ReceiptEvidence

    /// Creates a paid answer.
    public init(answer: ModelAnswer, receipt: ReceiptEvidence) {
        self.answer = answer
        self.receipt = receipt
    }
}

/// How a receipt arrived.
public enum ReceiptEvidence: Sendable, Hashable {
    /// Signed by the payee on its own.
    case signed(Signed<Receipt>)
    /// Under the payee's signed batch root, with its inclusion proof.
    case batched(BatchedReceipt)

    /// The receipt's fields.
    public var receipt: Receipt {
        switch self {
        case .signed(let signed): signed.message
        case .batched(let batched): batched.receipt
        }
    }
}

/// Prices a request against a listing: the most it may cost (the quote a payment must cover)
/// and what an answer costs. Payer and payee use these same rules (docs/PROTOCOL.md §12).
public enum Pricing {
    /// Output tokens a request may produce under a listing: a generation's `maxTokens` (at most
    /// the listing's maximum), otherwise the listing's maximum.
    public static func tokenBound(_ request: ModelRequest, listing: Listing) -> UInt32 {
        if case .generate(_, let maxTokens, _) = request.input { return min(maxTokens, listing.maxOutputTokens) }
        return listing.maxOutputTokens
    }

    /// pricePerQuery + pricePerOutputToken × tokenBound.
    public static func quote(_ request: ModelRequest, listing: Listing) throws(RemitError) -> Amount {
        try listing.pricePerQuery.adding(listing.pricePerOutputToken.multiplied(by: Int64(tokenBound(request, listing: listing))))
    }

    /// pricePerQuery + pricePerOutputToken × min(outputTokens, tokenBound).
    public static func charge(_ request: ModelRequest, listing: Listing, outputTokens: UInt32) throws(RemitError) -> Amount {
        let tokens = min(outputTokens, tokenBound(request, listing: listing))
        return try listing.pricePerQuery.adding(listing.pricePerOutputToken.multiplied(by: Int64(tokens)))
    }
}
