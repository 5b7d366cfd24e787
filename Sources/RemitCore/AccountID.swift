public import RemitCrypto

/// The printable id of an account, derived from its Ed25519 public key:
/// `rm1` followed by the lower-case base32 (RFC 4648, no padding) of the 32 key bytes and a
/// 3-byte checksum, the first 3 bytes of BLAKE2b-256(`remit/account-id/v1` 0x00 ‖ key).
/// 59 characters in all; a mistyped id fails the checksum and is refused.
public struct AccountID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The text every account id starts with.
    public static let prefix = "rm1"
    static let checksumTag: [UInt8] = Array("remit/account-id/v1".utf8) + [0]

    /// The account's public key.
    public let publicKey: PublicKey

    /// The id of the account that `publicKey` controls.
    public init(_ publicKey: PublicKey) { self.publicKey = publicKey }

    /// Parses the printable form; refuses a wrong prefix, length, alphabet or checksum.
    public init(_ text: String) throws(RemitError) {
        guard text.hasPrefix(AccountID.prefix) else {
            throw RemitError(.accountIDInvalid, "account id \"\(text)\" does not start with \"\(AccountID.prefix)\"")
        }
        let body = text.dropFirst(AccountID.prefix.count)
        guard body.count == 56 else {
            throw RemitError(.accountIDInvalid, "account id \"\(text)\" has \(text.count) characters; an account id has 59")
        }
        guard let bytes = Base32.decode(body), bytes.count == 35 else {
            throw RemitError(.accountIDInvalid, "account id \"\(text)\" holds characters outside base32 (a-z, 2-7)")
        }
        let key = Array(bytes[0..<32])
        guard AccountID.checksum(key) == Array(bytes[32..<35]) else {
            throw RemitError(.accountIDBadChecksum, "account id \"\(text)\" fails its checksum: check it for a typo")
        }
        do {
            publicKey = try PublicKey(bytes: key)
        } catch {
            throw RemitError(.accountIDInvalid, "account id \"\(text)\" does not hold a valid public key", cause: error)
        }
    }

    static func checksum(_ key: [UInt8]) -> [UInt8] {
        Array(BLAKE2b.hash(checksumTag + key).bytes[0..<3])
    }

    /// The printable form, `rm1…` (59 characters).
    public var description: String {
        let key = publicKey.bytes
        return AccountID.prefix + Base32.encode(key + AccountID.checksum(key))
    }

    public static func < (lhs: AccountID, rhs: AccountID) -> Bool { lhs.publicKey < rhs.publicKey }
}

extension AccountID: Codable {
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension RemitError.Code {
    /// Text that is not an account id (prefix, length or alphabet).
    public static let accountIDInvalid = Self("account_id.invalid")
    /// An account id whose checksum does not match: most likely a typo.
    public static let accountIDBadChecksum = Self("account_id.bad_checksum")
}
