import Foundation
import RemitCrypto
import RemitInference

/// Seeded randomness for simulations: every stream of random numbers is derived from the
/// scenario's seed and a purpose, so the same scenario replays exactly whatever runs first.
public struct SimRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    /// A generator for `purpose` under `seed` (BLAKE2b of both gives the starting state).
    public init(seed: UInt64, _ purpose: String) {
        var state: UInt64 = 0
        BLAKE2b.hash(Array("\(seed)/\(purpose)".utf8)).withUnsafeBytes { bytes in
            for i in 0..<8 { state = state << 8 | UInt64(bytes[i]) }
        }
        generator = SplitMix64(seed: state)
    }

    public mutating func next() -> UInt64 { generator.next() }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A Poisson-distributed count with mean `mean` (Knuth's method; normal approximation above 30).
    public mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 30 {
            let u1 = max(unit(), 1e-12)
            let u2 = unit()
            let z = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            return max(0, Int((mean + z * mean.squareRoot()).rounded()))
        }
        let limit = exp(-mean)
        var product = unit()
        var count = 0
        while product > limit {
            count += 1
            product *= unit()
        }
        return count
    }

    /// An index in `0..<count` drawn with Zipf weights 1/(k+1)^s.
    public mutating func zipf(_ table: ZipfTable) -> Int { table.sample(unit()) }
}

/// Cumulative Zipf weights over `count` ranks, for sampling by binary search.
public struct ZipfTable: Sendable {
    private let cumulative: [Double]

    /// Weights 1/(k+1)^exponent for k in 0..<count.
    public init(count: Int, exponent: Double = 1.07) {
        var total = 0.0
        var cumulative: [Double] = []
        cumulative.reserveCapacity(count)
        for k in 0..<max(count, 1) {
            total += 1 / pow(Double(k + 1), exponent)
            cumulative.append(total)
        }
        self.cumulative = cumulative.map { $0 / total }
    }

    func sample(_ u: Double) -> Int {
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < u { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
