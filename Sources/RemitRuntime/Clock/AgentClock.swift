import Foundation
public import RemitLedger
import Synchronization

/// Time for agents: the Unix seconds the ledger also uses, and sleeping. Real in a deployment,
/// virtual in a simulation (where sleeping advances nothing by itself: the engine moves time).
public protocol AgentClock: LedgerClock {
    /// Unix seconds now (the ledger's notion of time).
    func now() -> UInt64
    /// Suspends the caller until `seconds` have passed on this clock.
    func sleep(seconds: Double) async throws
}

/// Wall-clock time.
public struct WallClock: AgentClock {
    /// A wall clock.
    public init() {}

    public func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }

    public func sleep(seconds: Double) async throws {
        try await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1_000)))
    }
}

/// Simulated time, moved forward explicitly with ``advance(to:)``; sleepers wake when the clock
/// passes their deadline. Deterministic: nothing here reads the wall clock.
public final class VirtualClock: AgentClock {
    private struct Sleeper {
        var deadline: UInt64
        var order: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: UInt64
        var sleepers: [Sleeper] = []
        var order: UInt64 = 0
    }

    private let state: Mutex<State>

    /// A clock starting at `start` (Unix seconds).
    public init(start: UInt64) { state = Mutex(State(now: start)) }

    public func now() -> UInt64 { state.withLock { $0.now } }

    /// Number of tasks sleeping on this clock.
    public var sleeping: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline any sleeper waits for.
    public var nextDeadline: UInt64? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    public func sleep(seconds: Double) async throws {
        let delta = UInt64(max(0, seconds.rounded(.up)))
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let ready = state.withLock { state -> Bool in
                if delta == 0 { return true }
                state.order += 1
                state.sleepers.append(Sleeper(deadline: state.now + delta, order: state.order, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Moves time to `time` (never backwards) and wakes every sleeper whose deadline has come,
    /// earliest first.
    public func advance(to time: UInt64) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, time)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.order) < ($1.deadline, $1.order) }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Moves time forward by `seconds`.
    public func advance(by seconds: UInt64) { advance(to: now() + seconds) }
}
