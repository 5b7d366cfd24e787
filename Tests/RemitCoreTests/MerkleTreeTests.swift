import RemitCore
import RemitCrypto
import Testing

@Suite("Merkle trees")
struct MerkleTreeTests {
    /// RFC 9162 §2.1.1's recursive definition, written independently of the library's levels.
    static func reference(_ items: ArraySlice<Digest32>) -> Digest32 {
        if items.isEmpty { return BLAKE2b.hash([]) }
        if items.count == 1 { return BLAKE2b.hash([0] + items.first!.bytes) }
        var k = 1
        while k * 2 < items.count { k *= 2 }
        let left = reference(items.prefix(k))
        let right = reference(items.dropFirst(k))
        return BLAKE2b.hash([1] + left.bytes + right.bytes)
    }

    @Test("roots match RFC 9162's recursive definition and every proof verifies", arguments: Array(0...33))
    func proofs(size: Int) {
        let items = (0..<size).map { BLAKE2b.hash([UInt8($0), 7]) }
        let tree = MerkleTree(items: items)
        #expect(tree.root == MerkleTreeTests.reference(items[...]))
        #expect(MerkleTree.root(of: items) == tree.root)
        for index in 0..<size {
            let proof = tree.proof(at: index)
            #expect(proof.verify(item: items[index], root: tree.root))
            #expect(!proof.verify(item: BLAKE2b.hash([0xFF]), root: tree.root))
            if size > 1 {
                var wrongIndex = proof
                wrongIndex.leafIndex = UInt64((index + 1) % size)
                #expect(!wrongIndex.verify(item: items[index], root: tree.root))
            }
            if !proof.path.isEmpty {
                var altered = proof
                altered.path[0] = BLAKE2b.hash(altered.path[0])
                #expect(!altered.verify(item: items[index], root: tree.root))
            }
        }
    }

    @Test("a proof against a different tree size is refused")
    func wrongSize() {
        let items = (0..<10).map { BLAKE2b.hash([UInt8($0)]) }
        let tree = MerkleTree(items: items)
        var proof = tree.proof(at: 9)
        proof.treeSize = 12
        #expect(!proof.verify(item: items[9], root: tree.root))
        proof.treeSize = 9
        #expect(!proof.verify(item: items[9], root: tree.root))
    }
}
