import Foundation
import RemitCore

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
