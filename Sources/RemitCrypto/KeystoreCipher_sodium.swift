internal import CSodium

/// The libsodium calls behind ``Keystore``: Argon2id key derivation and XChaCha20-Poly1305.
enum KeystoreCipher {
    static func checkLimits(_ limits: Keystore.Limits) throws(CryptoError) {
        Sodium.ensureInitialised()
        let ops = UInt64(crypto_pwhash_argon2id_opslimit_min())...UInt64(crypto_pwhash_argon2id_opslimit_max())
        let mem = UInt64(crypto_pwhash_argon2id_memlimit_min())...UInt64(min(crypto_pwhash_argon2id_memlimit_max(), 1 << 42))
        guard ops.contains(limits.opsLimit) else {
            throw CryptoError(.keystoreInvalidLimits, "Argon2id opslimit \(limits.opsLimit) is outside \(ops.lowerBound)...\(ops.upperBound)")
        }
        guard mem.contains(limits.memLimit) else {
            throw CryptoError(.keystoreInvalidLimits, "Argon2id memlimit \(limits.memLimit) bytes is outside \(mem.lowerBound)...\(mem.upperBound)")
        }
    }

    private static func deriveKey(password: [UInt8], salt: [UInt8], limits: Keystore.Limits) throws(CryptoError) -> SecureBytes {
        do {
            return try SecureBytes(count: 32) { key in
                // libsodium wants a non-null pointer even for an empty password.
                let passwordBytes: [UInt8] = password.isEmpty ? [0] : password
                let status = passwordBytes.withUnsafeBytes { p in
                    salt.withUnsafeBytes { s in
                        crypto_pwhash_argon2id(
                            key.baseAddress!.assumingMemoryBound(to: UInt8.self), 32,
                            p.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(password.count),
                            s.baseAddress!.assumingMemoryBound(to: UInt8.self),
                            limits.opsLimit, Int(limits.memLimit),
                            crypto_pwhash_argon2id_alg_argon2id13()
                        )
                    }
                }
                if status != 0 {
                    throw CryptoError(.keystoreKeyDerivationFailed, "Argon2id failed with \(limits); is there \(limits.memLimit >> 20) MiB of memory free?")
                }
            }
        } catch let error as CryptoError {
            throw error
        } catch {
            throw CryptoError(.keystoreKeyDerivationFailed, "Argon2id failed: \(error)")
        }
    }

    static func seal(
        key: SigningKey, password: [UInt8], salt: [UInt8], nonce: [UInt8], limits: Keystore.Limits, additionalData: [UInt8]
    ) throws(CryptoError) -> [UInt8] {
        let wrapping = try deriveKey(password: password, salt: salt, limits: limits)
        var sealed = [UInt8](repeating: 0, count: 32 + Int(crypto_aead_xchacha20poly1305_ietf_abytes()))
        key.withSeed { seed in
            wrapping.withUnsafeBytes { k in
                nonce.withUnsafeBytes { n in
                    additionalData.withUnsafeBytes { ad in
                        sealed.withUnsafeMutableBytes { c in
                            var length: UInt64 = 0
                            _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                                c.baseAddress!.assumingMemoryBound(to: UInt8.self), &length,
                                seed.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(seed.count),
                                ad.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ad.count),
                                nil,
                                n.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                k.baseAddress!.assumingMemoryBound(to: UInt8.self)
                            )
                        }
                    }
                }
            }
        }
        return sealed
    }

    static func open(
        sealed: [UInt8], password: [UInt8], salt: [UInt8], nonce: [UInt8], limits: Keystore.Limits, additionalData: [UInt8]
    ) throws(CryptoError) -> SigningKey {
        let wrapping = try deriveKey(password: password, salt: salt, limits: limits)
        var opened = false
        let seed = SecureBytes(count: 32) { seed in
            wrapping.withUnsafeBytes { k in
                nonce.withUnsafeBytes { n in
                    additionalData.withUnsafeBytes { ad in
                        sealed.withUnsafeBytes { c in
                            var length: UInt64 = 0
                            opened = crypto_aead_xchacha20poly1305_ietf_decrypt(
                                seed.baseAddress!.assumingMemoryBound(to: UInt8.self), &length,
                                nil,
                                c.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(c.count),
                                ad.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ad.count),
                                n.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                k.baseAddress!.assumingMemoryBound(to: UInt8.self)
                            ) == 0
                        }
                    }
                }
            }
        }
        guard opened else {
            throw CryptoError(.keystoreWrongPassword, "the password does not open this keystore")
        }
        // The seed passes through a short-lived array only inside SigningKey's initialiser.
        var seedArray = seed.withUnsafeBytes { Array($0) }
        defer { seedArray.withUnsafeMutableBytes { sodium_memzero($0.baseAddress!, $0.count) } }
        return try SigningKey(seed: seedArray)
    }
}
