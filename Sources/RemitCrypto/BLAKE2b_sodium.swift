internal import CSodium

/// BLAKE2b (RFC 7693) through libsodium's `crypto_generichash`: one-shot and streaming, any output
/// length from 16 to 64 bytes (32 by default), optionally keyed with a 16- to 64-byte key.
public enum BLAKE2b {
    /// The default output length, 32 bytes (BLAKE2b-256).
    public static let defaultOutputLength = 32
    /// Shortest output length libsodium allows.
    public static let minOutputLength = 16
    /// Longest output length (64 bytes).
    public static let maxOutputLength = 64
    /// Shortest key length libsodium allows for keyed hashing.
    public static let minKeyLength = 16
    /// Longest key length.
    public static let maxKeyLength = 64

    /// BLAKE2b-256 of `data`.
    @inlinable
    public static func hash(_ data: [UInt8]) -> Digest32 {
        data.withUnsafeBytes { hash(bytes: $0) }
    }

    /// BLAKE2b-256 of the bytes in `buffer`.
    public static func hash(bytes buffer: UnsafeRawBufferPointer) -> Digest32 {
        Sodium.ensureInitialised()
        var out = Bytes32()
        out.withUnsafeMutableBytes { o in
            _ = crypto_generichash(
                o.baseAddress!.assumingMemoryBound(to: UInt8.self), 32,
                Ed25519.nonNull(buffer), UInt64(buffer.count), nil, 0
            )
        }
        return Digest32(bytes32: out)
    }

    /// BLAKE2b-256 of a digest's 32 bytes: one link of a hash chain.
    public static func hash(_ digest: Digest32) -> Digest32 {
        digest.withUnsafeBytes { hash(bytes: $0) }
    }

    /// BLAKE2b of `data` with the given output length and optional key.
    public static func hash(_ data: [UInt8], outputLength: Int, key: [UInt8]? = nil) throws(CryptoError) -> [UInt8] {
        let hasher = try Hasher(outputLength: outputLength, key: key)
        hasher.update(data)
        return hasher.finalize()
    }

    static func checkParameters(outputLength: Int, key: [UInt8]?) throws(CryptoError) {
        guard (minOutputLength...maxOutputLength).contains(outputLength) else {
            throw CryptoError(.invalidLength, "BLAKE2b output length \(outputLength) is outside \(minOutputLength)...\(maxOutputLength)")
        }
        if let key, !(minKeyLength...maxKeyLength).contains(key.count) {
            throw CryptoError(.invalidLength, "BLAKE2b key length \(key.count) is outside \(minKeyLength)...\(maxKeyLength)")
        }
    }

    /// Streaming BLAKE2b: feed bytes with ``update(_:)`` as they arrive, then ``finalize()`` once.
    ///
    /// A hasher is used by one task at a time; it is not `Sendable`.
    public final class Hasher {
        private let state: UnsafeMutableRawPointer
        private let stateSize: Int
        /// The output length this hasher was created with.
        public let outputLength: Int
        private var finalized = false

        /// Starts a hash with the given output length (16...64, default 32) and optional key (16...64 bytes).
        public init(outputLength: Int = BLAKE2b.defaultOutputLength, key: [UInt8]? = nil) throws(CryptoError) {
            try BLAKE2b.checkParameters(outputLength: outputLength, key: key)
            Sodium.ensureInitialised()
            self.outputLength = outputLength
            // libsodium's state is 64-byte aligned and not imported into Swift: allocate it ourselves.
            stateSize = crypto_generichash_statebytes()
            state = UnsafeMutableRawPointer.allocate(byteCount: stateSize, alignment: 64)
            let typed = OpaquePointer(state)
            if let key {
                key.withUnsafeBytes { k in
                    _ = crypto_generichash_init(typed, k.baseAddress!.assumingMemoryBound(to: UInt8.self), k.count, outputLength)
                }
            } else {
                _ = crypto_generichash_init(typed, nil, 0, outputLength)
            }
        }

        deinit {
            sodium_memzero(state, stateSize)
            state.deallocate()
        }

        /// Adds bytes to the hash.
        public func update(_ data: [UInt8]) {
            data.withUnsafeBytes { update(bytes: $0) }
        }

        /// Adds the bytes in `buffer` to the hash.
        public func update(bytes buffer: UnsafeRawBufferPointer) {
            precondition(!finalized, "BLAKE2b.Hasher.update after finalize")
            guard buffer.count > 0 else { return }
            _ = crypto_generichash_update(OpaquePointer(state), buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(buffer.count))
        }

        /// Adds a digest's 32 bytes to the hash.
        public func update(_ digest: Digest32) {
            digest.withUnsafeBytes { update(bytes: $0) }
        }

        /// Finishes the hash and returns `outputLength` bytes. Call it once.
        public func finalize() -> [UInt8] {
            precondition(!finalized, "BLAKE2b.Hasher.finalize called twice")
            finalized = true
            var out = [UInt8](repeating: 0, count: outputLength)
            out.withUnsafeMutableBytes { o in
                _ = crypto_generichash_final(OpaquePointer(state), o.baseAddress!.assumingMemoryBound(to: UInt8.self), outputLength)
            }
            return out
        }

        /// Finishes a 32-byte hash as a ``Digest32``.
        public func finalizeDigest() -> Digest32 {
            precondition(outputLength == 32, "finalizeDigest needs a 32-byte hasher, this one is \(outputLength)")
            return try! Digest32(bytes: finalize())  // 32 bytes checked above
        }
    }
}
