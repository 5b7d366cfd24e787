import Synchronization

/// A token bucket per payer: `rate` paid queries per second, bursts up to `rate`. The clock is
/// injected so tests do not depend on timing.
final class PayerRateLimiter: Sendable {
    let rate: Double
    let clock: @Sendable () -> Double
    /// Each payer's tokens and when they were last refilled (guarded by the Mutex).
    private let buckets = Mutex<[[UInt8]: (tokens: Double, at: Double)]>([:])

    init(rate: Int, clock: @escaping @Sendable () -> Double) {
        self.rate = Double(rate)
        self.clock = clock
    }

    /// Takes one token for `payer`; false when its bucket is empty.
    func take(_ payer: [UInt8]) -> Bool {
        let now = clock()
        return buckets.withLock { buckets in
            var bucket = buckets[payer] ?? (tokens: rate, at: now)
            bucket.tokens = min(rate, bucket.tokens + (now - bucket.at) * rate)
            bucket.at = now
            guard bucket.tokens >= 1 else {
                buckets[payer] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[payer] = bucket
            if buckets.count > 100_000 { buckets = buckets.filter { now - $0.value.at < 60 } }
            return true
        }
    }
}
