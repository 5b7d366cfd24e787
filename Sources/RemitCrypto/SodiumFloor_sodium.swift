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

    /// The crypto of one paid query, `iterations` times: the payer signs a voucher, the payee
    /// verifies it, the payee signs a receipt, the payer verifies it. Returns how many verified.
    package static func paidQueryLoop(payerSeed: [UInt8], payeeSeed: [UInt8], voucher: [UInt8], receipt: [UInt8], iterations: Int) -> Int {
        Sodium.ensureInitialised()
        var payerPK = [UInt8](repeating: 0, count: 32)
        var payerSK = [UInt8](repeating: 0, count: 64)
        var payeePK = [UInt8](repeating: 0, count: 32)
        var payeeSK = [UInt8](repeating: 0, count: 64)
        var voucherSig = [UInt8](repeating: 0, count: 64)
        var receiptSig = [UInt8](repeating: 0, count: 64)
        crypto_sign_seed_keypair(&payerPK, &payerSK, payerSeed)
        crypto_sign_seed_keypair(&payeePK, &payeeSK, payeeSeed)
        var ok = 0
        for _ in 0..<iterations {
            crypto_sign_detached(&voucherSig, nil, voucher, UInt64(voucher.count), payerSK)
            if crypto_sign_verify_detached(voucherSig, voucher, UInt64(voucher.count), payerPK) == 0 { ok += 1 }
            crypto_sign_detached(&receiptSig, nil, receipt, UInt64(receipt.count), payeeSK)
            if crypto_sign_verify_detached(receiptSig, receipt, UInt64(receipt.count), payeePK) == 0 { ok += 1 }
        }
        sodium_memzero(&payerSK, 64)
        sodium_memzero(&payeeSK, 64)
        return ok
    }
}
