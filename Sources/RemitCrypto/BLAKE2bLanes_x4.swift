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
        // Messages of equal block count share a compression; gather them four at a time.
        var waiting: [Int: [Int]] = [:]
        for (index, message) in messages.enumerated() {
            let blocks = max(1, (message.count + 127) / 128)
            var group = waiting[blocks, default: []]
            group.append(index)
            if group.count == 4 {
                hashFour(group.map { messages[$0] }, into: &digests, at: group)
                group.removeAll(keepingCapacity: true)
            }
            waiting[blocks] = group
        }
        for group in waiting.values {
            for index in group { digests[index] = hash(messages[index]) }
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

    private static func hashFour(_ four: [[UInt8]], into digests: inout [Digest32], at indices: [Int]) {
        var out = [UInt8](repeating: 0, count: 128)
        let status = four[0].withUnsafeBufferPointer { a in
            four[1].withUnsafeBufferPointer { b in
                four[2].withUnsafeBufferPointer { c in
                    four[3].withUnsafeBufferPointer { d in
                        remit_blake2b256_x4(a.baseAddress, a.count, b.baseAddress, b.count, c.baseAddress, c.count, d.baseAddress, d.count, &out)
                    }
                }
            }
        }
        precondition(status == 0, "four-lane BLAKE2b refused messages of equal block count")
        for (lane, index) in indices.enumerated() {
            digests[index] = out.withUnsafeBytes { Digest32(bytes32: Bytes32(copying: UnsafeRawBufferPointer(rebasing: $0[(32 * lane)..<(32 * lane + 32)]))) }
        }
    }
}
