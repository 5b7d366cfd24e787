/// Deterministic largest-remainder apportionment on exact integers (docs/PROTOCOL.md §10.4):
/// splits `total` in proportion to non-negative integer weights so the parts add up exactly.
///
/// Part `i` gets `floor(total × w_i / W)` (W = Σ w, products in 128 bits); the `total − Σ floors`
/// units left go one each to the largest remainders `total × w_i mod W`, ties to the smaller
/// index. With W = 0 every part is 0.
public enum Apportionment {
    /// The parts, one per weight.
    public static func split(_ total: UInt64, by weights: [UInt64]) -> [UInt64] {
        var sum: UInt64 = 0
        for w in weights {
            let (s, overflow) = sum.addingReportingOverflow(w)
            precondition(!overflow, "apportionment weights overflow 64 bits")
            sum = s
        }
        guard sum > 0 else { return [UInt64](repeating: 0, count: weights.count) }
        var parts = [UInt64](repeating: 0, count: weights.count)
        var remainders = [UInt64](repeating: 0, count: weights.count)
        var given: UInt64 = 0
        for (i, w) in weights.enumerated() where w > 0 {
            let product = total.multipliedFullWidth(by: w)
            let (q, r) = sum.dividingFullWidth(product)
            parts[i] = q
            remainders[i] = r
            given += q
        }
        var left = total - given
        if left == 0 { return parts }
        if weights.count <= 16 {
            // Few parts: pick the largest remainder (first index on ties) `left` times.
            var taken = [Bool](repeating: false, count: weights.count)
            while left > 0 {
                var best = -1
                for i in weights.indices where weights[i] > 0 && !taken[i] && (best < 0 || remainders[i] > remainders[best]) { best = i }
                taken[best] = true
                parts[best] += 1
                left -= 1
            }
            return parts
        }
        let order = weights.indices.filter { weights[$0] > 0 }.sorted { a, b in
            remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b
        }
        for i in order {
            guard left > 0 else { break }
            parts[i] += 1
            left -= 1
        }
        return parts
    }
}
