import Foundation
public import RemitCore
import Synchronization

/// An append-only JSON-lines file of agent events: one object per line, sorted keys, never
/// rewritten. Lines are buffered and flushed every 64 KiB, on ``flush()`` and on close.
public final class EventLog: Sendable {
    private struct State {
        var handle: FileHandle?
        var buffer: Data = Data()
        var lines = 0
    }

    /// The file written.
    public let path: String?
    private let state: Mutex<State>
    private let encoder: JSONEncoder

    /// Appends to `path` (created if missing); nil keeps events in no file.
    public init(path: String?) throws(RemitError) {
        self.path = path
        var handle: FileHandle?
        if let path {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            guard let opened = FileHandle(forWritingAtPath: path) else {
                throw RemitError(.runtimeIO, "cannot open the event log \(path) for appending")
            }
            opened.seekToEndOfFile()
            handle = opened
        }
        state = Mutex(State(handle: handle))
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// Lines appended since this log was opened.
    public var count: Int { state.withLock { $0.lines } }

    /// Appends one event.
    public func append(_ event: AgentEvent) {
        guard path != nil, let line = try? encoder.encode(event) else { return }
        state.withLock { state in
            state.buffer.append(line)
            state.buffer.append(0x0A)
            state.lines += 1
            if state.buffer.count >= 64 * 1024 { Self.write(&state) }
        }
    }

    /// Writes buffered lines to the file.
    public func flush() {
        state.withLock { Self.write(&$0) }
    }

    private static func write(_ state: inout State) {
        guard let handle = state.handle, !state.buffer.isEmpty else { return }
        handle.write(state.buffer)
        state.buffer.removeAll(keepingCapacity: true)
    }

    deinit {
        state.withLock { state in
            Self.write(&state)
            try? state.handle?.close()
        }
    }
}

extension RemitError.Code {
    /// A file the runtime needs cannot be read or written.
    public static let runtimeIO = Self("runtime.io")
}
