import Foundation
import RemitCore
#if canImport(Glibc)
import Glibc
#endif

/// Linux `syncfs(2)`; Glibc declares it only under `_GNU_SOURCE`, which the Swift overlay does not set.
@_silgen_name("syncfs")
private func linuxSyncfs(_ fd: Int32) -> Int32

/// The files of a datanet folder (docs/PROTOCOL.md §10.2):
///
/// | file | holds |
/// |---|---|
/// | `datanet.json` | the curator's `Signed<DatanetCreate>` (JSON form) |
/// | `log.jsonl` | every `Signed<Contribution>` and `Signed<ContributionRemoval>`, one compact JSON per line, in order |
/// | `log.seal` | the digest chain over `log.jsonl` as remit last wrote or verified it: `{"events", "head"}` (``LogSeal``) |
/// | `versions.jsonl` | each recorded version: `{"version", "events", "live", "recordedAt"}` |
/// | `content/<hex>` | each contribution's bytes, named by its BLAKE2b-256 content digest |
/// | `schema.json` | for row datanets: feature names and target name |
/// | `curator.key`, `custodian.key` | keystores (Argon2id + XChaCha20-Poly1305) |
/// | `contributors.json` | custodial contributors: name → public key |
///
/// The signed messages are exactly what a ledger records; the rest can be rebuilt from them and
/// the content files.
enum DatanetFiles {
    static func path(_ folder: String, _ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    static func read(_ path: String, what: String) throws(RemitError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RemitError(.datanetInvalid, "cannot read \(what) \(path): the file is missing or unreadable")
        }
        return Array(data)
    }

    static func write(_ path: String, _ bytes: [UInt8], secret: Bool = false) throws(RemitError) {
        let attributes: [FileAttributeKey: Any]? = secret ? [.posixPermissions: 0o600] : nil
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: attributes) else {
            throw RemitError(.fileIO, "cannot write \(path)")
        }
    }

    /// Writes a content file without syncing it: content files are named by their digest and
    /// written in batches; ``syncFileSystem(of:)`` makes the whole batch durable at once before
    /// the log line that names them is appended (one flush instead of one per file).
    static func writeUnsynced(_ path: String, _ bytes: [UInt8]) throws(RemitError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RemitError(.fileIO, "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw RemitError(.fileIO, "cannot write \(path): \(String(cString: strerror(errno)))") }
            written += n
        }
    }

    /// Flushes the file system that holds `folder` (Linux `syncfs`).
    static func syncFileSystem(of folder: String) throws(RemitError) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw RemitError(.fileIO, "cannot open \(folder): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard linuxSyncfs(fd) == 0 else { throw RemitError(.fileIO, "cannot sync \(folder): \(String(cString: strerror(errno)))") }
    }

    static func append(_ path: String, _ bytes: [UInt8]) throws(RemitError) {
        guard !bytes.isEmpty else { return }
        if !FileManager.default.fileExists(atPath: path) {
            try write(path, bytes)
            return
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
        } catch {
            throw RemitError(.fileIO, "cannot append to \(path): \(error)")
        }
    }

    /// The file's bytes, or none when it does not exist.
    static func readIfPresent(_ path: String, what: String) throws(RemitError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try read(path, what: what)
    }

    static func lines(_ path: String) throws(RemitError) -> [[UInt8]] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let bytes = try read(path, what: "log")
        return bytes.split(separator: UInt8(ascii: "\n")).map(Array.init).filter { !$0.isEmpty }
    }

    static func makeDirectory(_ path: String) throws(RemitError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RemitError(.fileIO, "cannot create folder \(path): \(error)")
        }
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Seconds since 1970, for timestamps of new messages.
    static func now() -> UInt64 { UInt64(Date().timeIntervalSince1970) }
}
