import Dispatch
import Foundation
public import GRDB
import RemitCore
import Synchronization

/// Makes many small writes durable together (group commit) without a thread hop on the common
/// path.
///
/// The first writer to arrive when no commit is running becomes the leader: it commits, on its
/// own thread, its write and every write queued at that moment in one SQLite transaction, then
/// resumes the writers it carried. Writers that arrive during a commit wait; when the leader is
/// done, whatever queued meanwhile is handed to a background queue that commits it the same way.
/// A lone writer therefore pays one short commit (an append to the WAL, no fsync) and no thread
/// wake-up, which on a small virtual machine costs more than the commit itself; under load one
/// commit carries many payments.
///
/// Blocking here is bounded: a commit appends a few pages to the WAL file. If a transaction fails,
/// every write in it fails and the committer refuses everything after (fail-stop): the caller's
/// in-memory state may be ahead of disk and must be reloaded.
public final class GroupCommitter: Sendable {
    /// One write: runs inside the shared transaction.
    public typealias Work = @Sendable (Database) throws -> Void

    private struct Waiting {
        var work: Work
        var continuation: CheckedContinuation<Void, any Error>?
    }

    private struct State {
        var waiting: [Waiting] = []
        var committing = false
        var flushScheduled = false
        var failure: RemitError?
    }

    private let database: DatabaseQueue
    private let queue: DispatchQueue
    private let state = Mutex(State())
    private let largestBatch = Atomic<Int>(0)
    private let commits = Atomic<Int>(0)

    /// Commits through `database`'s writer; stragglers are committed from a serial queue named `label`.
    public init(database: DatabaseQueue, label: String) {
        self.database = database
        queue = DispatchQueue(label: label)
    }

    /// The most writes one transaction has carried so far.
    public var largestBatchSize: Int { largestBatch.load(ordering: .relaxed) }

    /// Number of transactions committed so far.
    public var commitCount: Int { commits.load(ordering: .relaxed) }

    /// Runs `work` in a group transaction and returns when it is committed.
    public func write(_ work: @escaping Work) async throws {
        enum Role { case lead([Waiting]), follow, failed(RemitError) }
        // Decide under the lock whether to lead; a follower parks its continuation in the queue.
        let role: Role = state.withLock { state in
            if let failure = state.failure { return .failed(failure) }
            if state.committing { return .follow }
            state.committing = true
            let batch = state.waiting + [Waiting(work: work, continuation: nil)]
            state.waiting = []
            return .lead(batch)
        }
        switch role {
        case .failed(let failure):
            throw failure
        case .lead(let batch):
            try commit(batch, leaderOwnsLast: true)
            handOff()
        case .follow:
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let rejected: RemitError? = state.withLock { state in
                    if let failure = state.failure { return failure }
                    state.waiting.append(Waiting(work: work, continuation: continuation))
                    if !state.committing && !state.flushScheduled {
                        state.flushScheduled = true
                        queue.async { self.drain() }
                    }
                    return nil
                }
                if let rejected { continuation.resume(throwing: rejected) }
            }
        }
    }

    /// Queues `work` without waiting for it (write-behind), for records whose loss in a crash is
    /// repaired on restart. It commits with the next write, or within a few milliseconds.
    public func enqueue(_ work: @escaping Work) {
        state.withLock { state in
            guard state.failure == nil else { return }
            state.waiting.append(Waiting(work: work, continuation: nil))
            if !state.committing && !state.flushScheduled {
                state.flushScheduled = true
                queue.asyncAfter(deadline: .now() + .milliseconds(2)) { self.drain() }
            }
        }
    }

    /// After a leader's commit: anything that queued meanwhile is committed in the background.
    private func handOff() {
        state.withLock { state in
            state.committing = false
            if !state.waiting.isEmpty && !state.flushScheduled {
                state.flushScheduled = true
                queue.async { self.drain() }
            }
        }
    }

    private func drain() {
        while true {
            let batch: [Waiting]? = state.withLock { state in
                state.flushScheduled = false
                guard !state.committing, state.failure == nil, !state.waiting.isEmpty else { return nil }
                state.committing = true
                let batch = state.waiting
                state.waiting = []
                return batch
            }
            guard let batch else { return }
            let ok = (try? commit(batch, leaderOwnsLast: false)) != nil
            state.withLock { $0.committing = false }
            if !ok { return }
        }
    }

    /// Commits `batch` in one transaction and resumes its waiters. When `leaderOwnsLast`, the
    /// last write is the calling leader's own: its outcome is thrown rather than resumed.
    private func commit(_ batch: [Waiting], leaderOwnsLast: Bool) throws {
        if batch.count > largestBatch.load(ordering: .relaxed) { largestBatch.store(batch.count, ordering: .relaxed) }
        do {
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for item in batch { try item.work(db) }
                    return .commit
                }
            }
            commits.add(1, ordering: .relaxed)
            for item in batch { item.continuation?.resume() }
        } catch {
            let failure = (error as? RemitError)
                ?? RemitError(.channelStorageFailed, "channel book storage failed: \(error); reopen the book", cause: SendableDescription(error))
            let stranded = state.withLock { state -> [Waiting] in
                state.failure = failure
                let rest = state.waiting
                state.waiting = []
                return rest
            }
            for item in batch + stranded { item.continuation?.resume(throwing: failure) }
            if leaderOwnsLast { throw failure }
        }
    }
}

/// An error's description, carried as a Sendable cause.
struct SendableDescription: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ error: any Error) { description = String(describing: error) }
}
