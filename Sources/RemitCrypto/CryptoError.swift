/// An error from RemitCrypto: a stable ``Code`` to match on and a message that names the bad
/// value and the rule it broke.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code; new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidLength = "crypto.invalid_length"
            case invalidEncoding = "crypto.invalid_encoding"
            case invalidKey = "crypto.invalid_key"
            case keystoreTruncated = "keystore.truncated"
            case keystoreNotAKeystore = "keystore.not_a_keystore"
            case keystoreUnsupportedVersion = "keystore.unsupported_version"
            case keystoreCorrupted = "keystore.corrupted"
            case keystoreWrongPassword = "keystore.wrong_password"
            case keystoreInvalidLimits = "keystore.invalid_limits"
            case keystoreKeyDerivationFailed = "keystore.key_derivation_failed"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The stable text of the code, such as `keystore.wrong_password`.
        public var description: String { base.rawValue }

        /// A byte string had the wrong length for its type.
        public static let invalidLength = Code(.invalidLength)
        /// Text that should hold hex or another encoding did not.
        public static let invalidEncoding = Code(.invalidEncoding)
        /// Key material that libsodium refused.
        public static let invalidKey = Code(.invalidKey)
        /// A keystore file shorter or longer than the format allows.
        public static let keystoreTruncated = Code(.keystoreTruncated)
        /// A file that does not start with the keystore magic bytes.
        public static let keystoreNotAKeystore = Code(.keystoreNotAKeystore)
        /// A keystore written by a newer format version or with an unknown KDF.
        public static let keystoreUnsupportedVersion = Code(.keystoreUnsupportedVersion)
        /// A keystore whose checksum does not match its bytes (altered or damaged).
        public static let keystoreCorrupted = Code(.keystoreCorrupted)
        /// The password does not open the keystore.
        public static let keystoreWrongPassword = Code(.keystoreWrongPassword)
        /// Argon2id limits outside what libsodium accepts.
        public static let keystoreInvalidLimits = Code(.keystoreInvalidLimits)
        /// Argon2id could not run (usually: not enough memory for the memory limit).
        public static let keystoreKeyDerivationFailed = Code(.keystoreKeyDerivationFailed)
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence naming the bad value and the rule it broke.
    public var message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) [\(code)]" }
}
