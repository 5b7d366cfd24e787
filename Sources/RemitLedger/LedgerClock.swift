import Foundation
import Synchronization

/// Where a ledger gets the time (Unix seconds): the system clock in the CLI and servers, a
/// virtual clock in simulations and tests. Entries record it; it never runs backwards in the
/// journal (a ledger uses the later of the clock and its last entry's time).
public protocol LedgerClock: Sendable {
    /// The current time in Unix seconds.
    func now() -> UInt64
}

/// The system's wall clock.
public struct SystemClock: LedgerClock {
    /// Creates the clock.
    public init() {}

    public func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}

/// A clock that moves only when told: for tests and simulations.
public final class ManualClock: LedgerClock {
    /// The current time, guarded by its own lock.
    private let time: Mutex<UInt64>

    /// Starts at `start` Unix seconds.
    public init(_ start: UInt64) { time = Mutex(start) }

    public func now() -> UInt64 { time.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: UInt64) { time.withLock { $0 += seconds } }

    /// Sets the clock to `value`.
    public func set(_ value: UInt64) { time.withLock { $0 = value } }
}
