import Foundation
import Synchronization

/// Runs the built `remit` executable (next to the test bundle) as a child process.
final class ChildProcess: Sendable {
    static var executable: URL {
        let buildDirectory = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidate = buildDirectory.appendingPathComponent("remit")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/remit")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `remit arguments` to completion on a thread of its own: waiting for a child must not
    /// hold one of the few cooperative threads, which other tests (and the work a child may wait
    /// for, such as a PostgreSQL transaction another test holds) need meanwhile.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try ChildProcess.runBlocking(arguments, in: directory, environment: environment) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], in directory: URL, environment: [String: String]) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The process, guarded by its own lock only for start and kill.
    private let process: Mutex<Process>
    /// Text guarded by its own lock.
    final class Buffer: Sendable {
        let text = Mutex("")
    }

    /// What the child wrote to stderr so far.
    private let errors = Buffer()

    /// Starts `remit arguments` without waiting.
    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = ChildProcess.executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        self.process = Mutex(process)
        err.fileHandleForReading.readabilityHandler = { [errors] handle in
            let data = handle.availableData
            errors.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var stderr: String { errors.text.withLock { $0 } }

    /// Waits (polling) until stderr holds `count` lines containing `text`, or the child exits, or `timeout` passes.
    func wait(for text: String, count: Int = 1, timeout: Duration = .seconds(180)) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if stderr.components(separatedBy: "\n").filter({ $0.contains(text) }).count >= count { return true }
            if !process.withLock({ $0.isRunning }) { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    /// Sends SIGKILL and waits for the child to end; true when the signal ended it.
    func kill() -> Bool {
        process.withLock { process in
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return process.terminationReason == .uncaughtSignal
        }
    }
}
