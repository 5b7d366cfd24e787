public import RemitCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only bytes behind an index: a memory-mapped file (loaded without reading or rebuilding
/// anything) or an in-memory buffer (an index built for replay). The bytes never change after
/// `init`, so sharing across threads needs no lock.
public final class IndexStorage: @unchecked Sendable {  // no lock: immutable after init (read-only mapping or owned copy)
    /// The bytes.
    public let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    /// Maps `path` read-only.
    public init(mapping path: String) throws(RemitError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw RemitError(.fileIO, "cannot open index file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw RemitError(.fileIO, "cannot stat index file \(path): \(String(cString: strerror(errno)))")
        }
        let size = Int(info.st_size)
        guard size > 0 else { throw RemitError(.indexInvalid, "index file \(path) is empty") }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw RemitError(.fileIO, "cannot memory-map index file \(path): \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
        mapped = true
    }

    /// Copies `data` into an owned, 16-byte aligned buffer.
    public init(copying data: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 16)
        data.withUnsafeBytes { buffer.copyMemory(from: $0) }
        bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<data.count])
        mapped = false
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.deallocate()
        }
    }

    /// Size in bytes (what a ``ModelHost`` counts against its budget).
    public var byteCount: Int { bytes.count }
}
