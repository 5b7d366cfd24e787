public import RemitCrypto

/// Writes the canonical byte encoding that every signature and every hash in Remit covers
/// (docs/PROTOCOL.md §Encoding): big-endian fixed-width integers, raw 32-byte ids and keys,
/// u32-length-prefixed byte strings and UTF-8 strings, u32-count-prefixed lists, optionals as a
/// 0/1 byte then the value. A domain tag is ASCII followed by one 0x00 byte.
public struct CanonicalWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Starts an empty encoding.
    public init(capacity: Int = 128) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// A domain tag: its ASCII bytes and a 0x00 terminator.
    public mutating func writeTag(_ tag: String) {
        bytes += tag.utf8
        bytes.append(0)
    }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func write(_ value: UInt16) { writeBigEndian(UInt64(value), width: 2) }

    public mutating func write(_ value: UInt32) { writeBigEndian(UInt64(value), width: 4) }

    public mutating func write(_ value: UInt64) { writeBigEndian(value, width: 8) }

    /// An amount: its units as a u64.
    public mutating func write(_ value: Amount) { writeBigEndian(UInt64(value.units), width: 8) }

    public mutating func write(_ value: Digest32) { value.withUnsafeBytes { bytes += $0 } }

    public mutating func write(_ value: PublicKey) { value.withUnsafeBytes { bytes += $0 } }

    public mutating func write(_ value: Signature) { bytes += value.bytes }

    public mutating func write(_ value: some DigestIdentifier) { write(value.digest) }

    /// A byte string: u32 length, then the bytes.
    public mutating func writeBytes(_ value: [UInt8]) {
        write(UInt32(value.count))
        bytes += value
    }

    /// A UTF-8 string: u32 length, then the bytes.
    public mutating func write(_ value: String) {
        write(UInt32(value.utf8.count))
        bytes += value.utf8
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

    private mutating func writeBigEndian(_ value: UInt64, width: Int) {
        // The low `width` bytes of the value, most significant first.
        let shifted = (value << UInt64((8 - width) * 8)).bigEndian
        withUnsafeBytes(of: shifted) { bytes.append(contentsOf: $0.prefix(width)) }
    }
}
