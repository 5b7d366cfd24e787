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

    /// Takes `count` tokens for `payer` (one per paid query); false, taking none, when its bucket
    /// holds fewer. A run of more than `rate` queries (a streamed run) is let through when the
    /// bucket is full and leaves it in debt, so the payer waits until the run is paid off: the
    /// rate holds on average, and no run is refused for ever for being larger than a burst.
    func take(_ payer: [UInt8], count: Int = 1) -> Bool {
        let now = clock()
        return buckets.withLock { buckets in
            var bucket = buckets[payer] ?? (tokens: rate, at: now)
            bucket.tokens = min(rate, bucket.tokens + (now - bucket.at) * rate)
            bucket.at = now
            guard bucket.tokens >= min(Double(count), rate) else {
                buckets[payer] = bucket
                return false
            }
            bucket.tokens -= Double(count)
            buckets[payer] = bucket
            if buckets.count > 100_000 { buckets = buckets.filter { now - $0.value.at < 60 } }
            return true
        }
    }
}
