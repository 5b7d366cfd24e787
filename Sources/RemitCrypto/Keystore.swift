/// A key file: an Ed25519 seed sealed with a password (Argon2id, then XChaCha20-Poly1305).
///
/// The byte layout (178 bytes, integers big-endian) is specified in docs/PROTOCOL.md §Keystore:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `REMITKEY` |
/// | 8 | 1 | format version (1) |
/// | 9 | 1 | KDF (1 = Argon2id v1.3) |
/// | 10 | 8 | Argon2id opslimit |
/// | 18 | 8 | Argon2id memlimit in bytes |
/// | 26 | 16 | salt |
/// | 42 | 24 | XChaCha20-Poly1305 nonce |
/// | 66 | 32 | public key (in clear, so a file can be shown without its password) |
/// | 98 | 48 | sealed seed: 32-byte ciphertext + 16-byte tag, additional data = bytes 0..<98 |
/// | 146 | 32 | BLAKE2b-256 of bytes 0..<146 |
///
/// The trailing checksum tells an altered or damaged file (``CryptoError/Code/keystoreCorrupted``)
/// apart from a wrong password (``CryptoError/Code/keystoreWrongPassword``).
public enum Keystore {
    /// The magic bytes every keystore starts with.
    public static let magic: [UInt8] = Array("REMITKEY".utf8)
    /// The format version this code writes and reads.
    public static let formatVersion: UInt8 = 1
    /// KDF identifier for Argon2id v1.3.
    public static let kdfArgon2id: UInt8 = 1
    /// The exact size of a keystore file in bytes.
    public static let fileSize = 178

    static let headerSize = 98
    static let checksummedSize = 146

    /// Argon2id cost limits: more is slower for an attacker and for you.
    public struct Limits: Hashable, Sendable, CustomStringConvertible {
        /// Number of passes (libsodium `opslimit`).
        public var opsLimit: UInt64
        /// Memory in bytes (libsodium `memlimit`).
        public var memLimit: UInt64

        /// Creates limits; ``Keystore/seal(_:password:limits:)`` checks them against libsodium's bounds.
        public init(opsLimit: UInt64, memLimit: UInt64) {
            self.opsLimit = opsLimit
            self.memLimit = memLimit
        }

        /// libsodium's interactive limits: 2 passes, 64 MiB (well under a second).
        public static let interactive = Limits(opsLimit: 2, memLimit: 64 << 20)
        /// libsodium's moderate limits: 3 passes, 256 MiB.
        public static let moderate = Limits(opsLimit: 3, memLimit: 256 << 20)
        /// libsodium's sensitive limits: 4 passes, 1 GiB.
        public static let sensitive = Limits(opsLimit: 4, memLimit: 1 << 30)
        /// The smallest limits libsodium allows; for tests and throwaway simulation keys only.
        public static let minimum = Limits(opsLimit: 1, memLimit: 8192)

        public var description: String { "Argon2id opslimit \(opsLimit), memlimit \(memLimit / 1024) KiB" }
    }

    /// What can be read from a keystore without its password.
    public struct Header: Hashable, Sendable {
        /// Format version of the file.
        public var version: UInt8
        /// Argon2id limits the file was sealed with.
        public var limits: Limits
        /// The public key of the sealed signing key.
        public var publicKey: PublicKey
    }

    /// Seals `key` under `password` and returns the file's bytes.
    public static func seal(_ key: SigningKey, password: [UInt8], limits: Limits = .interactive) throws(CryptoError) -> [UInt8] {
        try KeystoreCipher.checkLimits(limits)
        let salt = SecureRandom.bytes(count: 16)
        let nonce = SecureRandom.bytes(count: 24)
        var file: [UInt8] = []
        file.reserveCapacity(fileSize)
        file += magic
        file.append(formatVersion)
        file.append(kdfArgon2id)
        appendBigEndian(limits.opsLimit, to: &file)
        appendBigEndian(limits.memLimit, to: &file)
        file += salt
        file += nonce
        file += key.publicKey.bytes
        let sealed = try KeystoreCipher.seal(key: key, password: password, salt: salt, nonce: nonce, limits: limits, additionalData: file)
        file += sealed
        file += BLAKE2b.hash(file).bytes
        return file
    }

    /// Reads the header after checking size, magic, version and checksum; no password needed.
    public static func inspect(_ file: [UInt8]) throws(CryptoError) -> Header {
        guard file.count >= magic.count, Array(file[0..<magic.count]) == magic else {
            throw CryptoError(.keystoreNotAKeystore, "the file does not start with \"REMITKEY\": it is not a Remit keystore")
        }
        guard file.count >= 10 else {
            throw CryptoError(.keystoreTruncated, "keystore is \(file.count) bytes; a version-1 keystore is exactly \(fileSize) bytes (truncated?)")
        }
        guard file[8] == formatVersion else {
            throw CryptoError(.keystoreUnsupportedVersion, "keystore format version \(file[8]) is not supported; this build reads version \(formatVersion)")
        }
        guard file[9] == kdfArgon2id else {
            throw CryptoError(.keystoreUnsupportedVersion, "keystore KDF \(file[9]) is not supported; this build reads 1 (Argon2id v1.3)")
        }
        guard file.count == fileSize else {
            let how = file.count < fileSize ? "truncated?" : "extra bytes at the end?"
            throw CryptoError(.keystoreTruncated, "keystore is \(file.count) bytes; a version-1 keystore is exactly \(fileSize) bytes (\(how))")
        }
        let expected = BLAKE2b.hash(Array(file[0..<checksummedSize]))
        guard ConstantTime.equals(expected.bytes, Array(file[checksummedSize..<fileSize])) else {
            throw CryptoError(.keystoreCorrupted, "keystore checksum does not match its contents: the file was altered or damaged")
        }
        let limits = Limits(opsLimit: readBigEndian(file, at: 10), memLimit: readBigEndian(file, at: 18))
        let publicKey: PublicKey
        do {
            publicKey = try PublicKey(bytes: file[66..<98])
        } catch {
            throw CryptoError(.keystoreCorrupted, "keystore holds an invalid public key: \(error.message)")
        }
        return Header(version: file[8], limits: limits, publicKey: publicKey)
    }

    /// Opens a keystore with `password` and returns the signing key.
    public static func open(_ file: [UInt8], password: [UInt8]) throws(CryptoError) -> SigningKey {
        let header = try inspect(file)
        try KeystoreCipher.checkLimits(header.limits)
        let key = try KeystoreCipher.open(
            sealed: Array(file[headerSize..<checksummedSize]),
            password: password,
            salt: Array(file[26..<42]),
            nonce: Array(file[42..<66]),
            limits: header.limits,
            additionalData: Array(file[0..<headerSize])
        )
        guard key.publicKey == header.publicKey else {
            throw CryptoError(.keystoreCorrupted, "the sealed key does not match the public key in the keystore header")
        }
        return key
    }

    private static func appendBigEndian(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }
}
