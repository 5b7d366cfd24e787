/// An Ed25519 signing key. The secret lives in a buffer that is zeroed when the key is freed and
/// is never printed.
public final class SigningKey: Sendable, CustomStringConvertible {
    /// The 64-byte libsodium secret key (seed followed by the public key).
    let secret: SecureBytes
    /// The matching public key.
    public let publicKey: PublicKey

    /// Generates a new key from libsodium's random generator.
    public convenience init() {
        let seed = SecureRandom.bytes(count: 32)
        try! self.init(seed: seed)  // 32 bytes by construction
    }

    /// Derives the key from a 32-byte seed (RFC 8032 "private key").
    public init(seed: [UInt8]) throws(CryptoError) {
        guard seed.count == 32 else {
            throw CryptoError(.invalidLength, "an Ed25519 seed must be 32 bytes, got \(seed.count)")
        }
        var publicKey = Bytes32()
        secret = Ed25519.keyPair(seed: seed, publicKey: &publicKey)
        self.publicKey = PublicKey(bytes32: publicKey)
    }

    /// Signs `message` (detached signature).
    public func sign(_ message: [UInt8]) -> Signature {
        message.withUnsafeBytes { sign(bytes: $0) }
    }

    /// Signs the bytes in `message` (detached signature).
    public func sign(bytes message: UnsafeRawBufferPointer) -> Signature {
        Signature(bytes64: Ed25519.sign(message: message, secret: secret))
    }

    /// Calls `body` with the 32-byte seed, for sealing the key in a keystore.
    func withSeed<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try secret.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<32])) }
    }

    /// Prints the public key only; the secret never appears in logs.
    public var description: String { "SigningKey(public: \(publicKey.hex))" }
}
