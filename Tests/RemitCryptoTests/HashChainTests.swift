import RemitCrypto
import Testing

@Suite("Hash chains")
struct HashChainTests {
    @Test("each link hashes to the one before it, down to the root", arguments: [1, 5, 256, 257, 1000])
    func links(length: Int) {
        let seed = BLAKE2b.hash(Array("seed".utf8))
        let chain = HashChain(seed: seed, length: length, stride: 16)
        #expect(chain.link(at: length) == seed)
        #expect(chain.root == chain.link(at: 0))
        for index in 0..<length {
            #expect(HashChain.step(chain.link(at: index + 1)) == chain.link(at: index))
        }
        let run = chain.links(0...length)
        #expect(run == (0...length).map { chain.link(at: $0) })
    }

    @Test("any range of links matches the links one by one, across stretches and up to the chain's end")
    func ranges() {
        let seed = BLAKE2b.hash(Array("ranges".utf8))
        for (length, stride) in [(1_000, 16), (1_027, 64), (64, 64), (5, 256), (4_100, 256)] {
            let chain = HashChain(seed: seed, length: length, stride: stride)
            let all = (0...length).map { chain.link(at: $0) }
            let ranges = [(0, length), (1, length - 1), (stride, stride), (stride - 1, 3 * stride + 1), (length - stride - 3, length),
                          (length / 2, length / 2 + 5 * stride + 7), (0, 4 * stride - 1), (4 * stride, 8 * stride - 1)]
            for (low, high) in ranges where 0 <= low && low <= high && high <= length {
                #expect(chain.links(low...high) == Array(all[low...high]), "length \(length), stride \(stride), range \(low)...\(high)")
            }
        }
    }

    @Test("the same seed gives the same chain whatever the stride")
    func strideIndependent() {
        let seed = BLAKE2b.hash([7])
        let a = HashChain(seed: seed, length: 300, stride: 1)
        let b = HashChain(seed: seed, length: 300, stride: 256)
        #expect(a.root == b.root)
        #expect(a.links(100...200) == b.links(100...200))
    }

    @Test("verify accepts k steps exactly and refuses anything else")
    func verify() {
        let chain = HashChain(seed: BLAKE2b.hash([9]), length: 50)
        #expect(HashChain.verify(chain.link(at: 1), steps: 1, reaches: chain.root))
        #expect(HashChain.verify(chain.link(at: 30), steps: 10, reaches: chain.link(at: 20)))
        #expect(!HashChain.verify(chain.link(at: 30), steps: 9, reaches: chain.link(at: 20)))
        #expect(!HashChain.verify(chain.link(at: 30), steps: 11, reaches: chain.link(at: 20)))
        #expect(!HashChain.verify(chain.link(at: 20), steps: 0, reaches: chain.link(at: 20)))
        #expect(!HashChain.verify(BLAKE2b.hash([1]), steps: 1, reaches: chain.root))
        // The root computed from the seed by hand: H^n(seed).
        var value = BLAKE2b.hash([9])
        for _ in 0..<50 { value = BLAKE2b.hash(value) }
        #expect(value == chain.root)
    }
}
