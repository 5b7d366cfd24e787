public import HTTPTypes
public import RemitCore

extension RemitError.Code {
    /// An unpaid request to a priced route: the body says how to pay (docs/PROTOCOL.md §12.3).
    public static let paymentRequired = Self("payment.required")
    /// A payment header that is not base64 of a voucher's or tick's wire bytes.
    public static let paymentMalformed = Self("payment.malformed")
    /// A request the server cannot read (bad JSON, bad path value, missing field).
    public static let httpBadRequest = Self("http.bad_request")
    /// No such route or resource.
    public static let httpNotFound = Self("http.not_found")
    /// A request body above the server's limit.
    public static let httpBodyTooLarge = Self("http.body_too_large")
    /// A payer above its rate of paid queries.
    public static let httpRateLimited = Self("http.rate_limited")
    /// A request that took longer than the server's request timeout.
    public static let httpTimeout = Self("http.timeout")
    /// The server failed; the message says where.
    public static let httpInternal = Self("http.internal")
    /// A response the client cannot read (not Remit JSON, or a header missing).
    public static let httpBadResponse = Self("http.bad_response")
    /// The server could not be reached.
    public static let httpUnreachable = Self("http.unreachable")
    /// An admin request without a valid operator signature (missing, forged, or outside the time window).
    public static let adminUnauthorized = Self("admin.unauthorized")
    /// An admin request whose signature was already used.
    public static let adminReplayed = Self("admin.replayed")
    /// An admin route on a server that holds no operator key.
    public static let adminUnavailable = Self("admin.unavailable")
}

/// The HTTP status of each class of error (docs/PROTOCOL.md §12.2): payment refused 402,
/// malformed 400, unknown 404, conflicts 409, too large 413, rate 429, internal 500.
public enum HTTPStatusMap {
    /// 402 Payment Required (HTTPTypes has no constant for it).
    public static let paymentRequired = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")

    static let malformed: Set<String> = [
        "payment.malformed", "http.bad_request", "message.unknown_type", "message.unsupported_version", "message.bad_length",
        "message.bad_encoding", "message.invalid_field", "model.bad_request", "account_id.invalid", "account_id.bad_checksum",
        "amount.invalid_format", "amount.too_many_decimals", "amount.out_of_range", "amount.negative", "amount.overflow",
        "crypto.invalid_length", "crypto.invalid_encoding", "crypto.invalid_key", "datanet.invalid",
    ]
    static let unknown: Set<String> = [
        "http.not_found", "channel.unknown", "directory.no_model", "model.unknown", "ledger.unknown_channel", "ledger.unknown_listing",
        "ledger.unknown_contribution", "ledger.unknown_datanet", "ledger.unknown_entry", "ledger.not_checkpointed",
    ]
    static let paymentRefusals: Set<String> = [
        "payment.required", "channel.sequence_not_above", "channel.amount_too_low", "channel.over_deposit", "channel.expired",
        "channel.closing", "channel.closed", "channel.wrong_channel", "channel.wrong_ledger", "channel.wrong_payee",
        "channel.bad_signature", "channel.replayed_request", "channel.request_mismatch", "channel.bad_tick",
        "channel.ticks_unavailable", "channel.scheme_mismatch", "channel.over_limit", "channel.payment_pending",
        "message.bad_signature", "message.wrong_signer", "message.wrong_ledger",
    ]

    /// The status for an error code; `paying` is true on a paid route, where every channel or
    /// signature refusal (an unregistered channel included) is a refused payment.
    public static func status(for code: RemitError.Code, paying: Bool = false) -> HTTPResponse.Status {
        let raw = code.rawValue
        if paying && (raw.hasPrefix("channel.") && raw != "channel.storage_failed" || paymentRefusals.contains(raw)) { return paymentRequired }
        switch raw {
        case "http.body_too_large": return .contentTooLarge
        case "http.rate_limited": return .tooManyRequests
        case "http.timeout": return .serviceUnavailable
        case "admin.unauthorized": return .unauthorized
        case "admin.unavailable": return .forbidden
        case "admin.replayed": return .conflict
        default: break
        }
        if malformed.contains(raw) { return .badRequest }
        if unknown.contains(raw) { return .notFound }
        if paymentRefusals.contains(raw) { return paymentRequired }
        if raw.hasPrefix("ledger.") || raw.hasPrefix("channel.") || raw.hasPrefix("directory.") {
            return raw == "ledger.store" || raw == "channel.storage_failed" ? .internalServerError : .conflict
        }
        return .internalServerError
    }
}
