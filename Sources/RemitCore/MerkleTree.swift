public import RemitCrypto

/// A binary Merkle tree in the shape of RFC 9162 (Certificate Transparency v2) with BLAKE2b-256:
/// leaf = H(0x00 ‖ item), node = H(0x01 ‖ left ‖ right), the root of no items = H(""), and an odd
/// node at the end of a level is carried up unchanged (the same tree as RFC 9162's split at the
/// largest power of two). Used for checkpoint roots, datanet versions and batched receipts.
public struct MerkleTree: Sendable {
    /// `levels[0]` holds the leaf hashes; the last level holds the root alone.
    private let levels: [[Digest32]]

    /// Builds the tree over item digests (each is hashed as a leaf).
    public init(items: [Digest32]) {
        var levels = [MerkleTree.leafHashes(items)]
        while let top = levels.last, top.count > 1 {
            levels.append(MerkleTree.parentLevel(top))
        }
        self.levels = levels
    }

    /// Number of items.
    public var count: Int { levels[0].count }

    /// The root hash.
    public var root: Digest32 { levels.last!.first ?? MerkleTree.emptyRoot }

    /// The root of no items: BLAKE2b-256 of the empty string.
    public static let emptyRoot = BLAKE2b.hash([])

    /// The root over `items` without keeping the tree.
    public static func root(of items: [Digest32]) -> Digest32 {
        guard !items.isEmpty else { return emptyRoot }
        var level = leafHashes(items)
        while level.count > 1 { level = parentLevel(level) }
        return level[0]
    }

    /// The inclusion proof of the item at `index`.
    public func proof(at index: Int) -> MerkleProof {
        precondition(levels[0].indices.contains(index), "leaf \(index) is outside 0..<\(count)")
        var path: [Digest32] = []
        var position = index
        for level in levels.dropLast() {
            let sibling = position ^ 1
            if sibling < level.count { path.append(level[sibling]) }
            position >>= 1
        }
        return MerkleProof(leafIndex: UInt64(index), treeSize: UInt64(count), path: path)
    }

    /// H(0x00 ‖ item). The input is assembled on the stack: a tree hashes about two of these per
    /// item, and a heap array each would cost as much as the hash.
    public static func leafHash(_ item: Digest32) -> Digest32 {
        withUnsafeTemporaryAllocation(byteCount: 33, alignment: 8) { buffer in
            buffer[0] = 0x00
            item.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1..<33]).copyMemory(from: $0) }
            return BLAKE2b.hash(bytes: UnsafeRawBufferPointer(buffer))
        }
    }

    /// H(0x01 ‖ left ‖ right), assembled on the stack like ``leafHash(_:)``.
    public static func nodeHash(_ left: Digest32, _ right: Digest32) -> Digest32 {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
            buffer[0] = 0x01
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1..<33]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[33..<65]).copyMemory(from: $0) }
            return BLAKE2b.hash(bytes: UnsafeRawBufferPointer(buffer))
        }
    }

    /// The leaf hash of every item.
    static func leafHashes(_ items: [Digest32]) -> [Digest32] {
        guard items.count >= 4, BLAKE2b.hashesFourAtOnce else { return items.map(leafHash) }
        return prefixedHashes(0x00, items, per: 1)
    }

    /// The level above `level`: each pair's node hash, an odd last node carried up unchanged.
    private static func parentLevel(_ level: [Digest32]) -> [Digest32] {
        let pairs = level.count / 2
        var next = pairs >= 4 && BLAKE2b.hashesFourAtOnce
            ? prefixedHashes(0x01, level, per: 2)
            : (0..<pairs).map { nodeHash(level[2 * $0], level[2 * $0 + 1]) }
        if level.count % 2 == 1 { next.append(level[level.count - 1]) }
        return next
    }

    /// H(prefix ‖ d1 ‖ … ‖ d`per`) of each whole group of `per` consecutive digests, the inputs
    /// laid end to end so that ``BLAKE2b/hash(each:of:in:)`` hashes four per compression.
    private static func prefixedHashes(_ prefix: UInt8, _ digests: [Digest32], per: Int) -> [Digest32] {
        let groups = digests.count / per
        let length = 1 + 32 * per
        var input = [UInt8](repeating: prefix, count: length * groups)
        input.withUnsafeMutableBytes { buffer in
            digests.withUnsafeBytes { raw in
                for group in 0..<groups {
                    UnsafeMutableRawBufferPointer(rebasing: buffer[(length * group + 1)..<(length * (group + 1))])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[(32 * per * group)..<(32 * per * (group + 1))]))
                }
            }
        }
        return input.withUnsafeBytes { BLAKE2b.hash(each: groups, of: length, in: $0) }
    }
}

/// An inclusion proof: the sibling hashes from a leaf up to the root (RFC 9162 §2.1.3).
public struct MerkleProof: Hashable, Sendable, Codable {
    /// Position of the item, from 0.
    public var leafIndex: UInt64
    /// Number of items in the tree.
    public var treeSize: UInt64
    /// Sibling hashes, leaf level first.
    public var path: [Digest32]

    /// Creates a proof.
    public init(leafIndex: UInt64, treeSize: UInt64, path: [Digest32]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.path = path
    }

    /// The root this proof gives for `item`, or nil when the proof is malformed for its size.
    public func root(for item: Digest32) -> Digest32? {
        guard leafIndex < treeSize else { return nil }
        var fn = leafIndex
        var sn = treeSize - 1
        var r = MerkleTree.leafHash(item)
        for p in path {
            guard sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                r = MerkleTree.nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleTree.nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? r : nil
    }

    /// True when `item` is in the tree with `root` at ``leafIndex``.
    public func verify(item: Digest32, root: Digest32) -> Bool {
        guard let computed = self.root(for: item) else { return false }
        return ConstantTime.equals(computed, root)
    }
}
