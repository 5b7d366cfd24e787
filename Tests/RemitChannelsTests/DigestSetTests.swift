@testable import RemitChannels
import RemitCrypto
import RemitInference
import Testing

@Suite("Replay set")
struct DigestSetTests {
    @Test("inserts, removals and lookups agree with Set at every step, the zero digest included")
    func agreesWithSet() {
        var rng = SplitMix64(seed: 0xD16E_575E)
        // A small pool so the table keeps long probe runs and removals must move entries back.
        let pool = [Digest32.zero] + (0..<300).map { BLAKE2b.hash([UInt8($0 & 0xFF), UInt8($0 >> 8)]) }
        var table = DigestSet()
        var model: Set<Digest32> = []
        for step in 0..<20_000 {
            let digest = pool[Int(rng.next() % UInt64(pool.count))]
            if rng.next() % 3 == 0 {
                table.remove(digest)
                model.remove(digest)
            } else {
                #expect(table.insert(digest) == model.insert(digest).inserted, "step \(step)")
            }
            #expect(table.count == model.count, "step \(step)")
            if step % 97 == 0 {
                for candidate in pool { #expect(table.contains(candidate) == model.contains(candidate), "step \(step)") }
            }
        }
        for candidate in pool { #expect(table.contains(candidate) == model.contains(candidate)) }
    }

    @Test("sets with the same digests are equal whatever the order they came in")
    func equality() {
        let digests = (0..<500).map { BLAKE2b.hash([UInt8($0 & 0xFF), UInt8($0 >> 8), 7]) } + [.zero]
        let forward = DigestSet(digests)
        var backward = DigestSet(digests.reversed())
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        backward.remove(digests[17])
        #expect(forward != backward)
        backward.insert(BLAKE2b.hash([1, 2, 3, 4]))
        #expect(forward.count == backward.count)
        #expect(forward != backward)
    }
}
