import Foundation
public import RemitCore
public import RemitCrypto

/// The seal of a datanet's log (docs/PROTOCOL.md §10.2): a digest chain over the lines of
/// `log.jsonl`, kept in `log.seal` and rewritten by every command that appends to the log.
///
/// The chain starts at BLAKE2b-256(tag `remit/datanet-log/v1` ‖ datanet id) and each line (its
/// bytes without the line feed) extends it: `head ← BLAKE2b-256(head ‖ line)`. A log whose chain
/// matches its seal holds exactly the lines remit checked when it wrote them (or when
/// `remit datanet verify` last checked every signature), so opening it skips the signature
/// checks; any edit, insertion, removal or reordering of lines changes the chain, and such a log
/// has every signature checked again. The seal is not a signature: someone who rewrites the log
/// can rewrite the seal too, which `remit datanet verify` (every signature, every content file,
/// every recorded version) and `remit receipt verify` (every signature) do not trust.
public struct LogSeal: Sendable, Hashable, Codable {
    /// Lines of the log the chain covers.
    public var events: Int
    /// The chain's head after them.
    public var head: Digest32

    /// The domain tag of the chain's start.
    public static let tag = "remit/datanet-log/v1"

    /// The file name in a datanet folder.
    static let file = "log.seal"

    /// The empty log's seal for `datanet`.
    public static func start(_ datanet: DatanetID) -> LogSeal {
        var w = CanonicalWriter()
        w.writeTag(tag)
        w.write(datanet.digest)
        return LogSeal(events: 0, head: BLAKE2b.hash(w.bytes))
    }

    /// Creates a seal.
    public init(events: Int, head: Digest32) {
        self.events = events
        self.head = head
    }

    /// Extends the chain by one line (without its line feed); `scratch` is reused between calls.
    mutating func append(_ line: UnsafeRawBufferPointer, scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        head.withUnsafeBytes { scratch.append(contentsOf: $0) }
        scratch.append(contentsOf: line)
        head = scratch.withUnsafeBytes { BLAKE2b.hash(bytes: $0) }
        events += 1
    }

    /// The seal after `line` (without its line feed).
    public func appending(_ line: [UInt8]) -> LogSeal {
        var next = self
        var scratch: [UInt8] = []
        line.withUnsafeBytes { next.append($0, scratch: &scratch) }
        return next
    }

    /// The seal stored in `folder`, or nil when there is none or it does not decode (then the
    /// log is checked in full).
    static func read(in folder: String) -> LogSeal? {
        guard let data = FileManager.default.contents(atPath: DatanetFiles.path(folder, file)) else { return nil }
        return try? MessageJSON.decode(LogSeal.self, from: Array(data))
    }

    /// Stores the seal in `folder` (write to a temporary file, then rename over the old seal).
    func write(in folder: String) throws(RemitError) {
        let path = DatanetFiles.path(folder, LogSeal.file)
        do {
            try Data(MessageJSON.encode(self, pretty: false) + [UInt8(ascii: "\n")]).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RemitError(.fileIO, "cannot write the log seal \(path): \(error)")
        }
    }
}
