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

    /// The parts into `parts` (replacing its contents), using `remainders` as scratch space, so
    /// a caller in a loop allocates nothing.
    public static func split(_ total: UInt64, by weights: [UInt64], into parts: inout [UInt64], remainders: inout [UInt64]) {
        parts.removeAll(keepingCapacity: true)
        remainders.removeAll(keepingCapacity: true)
        var sum: UInt64 = 0
        for w in weights {
            let (s, overflow) = sum.addingReportingOverflow(w)
            precondition(!overflow, "apportionment weights overflow 64 bits")
            sum = s
        }
        guard sum > 0 else {
            parts.append(contentsOf: repeatElement(0, count: weights.count))
            return
        }
        var given: UInt64 = 0
        // Every product total × w_i ≤ total × W; when that fits 64 bits, 64-bit division is exact.
        let narrow = total.multipliedReportingOverflow(by: sum).overflow == false
        for w in weights {
            if w == 0 {
                parts.append(0)
                remainders.append(0)
                continue
            }
            let (q, r) = narrow ? (total * w).quotientAndRemainder(dividingBy: sum) : sum.dividingFullWidth(total.multipliedFullWidth(by: w))
            parts.append(q)
            remainders.append(r)
            given += q
        }
        var left = total - given  // fewer than the number of positive weights
        if left == 0 { return }
        if weights.count <= 32 {
            // Few parts: give to the largest remainder (first index on ties) `left` times.
            var floorRemainder = UInt64.max  // remainders already served are marked by skipping
            var floorIndex = -1
            while left > 0 {
                var best = -1
                for i in weights.indices where weights[i] > 0 {
                    let r = remainders[i]
                    // Candidates come after (floorRemainder, floorIndex) in the order (remainder desc, index asc).
                    let after = r < floorRemainder || (r == floorRemainder && i > floorIndex)
                    if after && (best < 0 || r > remainders[best]) { best = i }
                }
                parts[best] += 1
                left -= 1
                floorRemainder = remainders[best]
                floorIndex = best
            }
            return
        }
        struct Key: Comparable {
            var remainder: UInt64
            var index: Int
            /// Larger remainders first, then smaller indexes.
            static func < (a: Key, b: Key) -> Bool { a.remainder != b.remainder ? a.remainder > b.remainder : a.index < b.index }
        }
        var keys: [Key] = []
        keys.reserveCapacity(weights.count)
        for i in weights.indices where weights[i] > 0 { keys.append(Key(remainder: remainders[i], index: i)) }
        keys.sort()
        for key in keys.prefix(Int(left)) { parts[key.index] += 1 }
    }
}
