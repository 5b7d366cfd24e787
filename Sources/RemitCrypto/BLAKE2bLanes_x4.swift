internal import CBlake2bx4

/// Many BLAKE2b-256 digests at once: four messages per AVX2 compression when the CPU has AVX2
/// (Sources/CBlake2bx4), one at a time through libsodium otherwise. The digests are exactly
/// ``BLAKE2b/hash(_:)``'s (the tests compare them). A tick payment hashes its receipt and
/// two Merkle nodes on each side; hashed as independent batches they cost about a third.
extension BLAKE2b {
    /// True when this CPU hashes four messages per compression.
    public static let hashesFourAtOnce: Bool = remit_blake2b_x4_available() == 1

    /// BLAKE2b-256 of each message, in order.
    public static func hash(each messages: [[UInt8]]) -> [Digest32] {
        var digests = [Digest32](repeating: .zero, count: messages.count)
        guard hashesFourAtOnce, messages.count >= 4 else {
            for (index, message) in messages.enumerated() { digests[index] = hash(message) }
            return digests
        }
        // Four messages of equal block count share a compression. Consecutive messages usually
        // qualify (the receipts of a run have the same shape); the rest are grouped by count.
        func blocks(_ index: Int) -> Int { max(1, (messages[index].count + 127) / 128) }
        var others: [Int: [Int]] = [:]
        var index = 0
        while index < messages.count {
            let count = blocks(index)
            if index + 4 <= messages.count, blocks(index + 1) == count, blocks(index + 2) == count, blocks(index + 3) == count {
                hashFour(messages, index, index + 1, index + 2, index + 3, into: &digests)
                index += 4
            } else {
                others[count, default: []].append(index)
                index += 1
            }
        }
        for group in others.values {
            var start = 0
            while start + 4 <= group.count {
                hashFour(messages, group[start], group[start + 1], group[start + 2], group[start + 3], into: &digests)
                start += 4
            }
            for index in group[start...] { digests[index] = hash(messages[index]) }
        }
        return digests
    }

    /// BLAKE2b-256 of `count` messages of `length` bytes each, laid end to end in `bytes`.
    public static func hash(each count: Int, of length: Int, in bytes: UnsafeRawBufferPointer) -> [Digest32] {
        precondition(count >= 0 && length >= 0 && bytes.count >= count * length, "\(count) messages of \(length) bytes need \(count * length) bytes, not \(bytes.count)")
        var digests = [Digest32](repeating: .zero, count: count)
        var index = 0
        if hashesFourAtOnce, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            digests.withUnsafeMutableBytes { out in
                let outBase = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
                while index + 4 <= count {
                    let at = base + index * length
                    let status = remit_blake2b256_x4(at, length, at + length, length, at + 2 * length, length, at + 3 * length, length, outBase + 32 * index)
                    precondition(status == 0, "four-lane BLAKE2b refused messages of equal length")
                    index += 4
                }
            }
        }
        while index < count {
            digests[index] = hash(bytes: UnsafeRawBufferPointer(rebasing: bytes[(index * length)..<((index + 1) * length)]))
            index += 1
        }
        return digests
    }

    /// Walks four hash chains at once: each step replaces every lane's value by its BLAKE2b-256.
    /// Returns the values after each step, step-major (`[step * 4 + lane]`). Four lanes only.
    static func walkFour(_ starts: [Digest32], steps: Int) -> [Digest32] {
        precondition(hashesFourAtOnce && starts.count == 4 && steps >= 0, "walkFour needs AVX2 and four starting values")
        var values = [Digest32](repeating: .zero, count: 4 * steps)
        guard steps > 0 else { return values }
        let status = starts.withUnsafeBytes { start in
            values.withUnsafeMutableBytes { out in
                remit_blake2b256_x4_chains(start.baseAddress!.assumingMemoryBound(to: UInt8.self), steps, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        precondition(status == 0, "four-lane BLAKE2b chain walk failed")
        return values
    }

    /// Hashes messages `a`, `b`, `c`, `d` (of equal block count) into their places in `digests`.
    private static func hashFour(_ messages: [[UInt8]], _ a: Int, _ b: Int, _ c: Int, _ d: Int, into digests: inout [Digest32]) {
        let status = digests.withUnsafeMutableBytes { out in
            // The four digests go to a scratch block, then to their places (they need not be adjacent).
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { scratch in
                let status = messages[a].withUnsafeBufferPointer { ma in
                    messages[b].withUnsafeBufferPointer { mb in
                        messages[c].withUnsafeBufferPointer { mc in
                            messages[d].withUnsafeBufferPointer { md in
                                remit_blake2b256_x4(ma.baseAddress, ma.count, mb.baseAddress, mb.count, mc.baseAddress, mc.count,
                                                    md.baseAddress, md.count, scratch.baseAddress!)
                            }
                        }
                    }
                }
                for (lane, index) in [a, b, c, d].enumerated() {
                    UnsafeMutableRawBufferPointer(rebasing: out[(32 * index)..<(32 * index + 32)])
                        .copyMemory(from: UnsafeRawBufferPointer(start: scratch.baseAddress! + 32 * lane, count: 32))
                }
                return status
            }
        }
        precondition(status == 0, "four-lane BLAKE2b refused messages of equal block count")
    }
}
