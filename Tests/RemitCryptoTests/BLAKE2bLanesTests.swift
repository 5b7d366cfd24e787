import Foundation
import RemitCrypto
import Testing

@Suite("BLAKE2b four lanes")
struct BLAKE2bLanesTests {
    /// Deterministic bytes without a generator dependency: BLAKE2b of a counter, repeated.
    static func message(_ n: Int, length: Int) -> [UInt8] {
        var out: [UInt8] = []
        var block = 0
        while out.count < length {
            out += BLAKE2b.hash([UInt8(n & 0xFF), UInt8(n >> 8), UInt8(block)]).bytes
            block += 1
        }
        return Array(out.prefix(length))
    }

    @Test("known answers come out of every lane")
    func knownAnswers() {
        let inputs = [[], Array("abc".utf8), Array("The quick brown fox jumps over the lazy dog".utf8), Array("abc".utf8)]
        let expected = [
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
            "01718cec35cd3d796dd00020e0bfecb473ad23457d063b75eff29c0ffa2e58a9",
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
        ]
        #expect(BLAKE2b.hash(each: inputs).map(\.hex) == expected)
    }

    @Test("every length from 0 to 600 bytes, mixed in one batch, matches libsodium one by one")
    func everyLength() {
        // Lengths around each block boundary land in the same and in different groups of four.
        let messages = (0...600).map { Self.message($0, length: $0) } + (0...600).reversed().map { Self.message($0 + 1_000, length: $0) }
        #expect(BLAKE2b.hash(each: messages) == messages.map { BLAKE2b.hash($0) })
    }

    @Test("equal-length messages laid end to end match libsodium, whatever the count")
    func contiguous() {
        for length in [0, 1, 32, 33, 65, 127, 128, 129, 441] {
            for count in [0, 1, 3, 4, 5, 8, 13] {
                let messages = (0..<count).map { Self.message($0 * 7 + length, length: length) }
                let joined = messages.flatMap { $0 }
                let digests = joined.withUnsafeBytes { BLAKE2b.hash(each: count, of: length, in: $0) }
                #expect(digests == messages.map { BLAKE2b.hash($0) }, "\(count) messages of \(length) bytes")
            }
        }
    }

    @Test("four lanes are used exactly when the CPU reports AVX2")
    func lanesInUse() throws {
        #if arch(x86_64) && os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }.map { $0.split(separator: " ").map(String.init) } ?? []
        #expect(BLAKE2b.hashesFourAtOnce == flags.contains("avx2"))
        #elseif !arch(x86_64)
        #expect(!BLAKE2b.hashesFourAtOnce)
        #endif
    }
}
