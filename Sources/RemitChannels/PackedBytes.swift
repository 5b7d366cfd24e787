/// Length-prefixed concatenation of byte strings (u32 big-endian lengths): how books stored the
/// receipts of a batch in one row before ``StoredReceipts``. ``packRun(_:)`` stored each item as
/// its difference from the one before. Both still read (``StoredReceipts/decode(_:)``); nothing
/// writes them any more except tests that make older rows.
enum PackedBytes {
    /// Marks a row written by ``packRun(_:)``. A row of ``pack(_:)`` starts with its first item's
    /// u32 length, and no row holds an item of 0xFF44_3100 bytes (4 GiB), so the two never mix up.
    private static let runMagic: [UInt8] = [0xFF, 0x44, 0x31, 0x00]

    static func pack(_ items: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(0) { $0 + $1.count + 4 })
        for item in items {
            appendLength(item.count, to: &out)
            out += item
        }
        return out
    }

    /// Packs `items` as differences: each item is stored as the length of the prefix and of the
    /// suffix it shares with the item before, then the bytes in between. Consecutive receipts of
    /// a run share the domain tag, ledger, channel and usually the model and attribution, so a
    /// 441-byte receipt costs its changed fields plus 12 bytes. Storing fewer bytes is what
    /// makes a tick run's write cheap (the WAL copy, the page cache and the checkpoint all scale
    /// with them); ``unpack(_:)`` restores the exact bytes.
    static func packRun(_ items: [[UInt8]]) -> [UInt8] {
        var out = runMagic
        out.reserveCapacity(64 * items.count + (items.first?.count ?? 0))
        var previous: [UInt8] = []
        for item in items {
            let (prefix, suffix) = shared(previous, item)
            appendLength(prefix, to: &out)
            appendLength(suffix, to: &out)
            appendLength(item.count - prefix - suffix, to: &out)
            out += item[prefix..<(item.count - suffix)]
            previous = item
        }
        return out
    }

    /// Unpacks a row of either ``pack(_:)`` or ``packRun(_:)``; a malformed tail is dropped.
    static func unpack(_ bytes: [UInt8]) -> [[UInt8]] {
        if bytes.starts(with: runMagic) { return unpackRun(bytes) }
        var out: [[UInt8]] = []
        var offset = 0
        while offset + 4 <= bytes.count {
            let n = readLength(bytes, at: offset)
            offset += 4
            guard offset + n <= bytes.count else { break }
            out.append(Array(bytes[offset..<(offset + n)]))
            offset += n
        }
        return out
    }

    private static func unpackRun(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var offset = runMagic.count
        var previous: [UInt8] = []
        while offset + 12 <= bytes.count {
            let prefix = readLength(bytes, at: offset)
            let suffix = readLength(bytes, at: offset + 4)
            let middle = readLength(bytes, at: offset + 8)
            offset += 12
            guard prefix + suffix <= previous.count, offset + middle <= bytes.count else { break }
            var item: [UInt8] = []
            item.reserveCapacity(prefix + middle + suffix)
            item += previous[0..<prefix]
            item += bytes[offset..<(offset + middle)]
            item += previous[(previous.count - suffix)...]
            offset += middle
            out.append(item)
            previous = item
        }
        return out
    }

    /// Lengths of the common prefix and of the common suffix of `a` and `b`, not overlapping in
    /// either, compared eight bytes at a time.
    private static func shared(_ a: [UInt8], _ b: [UInt8]) -> (prefix: Int, suffix: Int) {
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                let limit = min(a.count, b.count)
                var prefix = 0
                while prefix + 8 <= limit, a.loadUnaligned(fromByteOffset: prefix, as: UInt64.self) == b.loadUnaligned(fromByteOffset: prefix, as: UInt64.self) {
                    prefix += 8
                }
                while prefix < limit, a[prefix] == b[prefix] { prefix += 1 }
                let room = limit - prefix
                var suffix = 0
                while suffix + 8 <= room,
                      a.loadUnaligned(fromByteOffset: a.count - suffix - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: b.count - suffix - 8, as: UInt64.self) {
                    suffix += 8
                }
                while suffix < room, a[a.count - suffix - 1] == b[b.count - suffix - 1] { suffix += 1 }
                return (prefix, suffix)
            }
        }
    }

    private static func appendLength(_ n: Int, to out: inout [UInt8]) {
        let n = UInt32(n)
        out.append(UInt8(n >> 24))
        out.append(UInt8((n >> 16) & 0xFF))
        out.append(UInt8((n >> 8) & 0xFF))
        out.append(UInt8(n & 0xFF))
    }

    private static func readLength(_ bytes: [UInt8], at offset: Int) -> Int {
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }
}
