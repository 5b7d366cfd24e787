public import RemitCrypto

/// Writes the canonical byte encoding that every signature and every hash in Remit covers
/// (docs/PROTOCOL.md §Encoding): big-endian fixed-width integers, raw 32-byte ids and keys,
/// u32-length-prefixed byte strings and UTF-8 strings, u32-count-prefixed lists, optionals as a
/// 0/1 byte then the value. A domain tag is ASCII followed by one 0x00 byte.
public struct CanonicalWriter: Sendable {
    /// The buffer, zero past `count`. Fixed-width fields are stored straight into it instead of
    /// appended: an append of a few bytes is a call into memmove, and a receipt has twenty fields
    /// (in `remit bench channel` the appends were ~7% of a tick payment's CPU).
    private var buffer: [UInt8]
    private var count = 0

    /// The bytes written so far.
    public var bytes: [UInt8] { count == buffer.count ? buffer : Array(buffer[0..<count]) }

    /// Starts an empty encoding with room for `capacity` bytes (it grows past them as needed).
    public init(capacity: Int = 128) {
        buffer = [UInt8](repeating: 0, count: max(capacity, 0))
    }

    /// A domain tag: its ASCII bytes and a 0x00 terminator.
    public mutating func writeTag(_ tag: String) {
        append(Array(tag.utf8))
        write(UInt8(0))
    }

    /// A message type's domain tag and its 0x00 terminator.
    public mutating func writeTag(_ type: MessageType) { append(type.tagBytes) }

    public mutating func write(_ value: UInt8) {
        reserve(1)
        buffer[count] = value
        count += 1
    }

    public mutating func write(_ value: Bool) { write(UInt8(value ? 1 : 0)) }

    public mutating func write(_ value: UInt16) { store(value.bigEndian) }

    public mutating func write(_ value: UInt32) { store(value.bigEndian) }

    public mutating func write(_ value: UInt64) { store(value.bigEndian) }

    /// An amount: its units as a u64.
    public mutating func write(_ value: Amount) { store(UInt64(value.units).bigEndian) }

    public mutating func write(_ value: Digest32) { value.withUnsafeBytes { store32($0) } }

    public mutating func write(_ value: PublicKey) { value.withUnsafeBytes { store32($0) } }

    public mutating func write(_ value: Signature) { append(value.bytes) }

    public mutating func write(_ value: some DigestIdentifier) { write(value.digest) }

    /// A byte string: u32 length, then the bytes.
    public mutating func writeBytes(_ value: [UInt8]) {
        write(UInt32(value.count))
        append(value)
    }

    /// A UTF-8 string: u32 length, then the bytes.
    public mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(UInt32(utf8.count))
        append(utf8)
    }

    /// A list: u32 count, then each element as `body` writes it.
    public mutating func writeList<Element>(_ values: [Element], _ body: (inout CanonicalWriter, Element) -> Void) {
        write(UInt32(values.count))
        for value in values { body(&self, value) }
    }

    /// An optional: 0x00 when absent, else 0x01 and the value as `body` writes it.
    public mutating func writeOptional<Value>(_ value: Value?, _ body: (inout CanonicalWriter, Value) -> Void) {
        if let value {
            write(UInt8(1))
            body(&self, value)
        } else {
            write(UInt8(0))
        }
    }

    /// Makes room for `n` more bytes: at least doubling, so appends stay amortised O(1).
    private mutating func reserve(_ n: Int) {
        guard count + n > buffer.count else { return }
        buffer.append(contentsOf: repeatElement(0, count: max(count + n, buffer.count * 2) - buffer.count))
    }

    /// Stores an integer already in big-endian order (its memory is the encoding).
    private mutating func store<T: FixedWidthInteger>(_ bigEndian: T) {
        let width = MemoryLayout<T>.size
        reserve(width)
        let at = count
        buffer.withUnsafeMutableBytes { $0.storeBytes(of: bigEndian, toByteOffset: at, as: T.self) }
        count += width
    }

    /// Stores exactly 32 bytes as four words.
    private mutating func store32(_ raw: UnsafeRawBufferPointer) {
        reserve(32)
        let at = count
        buffer.withUnsafeMutableBytes { out in
            for word in 0..<4 {
                out.storeBytes(of: raw.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self), toByteOffset: at + word * 8, as: UInt64.self)
            }
        }
        count += 32
    }

    private mutating func append(_ value: [UInt8]) {
        reserve(value.count)
        let at = count
        buffer.withUnsafeMutableBytes { out in
            value.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[at..<(at + $0.count)]).copyMemory(from: $0) }
        }
        count += value.count
    }
}
