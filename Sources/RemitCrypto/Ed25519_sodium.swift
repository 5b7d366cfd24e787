internal import CSodium

/// The libsodium calls behind ``SigningKey``, ``PublicKey`` and ``Signature``.
enum Ed25519 {
    /// libsodium wants a pointer even for an empty message.
    // Allocated once and never written, so sharing it is safe.
    nonisolated(unsafe) private static let emptyByte = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    @inline(__always)
    static func nonNull(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
        guard let base = buffer.baseAddress else { return UnsafePointer(emptyByte) }
        return base.assumingMemoryBound(to: UInt8.self)
    }

    static func keyPair(seed: [UInt8], publicKey: inout Bytes32) -> SecureBytes {
        Sodium.ensureInitialised()
        return SecureBytes(count: Int(crypto_sign_secretkeybytes())) { secret in
            publicKey.withUnsafeMutableBytes { pk in
                seed.withUnsafeBytes { s in
                    _ = crypto_sign_seed_keypair(
                        pk.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        secret.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        s.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    )
                }
            }
        }
    }

    static func sign(message: UnsafeRawBufferPointer, secret: SecureBytes) -> Bytes64 {
        var signature = (Bytes32(), Bytes32())
        secret.withUnsafeBytes { sk in
            withUnsafeMutableBytes(of: &signature) { sig in
                _ = crypto_sign_detached(
                    sig.baseAddress!.assumingMemoryBound(to: UInt8.self), nil,
                    nonNull(message), UInt64(message.count),
                    sk.baseAddress!.assumingMemoryBound(to: UInt8.self)
                )
            }
        }
        var out = Bytes64()
        out.low = signature.0
        out.high = signature.1
        return out
    }

    static func verify(signature: Bytes64, message: UnsafeRawBufferPointer, publicKey: Bytes32) -> Bool {
        Sodium.ensureInitialised()
        return signature.withUnsafeBytes { sig in
            publicKey.withUnsafeBytes { pk in
                crypto_sign_verify_detached(
                    sig.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    nonNull(message), UInt64(message.count),
                    pk.baseAddress!.assumingMemoryBound(to: UInt8.self)
                ) == 0
            }
        }
    }

    static func isValidPoint(_ key: Bytes32) -> Bool {
        Sodium.ensureInitialised()
        return key.withUnsafeBytes { crypto_core_ed25519_is_valid_point($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 1 }
    }
}
