internal import CSodium

/// A fixed-size buffer for secret bytes that libsodium zeroes when the last reference goes away.
///
/// The buffer is written only during `init`, so sharing it across threads is safe: it needs no lock.
final class SecureBytes: @unchecked Sendable {
    let count: Int
    private let pointer: UnsafeMutableRawPointer

    /// Allocates `count` zeroed bytes and lets `initialise` fill them.
    init(count: Int, initialise: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        self.count = count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1))
        do {
            try initialise(UnsafeMutableRawBufferPointer(start: pointer, count: count))
        } catch {
            sodium_memzero(pointer, count)
            pointer.deallocate()
            throw error
        }
    }

    deinit {
        sodium_memzero(pointer, count)
        pointer.deallocate()
    }

    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
