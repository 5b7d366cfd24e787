import RemitCore
import RemitCrypto

/// `remit bench crypto`: Ed25519 sign and verify and BLAKE2b-256 through RemitCrypto, against the
/// same loops calling libsodium directly, in the same run.
public enum CryptoBenchmark {
    /// Runs the benchmark; `scale` multiplies the iteration counts (1 is about 10 seconds in release).
    public static func run(scale: Double = 1, rounds: Int = 5) -> BenchReport {
        let seedBytes = [UInt8](repeating: 0x42, count: 32)
        let key = try! SigningKey(seed: seedBytes)  // 32 bytes
        // A real voucher's canonical bytes: what the hot path signs.
        let message = ProtocolVectors.voucher.canonicalBytes
        let signature = key.sign(message)
        let publicKey = key.publicKey
        let hashInput = [UInt8](repeating: 0x5A, count: 64)

        let signN = max(100, Int(20_000 * scale))
        let verifyN = max(100, Int(8_000 * scale))
        let hashN = max(1_000, Int(1_000_000 * scale))

        var sink: UInt8 = 0
        let (signWrapper, signDirect) = bestRates(rounds: rounds, iterations: signN, { n in
            for _ in 0..<n where key.sign(message) == signature { sink &+= 1 }
        }, { n in
            sink &+= SodiumFloor.signLoop(seed: seedBytes, message: message, iterations: n)
        })
        var verified = 0
        let (verifyWrapper, verifyDirect) = bestRates(rounds: rounds, iterations: verifyN, { n in
            for _ in 0..<n where publicKey.isValidSignature(signature, for: message) { verified += 1 }
        }, { n in
            verified += SodiumFloor.verifyLoop(seed: seedBytes, message: message, iterations: n)
        })
        let (hashWrapper, hashDirect) = bestRates(rounds: rounds, iterations: hashN, { n in
            var input = hashInput
            for _ in 0..<n {
                let digest = BLAKE2b.hash(input)
                input[0] = digest.withUnsafeBytes { $0[0] }
            }
            sink &+= input[0]
        }, { n in
            sink &+= SodiumFloor.blake2bLoop(message: hashInput, iterations: n)
        })
        precondition(verified > 0 || verifyN == 0)
        // Batches of 64-byte messages through the four-lane path (receipt and Merkle hashing use
        // it), against the same libsodium loop. Without AVX2 it is libsodium one at a time.
        let batch = 1_024
        let batchInput = [UInt8](repeating: 0x5A, count: 64 * batch)
        let (lanesRate, lanesDirect) = bestRates(rounds: rounds, iterations: hashN, { n in
            var left = n
            while left > 0 {
                let count = min(batch, left)
                let digests = batchInput.withUnsafeBytes { BLAKE2b.hash(each: count, of: 64, in: $0) }
                sink &+= digests[count - 1].withUnsafeBytes { $0[0] }
                left -= count
            }
        }, { n in
            sink &+= SodiumFloor.blake2bLoop(message: hashInput, iterations: n)
        })

        var report = BenchReport(name: "crypto")
        report.figures = [
            "sign_per_s": signWrapper, "sign_per_s_libsodium": signDirect,
            "verify_per_s": verifyWrapper, "verify_per_s_libsodium": verifyDirect,
            "blake2b_per_s": hashWrapper, "blake2b_per_s_libsodium": hashDirect,
            "blake2b_four_lanes_per_s": lanesRate,
        ]
        report.ratios = [
            "sign": signWrapper / signDirect,
            "verify": verifyWrapper / verifyDirect,
            "blake2b": hashWrapper / hashDirect,
            "blake2b_four_lanes": lanesRate / lanesDirect,
        ]
        report.lines = [
            "remit bench crypto: one thread, \(BenchFormat.buildMode) build, best of \(rounds) alternating rounds",
            "message: a \(message.count)-byte voucher for sign/verify, 64 bytes for BLAKE2b-256 (sink \(sink % 2))",
            "",
            BenchFormat.pad("operation", 22, left: true) + BenchFormat.pad("RemitCrypto/s", 16) + BenchFormat.pad("libsodium/s", 16) + BenchFormat.pad("ratio", 9),
        ]
        for (label, key, wrapper, direct) in [
            ("Ed25519 sign", "sign", signWrapper, signDirect),
            ("Ed25519 verify", "verify", verifyWrapper, verifyDirect),
            ("BLAKE2b-256 (64 B)", "blake2b", hashWrapper, hashDirect),
            ("BLAKE2b-256 x4 lanes", "blake2b_four_lanes", lanesRate, lanesDirect),
        ] {
            report.lines.append(
                BenchFormat.pad(label, 22, left: true) + BenchFormat.pad(BenchFormat.rate(wrapper), 16)
                    + BenchFormat.pad(BenchFormat.rate(direct), 16) + BenchFormat.pad(BenchFormat.ratio(report.ratios[key]!), 9)
            )
        }
        report.lines.append("")
        report.lines.append("target: every ratio >= 0.95 (wrapper keeps 95% of the direct libsodium rate)")
        report.lines.append("x4 lanes: batches of \(batch) messages, four per compression \(BLAKE2b.hashesFourAtOnce ? "(AVX2)" : "unavailable here: libsodium one at a time")")
        return report
    }
}
