public import RemitCrypto

/// Reads the canonical encoding written by ``CanonicalWriter``; every read checks the remaining
/// length and throws a ``RemitError`` that names the field, so truncated or padded input is refused.
public struct CanonicalReader: Sendable {
    private let bytes: [UInt8]
    /// Offset of the next unread byte.
    public private(set) var offset: Int = 0

    /// Reads from `bytes`, starting at the first byte.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    /// Refuses any byte left after the last field.
    public func expectEnd(_ what: String) throws(RemitError) {
        guard remaining == 0 else {
            throw RemitError(.messageBadLength, "\(what) has \(remaining) unexpected bytes after its last field")
        }
    }

    private mutating func take(_ count: Int, _ field: String) throws(RemitError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else {
            throw RemitError(.messageBadLength, "field \(field) needs \(count) bytes at offset \(offset) but only \(remaining) remain")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// Reads a domain tag (ASCII up to a 0x00 byte, at most 64 characters).
    public mutating func readTag() throws(RemitError) -> String {
        guard let end = bytes[offset...].prefix(65).firstIndex(of: 0) else {
            throw RemitError(.messageBadEncoding, "message does not start with a domain tag (ASCII text ending in a 0x00 byte)")
        }
        let tag = bytes[offset..<end]
        guard tag.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw RemitError(.messageBadEncoding, "domain tag holds bytes that are not printable ASCII")
        }
        offset = end + 1
        return String(decoding: tag, as: UTF8.self)
    }

    public mutating func readUInt8(_ field: String) throws(RemitError) -> UInt8 { try take(1, field).first! }

    public mutating func readBool(_ field: String) throws(RemitError) -> Bool {
        switch try readUInt8(field) {
        case 0: return false
        case 1: return true
        case let other: throw RemitError(.messageBadEncoding, "field \(field) is a flag and must be 0 or 1, got \(other)")
        }
    }

    public mutating func readUInt16(_ field: String) throws(RemitError) -> UInt16 { UInt16(try readBigEndian(2, field)) }

    public mutating func readUInt32(_ field: String) throws(RemitError) -> UInt32 { UInt32(try readBigEndian(4, field)) }

    public mutating func readUInt64(_ field: String) throws(RemitError) -> UInt64 { try readBigEndian(8, field) }

    /// Reads an amount (u64 units, at most `Int64.max`).
    public mutating func readAmount(_ field: String) throws(RemitError) -> Amount {
        let units = try readBigEndian(8, field)
        guard units <= UInt64(Int64.max) else {
            throw RemitError(.amountOutOfRange, "field \(field) holds \(units) units, more than the largest amount \(Int64.max)")
        }
        return Amount(uncheckedUnits: Int64(units))
    }

    public mutating func readDigest(_ field: String) throws(RemitError) -> Digest32 {
        let raw = try take(32, field)
        return try! Digest32(bytes: raw)  // exactly 32 bytes
    }

    public mutating func readID<ID: DigestIdentifier>(_ field: String, as type: ID.Type = ID.self) throws(RemitError) -> ID {
        ID(try readDigest(field))
    }

    public mutating func readPublicKey(_ field: String) throws(RemitError) -> PublicKey {
        let raw = try take(32, field)
        do {
            return try PublicKey(bytes: raw)
        } catch {
            throw RemitError(.messageBadEncoding, "field \(field): \(error.message)", cause: error)
        }
    }

    public mutating func readSignature(_ field: String) throws(RemitError) -> Signature {
        let raw = try take(64, field)
        return try! Signature(bytes: raw)  // exactly 64 bytes
    }

    /// Reads a u32-length-prefixed byte string of at most `maxLength` bytes.
    public mutating func readBytes(_ field: String, maxLength: Int = 1 << 20) throws(RemitError) -> [UInt8] {
        let length = Int(try readUInt32(field))
        guard length <= maxLength else {
            throw RemitError(.messageBadLength, "field \(field) claims \(length) bytes; at most \(maxLength) are allowed")
        }
        return Array(try take(length, field))
    }

    /// Reads a u32-length-prefixed UTF-8 string of at most `maxLength` bytes.
    public mutating func readString(_ field: String, maxLength: Int = 4096) throws(RemitError) -> String {
        let raw = try readBytes(field, maxLength: maxLength)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw RemitError(.messageBadEncoding, "field \(field) is not valid UTF-8")
        }
        return text
    }

    /// Reads a u32-count-prefixed list of at most `maxCount` elements.
    public mutating func readList<Element>(
        _ field: String, maxCount: Int = 1 << 16, _ body: (inout CanonicalReader) throws(RemitError) -> Element
    ) throws(RemitError) -> [Element] {
        let count = Int(try readUInt32(field))
        guard count <= maxCount else {
            throw RemitError(.messageBadLength, "field \(field) claims \(count) elements; at most \(maxCount) are allowed")
        }
        guard count <= remaining else {
            throw RemitError(.messageBadLength, "field \(field) claims \(count) elements but only \(remaining) bytes remain")
        }
        var out: [Element] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try body(&self)) }
        return out
    }

    /// Reads an optional written by ``CanonicalWriter/writeOptional(_:_:)``.
    public mutating func readOptional<Value>(
        _ field: String, _ body: (inout CanonicalReader) throws(RemitError) -> Value
    ) throws(RemitError) -> Value? {
        try readBool(field) ? try body(&self) : nil
    }

    private mutating func readBigEndian(_ width: Int, _ field: String) throws(RemitError) -> UInt64 {
        var value: UInt64 = 0
        for byte in try take(width, field) { value = value << 8 | UInt64(byte) }
        return value
    }
}
