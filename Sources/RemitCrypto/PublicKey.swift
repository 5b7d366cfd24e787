/// An Ed25519 public key (32 bytes), printed as 64 hex digits.
public struct PublicKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    @usableFromInline var bytes32: Bytes32

    init(bytes32: Bytes32) { self.bytes32 = bytes32 }

    /// Creates a public key from exactly 32 bytes that encode a valid Ed25519 point of large order.
    public init(bytes: some Collection<UInt8>) throws(CryptoError) {
        // Contiguous bytes (arrays and their slices, as a message decoder reads them) are copied
        // once, without an intermediate array.
        if let fixed = bytes.withContiguousStorageIfAvailable({ $0.count == 32 ? Bytes32(copying: UnsafeRawBufferPointer($0)) : nil }),
           let fixed, ValidKeyCache.isValid(fixed) {
            bytes32 = fixed
            return
        }
        let array = Array(bytes)
        guard array.count == 32 else {
            throw CryptoError(.invalidLength, "an Ed25519 public key must be 32 bytes, got \(array.count)")
        }
        let candidate = array.withUnsafeBytes { Bytes32(copying: $0) }
        guard ValidKeyCache.isValid(candidate) else {
            throw CryptoError(.invalidKey, "\(Hex.encode(array)) is not a valid Ed25519 public key (not a point of large order)")
        }
        bytes32 = candidate
    }

    /// Parses 64 hex digits.
    public init(hex: String) throws(CryptoError) {
        try self.init(bytes: Hex.decode(hex, count: 32, what: "an Ed25519 public key"))
    }

    /// A key from 32 bytes that this package checked before, without checking the point again
    /// (the check costs about half a signature check). Only for bytes whose origin vouches for
    /// them, such as a datanet log line under a matching seal (docs/PROTOCOL.md §10.2).
    package init(alreadyChecked bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "an Ed25519 public key is 32 bytes, got \(bytes.count)")
        self.init(bytes32: Bytes32(copying: bytes))
    }

    /// The key's 32 bytes.
    public var bytes: [UInt8] { bytes32.array }

    /// Lower-case hex, 64 digits.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }

    /// Calls `body` with the key's 32 bytes.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try bytes32.withUnsafeBytes(body)
    }

    /// True when `signature` is a valid Ed25519 signature of `message` by this key.
    public func isValidSignature(_ signature: Signature, for message: [UInt8]) -> Bool {
        message.withUnsafeBytes { isValidSignature(signature, for: $0) }
    }

    /// True when `signature` is a valid Ed25519 signature of the bytes in `message` by this key.
    public func isValidSignature(_ signature: Signature, for message: UnsafeRawBufferPointer) -> Bool {
        Ed25519.verify(signature: signature.bytes64, message: message, publicKey: bytes32)
    }

    public static func < (lhs: PublicKey, rhs: PublicKey) -> Bool {
        Digest32(bytes32: lhs.bytes32) < Digest32(bytes32: rhs.bytes32)
    }
}

/// A detached Ed25519 signature (64 bytes), printed as 128 hex digits.
public struct Signature: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline var bytes64: Bytes64

    init(bytes64: Bytes64) { self.bytes64 = bytes64 }

    /// Creates a signature from exactly 64 bytes.
    public init(bytes: some Collection<UInt8>) throws(CryptoError) {
        let array = Array(bytes)
        guard array.count == 64 else {
            throw CryptoError(.invalidLength, "an Ed25519 signature must be 64 bytes, got \(array.count)")
        }
        bytes64 = array.withUnsafeBytes { Bytes64(copying: $0) }
    }

    /// Parses 128 hex digits.
    public init(hex: String) throws(CryptoError) {
        try self.init(bytes: Hex.decode(hex, count: 64, what: "an Ed25519 signature"))
    }

    /// The signature's 64 bytes.
    public var bytes: [UInt8] { bytes64.array }

    /// Lower-case hex, 128 digits.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }
}
