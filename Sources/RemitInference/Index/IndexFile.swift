public import RemitCore

/// The container every model index is stored in (docs/PROTOCOL.md §10.3): a 16-byte header, a
/// table of sections, then the sections, each starting at a multiple of 8 bytes. Integers are
/// little-endian (the index is read in place through a memory map, and every supported CPU is
/// little-endian).
///
/// Header: magic `REMITIDX` (8 bytes), format version u32 (1), section count u32; then per
/// section 24 bytes: tag (4 ASCII bytes), element width u32 (1, 4 or 8), offset u64 from the file
/// start, length u64 in bytes.
public struct IndexFile: Sendable {
    /// The magic bytes.
    public static let magic: [UInt8] = Array("REMITIDX".utf8)
    /// The container format version this build writes and reads.
    public static let formatVersion: UInt32 = 1

    /// One named section.
    public struct Section: Sendable {
        /// Four ASCII letters.
        public var tag: String
        /// Width of one element in bytes.
        public var width: UInt32
        /// The section's bytes.
        public var bytes: [UInt8]
    }

    /// Writes sections into one buffer.
    public struct Writer: Sendable {
        private var sections: [Section] = []

        /// Starts an empty container.
        public init() {}

        /// Adds raw bytes.
        public mutating func add(_ tag: String, bytes: [UInt8]) {
            precondition(tag.utf8.count == 4, "section tag \(tag) must be 4 ASCII bytes")
            sections.append(Section(tag: tag, width: 1, bytes: bytes))
        }

        /// Adds u32 values (little-endian).
        public mutating func add(_ tag: String, u32 values: [UInt32]) {
            var bytes = [UInt8](repeating: 0, count: values.count * 4)
            bytes.withUnsafeMutableBytes { raw in
                for (i, v) in values.enumerated() { raw.storeBytes(of: v.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            }
            sections.append(Section(tag: tag, width: 4, bytes: bytes))
        }

        /// Adds u64 values (little-endian).
        public mutating func add(_ tag: String, u64 values: [UInt64]) {
            var bytes = [UInt8](repeating: 0, count: values.count * 8)
            bytes.withUnsafeMutableBytes { raw in
                for (i, v) in values.enumerated() { raw.storeBytes(of: v.littleEndian, toByteOffset: i * 8, as: UInt64.self) }
            }
            sections.append(Section(tag: tag, width: 8, bytes: bytes))
        }

        /// Adds binary64 values (IEEE 754 bit patterns, little-endian).
        public mutating func add(_ tag: String, f64 values: [Double]) {
            var bytes = [UInt8](repeating: 0, count: values.count * 8)
            bytes.withUnsafeMutableBytes { raw in
                for (i, v) in values.enumerated() { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self) }
            }
            sections.append(Section(tag: tag, width: 8, bytes: bytes))
        }

        /// Adds a list of byte strings as two sections: `offsetsTag` (u64 offsets, count + 1) and `bytesTag`.
        public mutating func add(strings: [[UInt8]], offsetsTag: String, bytesTag: String) {
            var offsets: [UInt64] = [0]
            var blob: [UInt8] = []
            for s in strings {
                blob += s
                offsets.append(UInt64(blob.count))
            }
            add(offsetsTag, u64: offsets)
            add(bytesTag, bytes: blob)
        }

        /// The container's bytes.
        public func bytes() -> [UInt8] {
            var out: [UInt8] = []
            let headerSize = 16 + 24 * sections.count
            var offset = (headerSize + 7) & ~7
            var table: [(Section, Int)] = []
            for section in sections {
                table.append((section, offset))
                offset = (offset + section.bytes.count + 7) & ~7
            }
            out.reserveCapacity(offset)
            out += IndexFile.magic
            append(IndexFile.formatVersion, to: &out)
            append(UInt32(sections.count), to: &out)
            for (section, at) in table {
                out += section.tag.utf8
                append(section.width, to: &out)
                append(UInt64(at), to: &out)
                append(UInt64(section.bytes.count), to: &out)
            }
            for (section, at) in table {
                out += [UInt8](repeating: 0, count: at - out.count)
                out += section.bytes
            }
            out += [UInt8](repeating: 0, count: offset - out.count)
            return out
        }

        private func append(_ v: UInt32, to out: inout [UInt8]) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        private func append(_ v: UInt64, to out: inout [UInt8]) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
    }

    /// The storage the sections point into (kept alive by this value).
    public let storage: IndexStorage
    private let table: [String: (width: UInt32, range: Range<Int>)]

    /// Parses the header and section table of `storage` (nothing else is read).
    public init(storage: IndexStorage, name: String) throws(RemitError) {
        self.storage = storage
        let b = storage.bytes
        guard b.count >= 16, Array(b[0..<8]) == IndexFile.magic else {
            throw RemitError(.indexInvalid, "\(name) is not a Remit index (it does not start with REMITIDX)")
        }
        let version = b.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
        guard version == IndexFile.formatVersion else {
            throw RemitError(.indexInvalid, "\(name) has index format version \(version); this build reads version \(IndexFile.formatVersion)")
        }
        let count = Int(b.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian)
        guard count <= 64, 16 + 24 * count <= b.count else {
            throw RemitError(.indexInvalid, "\(name) claims \(count) sections; its table does not fit in \(b.count) bytes")
        }
        var table: [String: (UInt32, Range<Int>)] = [:]
        for i in 0..<count {
            let at = 16 + 24 * i
            let tag = String(decoding: b[at..<(at + 4)], as: UTF8.self)
            let width = b.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self).littleEndian
            let offset = b.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self).littleEndian
            let length = b.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self).littleEndian
            guard offset % 8 == 0, offset <= UInt64(b.count), length <= UInt64(b.count) - offset, [1, 4, 8].contains(width), length % UInt64(width) == 0 else {
                throw RemitError(.indexInvalid, "\(name) section \(tag) (offset \(offset), length \(length), width \(width)) is misaligned or runs past the end of the file")
            }
            table[tag] = (width, Int(offset)..<Int(offset + length))
        }
        self.table = table
    }

    /// True when the container has the section.
    public func has(_ tag: String) -> Bool { table[tag] != nil }

    private func range(_ tag: String, width: UInt32) throws(RemitError) -> Range<Int> {
        guard let entry = table[tag] else { throw RemitError(.indexInvalid, "index has no \(tag) section") }
        guard entry.width == width else {
            throw RemitError(.indexInvalid, "index section \(tag) has \(entry.width)-byte elements, expected \(width)")
        }
        return entry.range
    }

    /// A section's raw bytes.
    public func bytes(_ tag: String) throws(RemitError) -> UnsafeRawBufferPointer {
        let r = try range(tag, width: 1)
        return UnsafeRawBufferPointer(rebasing: storage.bytes[r])
    }

    /// A section of u32 values, read in place (the map is 8-byte aligned).
    public func u32(_ tag: String) throws(RemitError) -> UnsafeBufferPointer<UInt32> {
        let r = try range(tag, width: 4)
        let base = storage.bytes.baseAddress!.advanced(by: r.lowerBound)
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt32.self), count: r.count / 4)
    }

    /// A section of u64 values, read in place.
    public func u64(_ tag: String) throws(RemitError) -> UnsafeBufferPointer<UInt64> {
        let r = try range(tag, width: 8)
        let base = storage.bytes.baseAddress!.advanced(by: r.lowerBound)
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt64.self), count: r.count / 8)
    }

    /// A section of binary64 values, read in place.
    public func f64(_ tag: String) throws(RemitError) -> UnsafeBufferPointer<Double> {
        let r = try range(tag, width: 8)
        let base = storage.bytes.baseAddress!.advanced(by: r.lowerBound)
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: Double.self), count: r.count / 8)
    }

    /// A list of byte strings stored by ``Writer/add(strings:offsetsTag:bytesTag:)``.
    public func strings(offsetsTag: String, bytesTag: String) throws(RemitError) -> StringTable {
        let offsets = try u64(offsetsTag)
        let blob = try bytes(bytesTag)
        guard let first = offsets.first, first == 0, offsets.last.map({ $0 == UInt64(blob.count) }) == true,
              zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw RemitError(.indexInvalid, "index string table \(offsetsTag)/\(bytesTag) has offsets that do not fit its \(blob.count) bytes")
        }
        return StringTable(offsets: offsets, blob: blob)
    }
}

/// A list of byte strings in an index, read in place.
public struct StringTable: @unchecked Sendable {  // no lock: points into immutable IndexStorage that its owner keeps alive
    let offsets: UnsafeBufferPointer<UInt64>
    let blob: UnsafeRawBufferPointer

    /// Number of strings.
    public var count: Int { offsets.count - 1 }

    /// The bytes of string `i`.
    public subscript(i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: blob[Int(offsets[i])..<Int(offsets[i + 1])])
    }

    /// String `i` decoded as UTF-8.
    public func string(_ i: Int) -> String { String(decoding: self[i], as: UTF8.self) }
}
