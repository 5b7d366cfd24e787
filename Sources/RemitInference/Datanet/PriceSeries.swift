/// A synthetic, seeded price series for the trading agents' datanets — synthetic and labelled
/// as such, not market data. Returns follow an AR(1) process `r_t = 0.35·r_{t−1} + σ·z_t` with
/// σ = 1% and `z_t` the sum of 12 uniforms minus 6 (an Irwin–Hall approximation of a standard
/// normal) from ``SplitMix64``; prices start at 100. Each row holds the previous five returns
/// in basis points (two decimals) and, as target, the direction of the next return (`up` or
/// `down`) or the next return itself.
public enum PriceSeries {
    /// The target column.
    public enum Target: String, Sendable, CaseIterable {
        /// `up` or `down`: for `knn-classify`.
        case direction
        /// The next return in basis points: for `knn-regress`.
        case nextReturn = "next_return_bps"
    }

    /// `count` returns of the series from `seed` (fractions, 0.01 = 1%).
    public static func returns(seed: UInt64, count: Int) -> [Double] {
        var rng = SplitMix64(seed: seed)
        var returns: [Double] = []
        returns.reserveCapacity(count)
        var previous = 0.0
        for _ in 0..<count {
            var z = -6.0
            for _ in 0..<12 { z += rng.nextUnit() }
            let r = 0.35 * previous + 0.01 * z
            returns.append(r)
            previous = r
        }
        return returns
    }

    /// A return in basis points with two decimals, as the CSV rows hold features.
    public static func bps(_ r: Double) -> Double { (r * 1_000_000).rounded() / 100 }

    /// CSV text with a header and `rows` rows.
    public static func csv(seed: UInt64, rows: Int, target: Target = .direction) -> String {
        let returns = returns(seed: seed, count: rows + 6)
        var lines = ["r_minus_5,r_minus_4,r_minus_3,r_minus_2,r_minus_1,\(target.rawValue)"]
        for t in 5..<(rows + 5) {
            let features = returns[(t - 5)..<t].map { bps($0).description }
            let next = returns[t]
            let value = target == .direction ? (next >= 0 ? "up" : "down") : bps(next).description
            lines.append((features + [value]).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
