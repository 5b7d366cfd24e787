import RemitChannels
public import RemitCore
public import RemitCrypto
public import RemitInference
public import RemitLedger

/// The JSON bodies of the HTTP API (docs/PROTOCOL.md §12). Amounts are strings of base units,
/// keys, ids and digests lower-case hex, as in the message JSON of §5.
public enum HTTPBodies {
    /// `POST /v1/models/{id}/query`: the request to answer.
    public struct Query: Codable, Sendable {
        /// The request (§10.5 JSON form).
        public var request: ModelRequest
        /// Creates a query body.
        public init(request: ModelRequest) { self.request = request }
    }

    /// A paid answer's body; its receipt travels in the `X-Remit-Receipt` headers.
    public struct Answer: Codable, Sendable {
        /// The model's answer.
        public var answer: ModelAnswer
        /// Creates an answer body.
        public init(answer: ModelAnswer) { self.answer = answer }
    }

    /// Every refusal: `{"error": {"code", "message"}}`.
    public struct Failure: Codable, Sendable {
        /// The error.
        public var error: Detail
        /// Creates a failure body.
        public init(code: String, message: String) { error = Detail(code: code, message: message) }
    }

    /// An error's code and sentence.
    public struct Detail: Codable, Sendable {
        /// The stable dotted code, e.g. `channel.sequence_not_above`.
        public var code: String
        /// What was wrong and which rule it broke.
        public var message: String
    }

    /// The 402 body: what a payment for this request must be (x402's payment requirements).
    public struct PaymentRequirement: Codable, Sendable {
        /// `payment.required` for an unpaid request, or the code of the refused payment.
        public var error: Detail
        /// The protocol: `remit/1`.
        public var `protocol`: String
        /// Accepted payment schemes: `voucher`, `tick`.
        public var accepts: [String]
        /// The header the paid retry carries the payment in.
        public var paymentHeader: String
        /// The most this request may cost: what the payment must cover (base units).
        public var quote: Amount
        /// The listing's price per query (base units).
        public var pricePerQuery: Amount
        /// The listing's price per output token (base units).
        public var pricePerOutputToken: Amount
        /// Output tokens the quote covers.
        public var tokenBound: UInt32
        /// The ledger (hex).
        public var ledger: LedgerID
        /// The model (hex).
        public var model: ModelID
        /// The model's name.
        public var modelName: String
        /// The listing sequence the receipt will name.
        public var listingSequence: UInt64
        /// The payee's account id (rm1…).
        public var payee: String
        /// The payee's public key (hex): channels name it.
        public var payeeKey: PublicKey
        /// The digest the voucher's `requestDigest` must be (BLAKE2b of the request's canonical bytes).
        public var requestDigest: Digest32
        /// Where and how to open a channel to the payee.
        public var channel: ChannelTerms
    }

    /// Channel terms in a payment requirement.
    public struct ChannelTerms: Codable, Sendable {
        /// Open on the ledger: `POST /v1/ledger/channels` with the signed channel-open.
        public var open: String
        /// Then register with the payee: `POST /v1/channels` with the same message.
        public var register: String
        /// The smallest deposit that pays this request.
        public var minimumDeposit: Amount
        /// Challenge period (seconds) the payee asks for in a channel-open.
        public var challengePeriod: UInt32
        /// For ticks: the unit one link pays should be at least the quote.
        public var tickUnit: Amount
    }

    /// A model in the directory: the signed listing and the OpenRouter-like fields read from it,
    /// with what this server observed.
    public struct ModelCard: Codable, Sendable {
        /// The model id (hex).
        public var id: ModelID
        /// Its name.
        public var name: String
        /// Its kind (`bm25`, `infinigram`, …).
        public var kind: String
        /// Owner account (rm1…).
        public var owner: String
        /// Prices.
        public var pricing: Pricing
        /// Datanets (id and version) it was built from.
        public var datanets: [DatanetVersion]
        /// How answers are attributed.
        public var attributionMethod: String
        /// Search tags.
        public var tags: [String]
        /// The model build (hex).
        public var modelVersion: Digest32
        /// The listing's sequence.
        public var listingSequence: UInt64
        /// The listing's expiry (Unix seconds).
        public var validUntil: UInt64
        /// Where to query it.
        public var queryPath: String
        /// What this server observed.
        public var observed: Observed
        /// The owner-signed listing (§5 JSON form): the fields above are only a reading of it.
        public var listing: Signed<Listing>
    }

    /// Prices of a model card.
    public struct Pricing: Codable, Sendable {
        /// Per query (base units).
        public var perQuery: Amount
        /// Per output token (base units).
        public var perOutputToken: Amount
        /// Most output tokens per query.
        public var maxOutputTokens: UInt32
        /// Revenue split in basis points.
        public var split: RevenueSplit
    }

    /// A model's observed service figures on this server since it started.
    public struct Observed: Codable, Sendable {
        /// Paid queries answered.
        public var answered: Int
        /// Paid queries whose model failed or whose server erred.
        public var failed: Int
        /// Mean latency of answered queries (ms), 0 before any.
        public var meanLatencyMs: Double
        /// Answered / (answered + failed), 1 before any query.
        public var uptime: Double
        /// Seconds since the server started.
        public var upSeconds: UInt64
    }

    /// `GET /v1/ledger`.
    public struct LedgerInfo: Codable, Sendable {
        /// The ledger id.
        public var ledger: LedgerID
        /// The operator's account (rm1…).
        public var `operator`: String
        /// The operator's key (hex): it signs checkpoints and admin requests.
        public var operatorKey: PublicKey
        /// Total supply (base units).
        public var supply: Amount
        /// The ledger's time (Unix seconds).
        public var time: UInt64
        /// The journal's head.
        public var head: ChainHead
    }

    /// `GET /v1/ledger/accounts/{account}`.
    public struct AccountInfo: Codable, Sendable {
        /// The account as given (rm1…, escrow:…, bond:…).
        public var account: String
        /// Its balance (base units).
        public var balance: Amount
        /// The last transfer nonce used (user accounts; 0 otherwise).
        public var nonce: UInt64
    }

    /// `GET /v1/ledger/accounts/{account}/entries`: a page of history, newest first.
    public struct History: Codable, Sendable {
        /// The account.
        public var account: String
        /// Entries that changed it.
        public var items: [HistoryItem]
        /// `before` for the next page, when there may be one.
        public var next: UInt64?
    }

    /// `GET /v1/ledger/entries`: a page of the journal.
    public struct Entries: Codable, Sendable {
        /// The entries, ascending.
        public var entries: [Entry]
        /// `from` for the next page, when there may be one.
        public var next: UInt64?
    }

    /// A journal entry as stored.
    public struct Entry: Codable, Sendable {
        /// Sequence.
        public var sequence: UInt64
        /// Unix seconds.
        public var timestamp: UInt64
        /// Kind name.
        public var kind: String
        /// Chain hash.
        public var hash: Digest32
        /// Canonical bytes (hex): verify with the hash chain.
        public var body: String
    }

    /// `POST /v1/ledger/channels/{id}/claim`: a payee's claim with what it commits to.
    public struct Claim: Codable, Sendable {
        /// The signed claim.
        public var claim: Signed<ChannelClaim>
        /// The newest voucher (voucher channels).
        public var voucher: Signed<Voucher>?
        /// Every receipt body, ascending by sequence.
        public var receipts: [Receipt]

        /// Creates a claim body.
        public init(claim: Signed<ChannelClaim>, voucher: Signed<Voucher>?, receipts: [Receipt]) {
            self.claim = claim
            self.voucher = voucher
            self.receipts = receipts
        }
    }

    /// `POST /v1/ledger/datanet-messages`: datanet messages in ledger order, base64 wire bytes.
    public struct DatanetMessages: Codable, Sendable {
        /// Base64 of each message's wire bytes.
        public var messages: [String]
        /// Creates the body.
        public init(messages: [String]) { self.messages = messages }
    }

    /// The answer to `POST /v1/ledger/datanet-messages`.
    public struct Registered: Codable, Sendable {
        /// Messages newly applied.
        public var applied: Int
    }

    /// `POST /v1/admin/faucet` (operator-signed): credits from the treasury.
    public struct Faucet: Codable, Sendable {
        /// The account to fund (rm1…).
        public var account: String
        /// Credits, as a decimal string ("5", "0.25").
        public var credits: String
        /// Creates a faucet body.
        public init(account: String, credits: String) {
            self.account = account
            self.credits = credits
        }
    }

    /// Channel registration answers: the payee's view of the channel.
    public struct ChannelView: Codable, Sendable {
        /// The channel.
        public var channel: ChannelID
        /// Its phase in the payee's book (`open`, `closing`, `closed`).
        public var phase: String
        /// Deposit (base units).
        public var deposit: Amount
        /// Charged by receipts so far (base units).
        public var charged: Amount
        /// Queries served.
        public var served: UInt64
    }

    /// `GET /healthz`.
    public struct Health: Codable, Sendable {
        /// `ok`, or `draining` during a graceful shutdown.
        public var status: String
        /// The ledger id.
        public var ledger: LedgerID
        /// Models served.
        public var models: Int
    }
}
