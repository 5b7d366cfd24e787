import Testing
@testable import RemitInference

@Suite("SA-IS suffix array")
struct SuffixArrayTests {
    static func naive(_ text: [UInt32]) -> [UInt32] {
        text.indices.sorted { text[$0...].lexicographicallyPrecedes(text[$1...]) }.map(UInt32.init)
    }

    @Test("agrees with sorting suffixes directly on seeded random texts", arguments: [(2, 1), (3, 2), (4, 3), (50, 4), (1000, 5)])
    func random(alphabet: Int, seed: UInt64) {
        for length in [1, 2, 3, 7, 64, 257, 1500] {
            let text = Fixture.randomTokens(seed: seed &* 31 &+ UInt64(length), count: length, alphabet: alphabet)
            #expect(SuffixArray.build(text, alphabetSize: alphabet) == SuffixArrayTests.naive(text), "alphabet \(alphabet) length \(length)")
        }
    }

    @Test("runs and periodic texts (the recursion's hard cases)")
    func periodic() {
        let texts: [[UInt32]] = [
            [UInt32](repeating: 1, count: 100),
            (0..<300).map { UInt32($0 % 3) },
            (0..<512).map { UInt32(($0 * $0) % 7 == 0 ? 0 : 1) },
            [1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0],
        ]
        for text in texts {
            #expect(SuffixArray.build(text, alphabetSize: 8) == SuffixArrayTests.naive(text))
        }
        #expect(SuffixArray.build([], alphabetSize: 1) == [])
    }
}
