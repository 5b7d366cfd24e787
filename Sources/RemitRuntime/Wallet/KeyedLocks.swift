import RemitCore

/// Async mutual exclusion per key: one holder at a time, waiters served in arrival order.
actor KeyedLocks<Key: Hashable & Sendable> {
    private var held: Set<Key> = []
    private var waiting: [Key: [CheckedContinuation<Void, Never>]] = [:]

    func lock(_ key: Key) async {
        if held.insert(key).inserted { return }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    func unlock(_ key: Key) {
        if var queue = waiting[key], !queue.isEmpty {
            // Ownership passes straight to the next waiter.
            let next = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            held.remove(key)
        }
    }

    /// Runs `body` holding the lock for `key`.
    nonisolated func withLock<T: Sendable>(_ key: Key, _ body: @Sendable () async throws(RemitError) -> T) async throws(RemitError) -> T {
        await lock(key)
        do {
            let value = try await body()
            await unlock(key)
            return value
        } catch {
            await unlock(key)
            throw error
        }
    }
}
