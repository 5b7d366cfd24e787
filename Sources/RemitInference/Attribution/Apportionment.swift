/// Deterministic largest-remainder apportionment on exact integers (docs/PROTOCOL.md §10.4):
/// splits `total` in proportion to non-negative integer weights so the parts add up exactly.
///
/// Part `i` gets `floor(total × w_i / W)` (W = Σ w, products in 128 bits); the `total − Σ floors`
/// units left go one each to the largest remainders `total × w_i mod W`, ties to the smaller
/// index. With W = 0 every part is 0.
public enum Apportionment {
    /// The parts, one per weight.
    public static func split(_ total: UInt64, by weights: [UInt64]) -> [UInt64] {
        var parts: [UInt64] = []
        var remainders: [UInt64] = []
        split(total, by: weights, into: &parts, remainders: &remainders)
        return parts
    }

    /// The parts into `parts` (replacing its contents), using `remainders` as scratch space (its
    /// contents are unspecified afterwards), so a caller in a loop allocates nothing.
    public static func split(_ total: UInt64, by weights: [UInt64], into parts: inout [UInt64], remainders: inout [UInt64]) {
        let n = weights.count
        parts.removeAll(keepingCapacity: true)
        if let first = weights.first, first > 0, !first.multipliedReportingOverflow(by: UInt64(n)).overflow, weights.allSatisfy({ $0 == first }) {
            // Equal weights (documents holding an n-gram once each): equal shares, and the
            // total mod n units left go to the first weights (their remainders all tie).
            let (q, r) = total.quotientAndRemainder(dividingBy: UInt64(n))
            parts.append(contentsOf: repeatElement(q + 1, count: Int(r)))
            parts.append(contentsOf: repeatElement(q, count: n - Int(r)))
            return
        }
        parts.append(contentsOf: repeatElement(0, count: n))
        // Scratch only: every word is written before it is read, so it only grows (no refill).
        if remainders.count < 2 * n { remainders.append(contentsOf: repeatElement(0, count: 2 * n - remainders.count)) }
        weights.withUnsafeBufferPointer { weights in
            parts.withUnsafeMutableBufferPointer { parts in
                remainders.withUnsafeMutableBufferPointer { scratch in
                    split(total, weights, into: parts, scratch: UnsafeMutableBufferPointer(rebasing: scratch[0..<(2 * n)]))
                }
            }
        }
    }

    /// The rule over buffers: `parts` (zeroed) gets the parts; `scratch` holds 2 × count words.
    private static func split(_ total: UInt64, _ weights: UnsafeBufferPointer<UInt64>, into parts: UnsafeMutableBufferPointer<UInt64>,
                              scratch: UnsafeMutableBufferPointer<UInt64>) {
        let n = weights.count
        var sum: UInt64 = 0
        for w in weights {
            let (s, overflow) = sum.addingReportingOverflow(w)
            precondition(!overflow, "apportionment weights overflow 64 bits")
            sum = s
        }
        guard sum > 0 else { return }
        // Every product total × w_i ≤ total × W; when that fits 64 bits, the quotient is the high
        // word of the product by ⌊(2^64 − 1)/W⌋, which is at most the true quotient and short of it
        // by at most 2: a multiplication and a correction instead of a division per weight.
        let narrow = total.multipliedReportingOverflow(by: sum).overflow == false
        let reciprocal = UInt64.max / sum
        // Equal weights are common (documents holding an n-gram once, documents credited alike)
        // and have equal parts: divide only when the weight changes. Weight 0 gets 0, remainder 0.
        // The distinct remainders of the positive weights are counted while they are few (weights
        // that are occurrence counts, or units most documents got alike, take few values): the
        // units left are then placed from those counts, without a selection.
        withUnsafeTemporaryAllocation(of: (remainder: UInt64, count: UInt64).self, capacity: classLimit) { classes in
            var classCount = 0
            var current = -1  // class of the last positive weight seen
            // Positive weights seen since `current` was set, not yet added to its count (a counter
            // in a register, instead of a store and a load per weight).
            var run: UInt64 = 0
            var (w0, q, r): (UInt64, UInt64, UInt64) = (0, 0, 0)
            var given: UInt64 = 0
            for i in 0..<n {
                let w = weights[i]
                if w != w0 {
                    if narrow {
                        let x = total &* w
                        q = x.multipliedFullWidth(by: reciprocal).high
                        r = x &- q &* sum
                        while r >= sum {
                            q += 1
                            r -= sum
                        }
                    } else {
                        (q, r) = sum.dividingFullWidth(total.multipliedFullWidth(by: w))
                    }
                    w0 = w
                    if w > 0 && classCount <= classLimit {
                        if current >= 0 { classes[current].count += run }
                        run = 0
                        current = -1
                        for c in 0..<classCount where classes[c].remainder == r {
                            current = c
                            break
                        }
                        if current < 0 {
                            if classCount < classLimit { classes[classCount] = (r, 0) }
                            current = classCount
                            classCount += 1
                        }
                    }
                }
                parts[i] = q
                scratch[i] = r
                given &+= q
                run &+= w > 0 ? 1 : 0
            }
            if current >= 0 && classCount <= classLimit { classes[current].count += run }
            let left = total - given  // fewer than the number of positive weights
            if left == 0 { return }
            let threshold: UInt64
            var above: UInt64 = 0
            if classCount <= classLimit {
                // The remainder ranked `left`: walk the classes from the largest remainder down.
                var ranked = UnsafeMutableBufferPointer(rebasing: classes[0..<classCount])
                ranked.sort { $0.remainder > $1.remainder }
                var c = 0
                while above + ranked[c].count < left {
                    above += ranked[c].count
                    c += 1
                }
                threshold = ranked[c].remainder
            } else {
                // The units left go to the `left` largest remainders, ties to the smaller index: find
                // the remainder T ranked `left` (a selection, linear on average, instead of a sort).
                var m = 0
                for i in 0..<n where weights[i] > 0 {
                    scratch[n + m] = scratch[i]
                    m += 1
                }
                threshold = select(UnsafeMutableBufferPointer(rebasing: scratch[n..<(n + m)]), rank: Int(left))
                for i in 0..<n where weights[i] > 0 && scratch[i] > threshold { above += 1 }
            }
            // One to every remainder above T, and to the first of those equal to T until none is left.
            var ties = left - above
            for i in 0..<n where weights[i] > 0 {
                if scratch[i] > threshold {
                    parts[i] += 1
                } else if scratch[i] == threshold && ties > 0 {
                    parts[i] += 1
                    ties -= 1
                }
            }
        }
    }

    /// Most distinct remainders counted before falling back to a selection.
    private static let classLimit = 8

    /// The value at position `rank` (1-based) of `values` in descending order, by Hoare's
    /// selection (reorders `values`); falls back to sorting a part that does not shrink fast.
    static func select(_ values: UnsafeMutableBufferPointer<UInt64>, rank: Int) -> UInt64 {
        precondition(rank >= 1 && rank <= values.count, "rank \(rank) is outside 1...\(values.count)")
        let target = rank - 1
        var lo = 0
        var hi = values.count - 1
        var rounds = 0
        while lo < hi {
            rounds += 1
            if rounds > 64 {
                var rest = UnsafeMutableBufferPointer(rebasing: values[lo...hi])
                rest.sort(by: >)
                break
            }
            let a = values[lo], b = values[lo + (hi - lo) / 2], c = values[hi]
            let pivot = max(min(a, b), min(max(a, b), c))  // median of three
            var i = lo
            var j = hi
            while i <= j {
                while values[i] > pivot { i += 1 }
                while values[j] < pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now lo...j hold values ≥ pivot, i...hi values ≤ pivot, and anything between equals it.
            if target <= j { hi = j } else if target >= i { lo = i } else { return pivot }
        }
        return values[target]
    }
}
