/// 32 bytes stored inline (no heap allocation), the storage of digests and public keys.
@usableFromInline
struct Bytes32: Sendable {
    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    @inlinable init() {}

    /// Copies exactly 32 bytes; the caller has checked the count.
    @inlinable init(copying buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count == 32, "Bytes32 needs 32 bytes")
        Swift.withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: buffer) }
    }

    @inlinable func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var copy = storage
        return try Swift.withUnsafeMutableBytes(of: &copy) { raw throws(E) -> R in
            try body(UnsafeRawBufferPointer(raw))
        }
    }

    @inlinable mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeMutableBytes(of: &storage, body)
    }

    var array: [UInt8] { withUnsafeBytes { Array($0) } }
}

extension Bytes32: Hashable {
    @inlinable static func == (lhs: Bytes32, rhs: Bytes32) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    @inlinable func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }
}

/// 64 bytes stored inline, the storage of Ed25519 signatures.
@usableFromInline
struct Bytes64: Sendable {
    @usableFromInline var low = Bytes32()
    @usableFromInline var high = Bytes32()

    @inlinable init() {}

    @inlinable init(copying buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count == 64, "Bytes64 needs 64 bytes")
        low = Bytes32(copying: UnsafeRawBufferPointer(rebasing: buffer[0..<32]))
        high = Bytes32(copying: UnsafeRawBufferPointer(rebasing: buffer[32..<64]))
    }

    @inlinable func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var copy = (low.storage, high.storage)
        return try Swift.withUnsafeMutableBytes(of: &copy) { raw throws(E) -> R in
            try body(UnsafeRawBufferPointer(raw))
        }
    }

    var array: [UInt8] { withUnsafeBytes { Array($0) } }
}

extension Bytes64: Hashable {
    @inlinable static func == (lhs: Bytes64, rhs: Bytes64) -> Bool { lhs.low == rhs.low && lhs.high == rhs.high }
    @inlinable func hash(into hasher: inout Hasher) {
        low.hash(into: &hasher)
        high.hash(into: &hasher)
    }
}
