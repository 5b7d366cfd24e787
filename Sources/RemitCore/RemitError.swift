/// The error every Remit library throws: a stable ``Code`` to match on, a message that names the
/// bad value and the rule it broke, and an optional underlying cause.
///
/// Codes are dotted strings grouped by area (`amount.overflow`, `voucher.sequence_not_above`).
/// Each module declares its own codes in an extension of ``Code``; callers match with
/// `catch let error as RemitError where error.code == .amountOverflow`. The set of codes can
/// grow without breaking anyone, and the same text goes into JSON errors and CLI output.
public struct RemitError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible, Codable {
        /// The code's text, such as `voucher.sequence_not_above`.
        public let rawValue: String

        /// Declares a code; only Remit's own modules declare codes.
        package init(_ rawValue: String) { self.rawValue = rawValue }

        public var description: String { rawValue }

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence naming the bad value and the rule it broke.
    public var message: String
    /// The error underneath, when there is one.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(message) [\(code)] (cause: \(cause))" }
        return "\(message) [\(code)]"
    }
}
