internal import CSodium

/// Loops that call libsodium directly, with no Remit type in between: the floor that
/// `remit bench crypto` and `remit bench channel` compare the wrappers against. Package-only.
package enum SodiumFloor {
    /// Signs `message` `iterations` times with a key from `seed`; returns the last signature's
    /// first byte so the optimiser cannot drop the loop.
    package static func signLoop(seed: [UInt8], message: [UInt8], iterations: Int) -> UInt8 {
        Sodium.ensureInitialised()
        var pk = [UInt8](repeating: 0, count: 32)
        var sk = [UInt8](repeating: 0, count: 64)
        var sig = [UInt8](repeating: 0, count: 64)
        crypto_sign_seed_keypair(&pk, &sk, seed)
        message.withUnsafeBufferPointer { m in
            for _ in 0..<iterations {
                crypto_sign_detached(&sig, nil, m.baseAddress, UInt64(m.count), sk)
            }
        }
        sodium_memzero(&sk, 64)
        return sig[0]
    }

    /// Verifies a signature of `message` `iterations` times; returns how many verified.
    package static func verifyLoop(seed: [UInt8], message: [UInt8], iterations: Int) -> Int {
        Sodium.ensureInitialised()
        var pk = [UInt8](repeating: 0, count: 32)
        var sk = [UInt8](repeating: 0, count: 64)
        var sig = [UInt8](repeating: 0, count: 64)
        crypto_sign_seed_keypair(&pk, &sk, seed)
        crypto_sign_detached(&sig, nil, message, UInt64(message.count), sk)
        sodium_memzero(&sk, 64)
        var ok = 0
        message.withUnsafeBufferPointer { m in
            for _ in 0..<iterations where crypto_sign_verify_detached(sig, m.baseAddress, UInt64(m.count), pk) == 0 {
                ok += 1
            }
        }
        return ok
    }

    /// BLAKE2b-256 of `message` `iterations` times, each output fed into the next input's first
    /// byte so no call can be skipped; returns the last output's first byte.
    package static func blake2bLoop(message: [UInt8], iterations: Int) -> UInt8 {
        Sodium.ensureInitialised()
        var input = message
        var out = [UInt8](repeating: 0, count: 32)
        input.withUnsafeMutableBufferPointer { m in
            out.withUnsafeMutableBufferPointer { o in
                for _ in 0..<iterations {
                    crypto_generichash(o.baseAddress!, 32, m.baseAddress, UInt64(m.count), nil, 0)
                    m[0] = o[0]
                }
            }
        }
        return out[0]
    }
}
