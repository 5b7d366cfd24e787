import Synchronization

/// Public keys already found to be valid Ed25519 points, so that decoding the same key again (a
/// contributor named in a million receipts, a payer in every entry a ledger replays) costs a hash
/// lookup instead of a point check (tens of microseconds). Only valid keys are kept; the set is
/// emptied when it reaches its capacity.
enum ValidKeyCache {
    /// The most keys kept.
    static let capacity = 1 << 16
    /// The keys, guarded by their own lock.
    private static let keys = Mutex<Set<Bytes32>>([])

    /// True when `key` is a valid Ed25519 point of large order (``Ed25519/isValidPoint(_:)``).
    static func isValid(_ key: Bytes32) -> Bool {
        if keys.withLock({ $0.contains(key) }) { return true }
        guard Ed25519.isValidPoint(key) else { return false }
        keys.withLock { set in
            if set.count >= capacity { set.removeAll(keepingCapacity: true) }
            set.insert(key)
        }
        return true
    }
}
