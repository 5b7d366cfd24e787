/// Exact integer splits by the largest-remainder rule (docs/PROTOCOL.md §9.4).
///
/// To split `T` units over weights `w_i` with sum `W`: each part gets `floor(T·w_i / W)`, and the
/// units left over (fewer than the number of parts) go one each to the parts with the largest
/// remainders `T·w_i mod W`, ties to the lower index. Products are computed at full width
/// (128 bits), so nothing overflows; the parts always add up to exactly `T`.
public enum LargestRemainder {
    /// Splits `total` (≥ 0) over `weights` (sum > 0). The result has one part per weight.
    public static func split(_ total: Int64, weights: [UInt64]) -> [Int64] {
        precondition(total >= 0, "cannot split a negative total \(total)")
        var sum: UInt64 = 0
        for weight in weights {
            let (next, overflow) = sum.addingReportingOverflow(weight)
            precondition(!overflow, "weights overflow 64 bits")
            sum = next
        }
        precondition(sum > 0, "cannot split over weights that sum to zero")
        var parts = [Int64](repeating: 0, count: weights.count)
        var remainders = [UInt64](repeating: 0, count: weights.count)
        var assigned: Int64 = 0
        for index in weights.indices {
            let (quotient, remainder) = sum.dividingFullWidth(UInt64(total).multipliedFullWidth(by: weights[index]))
            parts[index] = Int64(quotient)  // ≤ total, since weight ≤ sum
            remainders[index] = remainder
            assigned += parts[index]
        }
        var left = total - assigned  // fewer than weights.count
        guard left > 0 else { return parts }
        if left == 1 {
            var best = 0
            for index in remainders.indices where remainders[index] > remainders[best] { best = index }
            parts[best] += 1
            return parts
        }
        let order = remainders.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for index in order {
            guard left > 0 else { break }
            parts[index] += 1
            left -= 1
        }
        return parts
    }

    /// The three-way split of a payment by a revenue split in basis points (sum 10000), without allocating.
    public static func split3(_ total: Int64, _ a: UInt16, _ b: UInt16, _ c: UInt16) -> (Int64, Int64, Int64) {
        let sum = UInt64(a) + UInt64(b) + UInt64(c)
        precondition(sum > 0 && total >= 0, "bad three-way split")
        let t = UInt64(total)
        let (qa, ra) = sum.dividingFullWidth(t.multipliedFullWidth(by: UInt64(a)))
        let (qb, rb) = sum.dividingFullWidth(t.multipliedFullWidth(by: UInt64(b)))
        let (qc, rc) = sum.dividingFullWidth(t.multipliedFullWidth(by: UInt64(c)))
        var parts = (Int64(qa), Int64(qb), Int64(qc))
        var left = total - parts.0 - parts.1 - parts.2
        // Hand out the leftovers by remainder, largest first, ties to the lower index.
        if left > 0 {
            var order: [(UInt64, Int)] = [(ra, 0), (rb, 1), (rc, 2)]
            order.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
            for (_, index) in order where left > 0 {
                switch index {
                case 0: parts.0 += 1
                case 1: parts.1 += 1
                default: parts.2 += 1
                }
                left -= 1
            }
        }
        return parts
    }

    /// `floor(value × numerator / denominator)` at full width; `numerator ≤ denominator`.
    public static func scale(_ value: Int64, _ numerator: UInt64, _ denominator: UInt64) -> Int64 {
        precondition(value >= 0 && numerator <= denominator && denominator > 0, "bad scale")
        return Int64(denominator.dividingFullWidth(UInt64(value).multipliedFullWidth(by: numerator)).quotient)
    }
}
