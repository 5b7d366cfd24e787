/// A 32-byte BLAKE2b-256 digest, stored inline; printed as 64 lower-case hex digits.
public struct Digest32: Hashable, Sendable, Comparable, CustomStringConvertible {
    @usableFromInline var bytes32: Bytes32

    @inlinable init(bytes32: Bytes32) { self.bytes32 = bytes32 }

    /// The all-zero digest, used as the "previous hash" of a genesis entry.
    public static let zero = Digest32(bytes32: Bytes32())

    /// Creates a digest from exactly 32 bytes.
    @inlinable
    public init(bytes: some Collection<UInt8>) throws(CryptoError) {
        // Contiguous bytes (arrays, buffers, their slices) are copied without an intermediate
        // array, and inlined: ids read in place from an index are made this way in bulk.
        if let fixed = bytes.withContiguousStorageIfAvailable({ $0.count == 32 ? Bytes32(copying: UnsafeRawBufferPointer($0)) : nil }), let fixed {
            self.init(bytes32: fixed)
            return
        }
        try self.init(array: Array(bytes))
    }

    @usableFromInline
    init(array: [UInt8]) throws(CryptoError) {
        guard array.count == 32 else {
            throw CryptoError(.invalidLength, "a digest must be 32 bytes, got \(array.count)")
        }
        bytes32 = array.withUnsafeBytes { Bytes32(copying: $0) }
    }

    /// Parses 64 hex digits.
    public init(hex: String) throws(CryptoError) {
        try self.init(bytes: Hex.decode(hex, count: 32, what: "a digest"))
    }

    /// The digest's bytes.
    public var bytes: [UInt8] { bytes32.array }

    /// Lower-case hex, 64 digits.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }

    /// Calls `body` with the digest's 32 bytes.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try bytes32.withUnsafeBytes(body)
    }

    /// Byte-wise (lexicographic) order, the order Merkle trees and sorted lists use.
    public static func < (lhs: Digest32, rhs: Digest32) -> Bool {
        lhs.withUnsafeBytes { l in
            rhs.withUnsafeBytes { r in
                for i in 0..<32 where l[i] != r[i] { return l[i] < r[i] }
                return false
            }
        }
    }
}
