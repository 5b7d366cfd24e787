import RemitCrypto
import Testing

@Suite("BLAKE2b")
struct BLAKE2bTests {
    @Test("RFC 7693 Appendix A: BLAKE2b-512(\"abc\")")
    func rfc7693() throws {
        let out = try BLAKE2b.hash(Array("abc".utf8), outputLength: 64)
        #expect(Hex.encode(out) == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")
    }

    @Test("unkeyed known answers at 256 and 512 bits")
    func unkeyed() throws {
        #expect(BLAKE2b.hash([]).hex == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        #expect(BLAKE2b.hash(Array("abc".utf8)).hex == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
        #expect(BLAKE2b.hash(Array("The quick brown fox jumps over the lazy dog".utf8)).hex
                == "01718cec35cd3d796dd00020e0bfecb473ad23457d063b75eff29c0ffa2e58a9")
        #expect(Hex.encode(try BLAKE2b.hash([], outputLength: 64))
                == "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce")
    }

    /// The BLAKE2 reference suite's blake2b-kat.txt: key = 00..3f, input = 00 01 02 … of each length.
    static let keyedKAT: [(Int, String)] = [
        (0, "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568"),
        (1, "961f6dd1e4dd30f63901690c512e78e4b45e4742ed197c3c5e45c549fd25f2e4187b0bc9fe30492b16b0d0bc4ef9b0f34c7003fac09a5ef1532e69430234cebd"),
        (127, "76d2d819c92bce55fa8e092ab1bf9b9eab237a25267986cacf2b8ee14d214d730dc9a5aa2d7b596e86a1fd8fa0804c77402d2fcd45083688b218b1cdfa0dcbcb"),
        (128, "72065ee4dd91c2d8509fa1fc28a37c7fc9fa7d5b3f8ad3d0d7a25626b57b1b44788d4caf806290425f9890a3a2a35a905ab4b37acfd0da6e4517b2525c9651e4"),
        (129, "64475dfe7600d7171bea0b394e27c9b00d8e74dd1e416a79473682ad3dfdbb706631558055cfc8a40e07bd015a4540dcdea15883cbbf31412df1de1cd4152b91"),
        (255, "142709d62e28fcccd0af97fad0f8465b971e82201dc51070faa0372aa43e92484be1c1e73ba10906d5d1853db6a4106e0a7bf9800d373d6dee2d46d62ef2a461"),
    ]

    @Test("keyed known answers from the reference KAT", arguments: BLAKE2bTests.keyedKAT.map(\.0))
    func keyed(length: Int) throws {
        let expected = BLAKE2bTests.keyedKAT.first { $0.0 == length }!.1
        let key = (0..<64).map { UInt8($0) }
        let input = (0..<length).map { UInt8($0) }
        #expect(Hex.encode(try BLAKE2b.hash(input, outputLength: 64, key: key)) == expected)
        // The same through the streaming interface, one byte at a time.
        let hasher = try BLAKE2b.Hasher(outputLength: 64, key: key)
        for byte in input { hasher.update([byte]) }
        #expect(Hex.encode(hasher.finalize()) == expected)
    }

    @Test("a short key and output length (16-byte key, 20-byte output)")
    func shortKey() throws {
        let out = try BLAKE2b.hash(Array("abc".utf8), outputLength: 20, key: (0..<16).map { UInt8($0) })
        #expect(Hex.encode(out) == "58878af1962af3eda37cc6ca599118b62899dd48")
    }

    @Test("streaming in any split equals one-shot", arguments: [1, 7, 64, 128, 129, 1000])
    func streaming(chunk: Int) {
        let data = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let hasher = try! BLAKE2b.Hasher()
        var index = 0
        while index < data.count {
            hasher.update(Array(data[index..<min(index + chunk, data.count)]))
            index += chunk
        }
        #expect(hasher.finalizeDigest() == BLAKE2b.hash(data))
    }

    @Test("output and key lengths outside the allowed ranges are refused")
    func refusals() {
        for length in [0, 15, 65] {
            let error = #expect(throws: CryptoError.self) { try BLAKE2b.Hasher(outputLength: length) }
            #expect(error?.code == .invalidLength)
        }
        let error = #expect(throws: CryptoError.self) { try BLAKE2b.Hasher(key: [1, 2, 3]) }
        #expect(error?.code == .invalidLength)
    }

    @Test("digest hex round trip and byte order")
    func digestForms() throws {
        let digest = BLAKE2b.hash(Array("abc".utf8))
        #expect(try Digest32(hex: digest.hex) == digest)
        #expect(try Digest32(bytes: digest.bytes) == digest)
        #expect(Digest32.zero < digest)
        let error = #expect(throws: CryptoError.self) { try Digest32(hex: "abcd") }
        #expect(error?.code == .invalidLength)
    }
}

@Suite("Random and constant time")
struct RandomTests {
    @Test("random bytes have the asked length and do not repeat")
    func randomBytes() {
        let a = SecureRandom.bytes(count: 32)
        let b = SecureRandom.bytes(count: 32)
        #expect(a.count == 32)
        #expect(a != b)
        #expect(SecureRandom.digest() != SecureRandom.digest())
        #expect(SecureRandom.bytes(count: 0).isEmpty)
    }

    @Test("constant-time comparison")
    func constantTime() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([], []))
        let d = BLAKE2b.hash([1])
        #expect(ConstantTime.equals(d, d))
        #expect(!ConstantTime.equals(d, BLAKE2b.hash([2])))
    }

    @Test("hex decoding refuses odd lengths and non-hex characters")
    func hex() throws {
        #expect(try Hex.decode("00FFab") == [0, 255, 171])
        #expect(Hex.encode([0, 255, 171]) == "00ffab")
        #expect(throws: CryptoError.self) { try Hex.decode("abc") }
        let error = #expect(throws: CryptoError.self) { try Hex.decode("0g") }
        #expect(error?.message.contains("'g'") == true)
    }
}
