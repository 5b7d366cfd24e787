import RemitCore
import Dispatch
import Foundation
public import GRDB
import Synchronization

/// Makes many small writes durable together: callers hand in a write and await it; a serial
/// queue drains every write waiting at that moment into one SQLite transaction and resumes them
/// all when it commits. Under load a transaction carries many payments, so durability costs a
/// fraction of a commit each; alone, a write waits for one commit.
///
/// If a transaction fails, every write in it fails and the committer refuses everything after
/// (fail-stop): the caller's in-memory state may be ahead of disk and must be reloaded.
public final class GroupCommitter: Sendable {
    /// One write: runs inside the shared transaction.
    public typealias Work = @Sendable (Database) throws -> Void

    private struct Waiting {
        var work: Work
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var draining = false
        var failure: (any Error & Sendable)?
    }

    private let database: DatabaseQueue
    private let queue: DispatchQueue
    private let state = Mutex(State())
    /// Largest number of writes committed in one transaction, for diagnostics.
    private let largestBatch = Atomic<Int>(0)

    /// Commits through `database`'s writer, from a serial queue named `label`.
    public init(database: DatabaseQueue, label: String) {
        self.database = database
        queue = DispatchQueue(label: label)
    }

    /// The most writes one transaction has carried so far.
    public var largestBatchSize: Int { largestBatch.load(ordering: .relaxed) }

    /// Runs `work` in the next group transaction and returns when it is committed.
    public func write(_ work: @escaping Work) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start = state.withLock { state -> Bool in
                if let failure = state.failure {
                    continuation.resume(throwing: failure)
                    return false
                }
                state.waiting.append(Waiting(work: work, continuation: continuation))
                if state.draining { return false }
                state.draining = true
                return true
            }
            if start { queue.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = state.waiting
                state.waiting = []
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            if batch.count > largestBatch.load(ordering: .relaxed) { largestBatch.store(batch.count, ordering: .relaxed) }
            do {
                try database.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        for item in batch { try item.work(db) }
                        return .commit
                    }
                }
                for item in batch { item.continuation.resume() }
            } catch {
                let failure = RemitError(.channelStorageFailed, "channel book storage failed: \(error); reopen the book", cause: SendableDescription(error))
                let stranded = state.withLock { state -> [Waiting] in
                    state.failure = failure
                    let rest = state.waiting
                    state.waiting = []
                    state.draining = false
                    return rest
                }
                for item in batch + stranded { item.continuation.resume(throwing: failure) }
                return
            }
        }
    }
}

/// An error's description, carried as a Sendable cause.
struct SendableDescription: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ error: any Error) { description = String(describing: error) }
}
