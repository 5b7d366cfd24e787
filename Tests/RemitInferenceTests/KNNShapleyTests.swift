import Testing
@testable import RemitInference

@Suite("exact kNN-Shapley")
struct KNNShapleyTests {
    /// Shapley values by enumerating every subset, in exact rationals:
    /// φ_i = Σ_{S ⊆ N∖{i}} |S|!(N−|S|−1)!/N! · (v(S ∪ {i}) − v(S)), v(S) = (1/K) Σ_{top min(K,|S|) of S} f.
    static func bruteForce(rankedF f: [Int], k: Int) -> [Rational] {
        let n = f.count
        func factorial(_ m: Int) -> Int { m <= 1 ? 1 : (2...m).reduce(1, *) }
        func utility(_ mask: Int) -> Rational {
            var taken = 0
            var sum = 0
            for rank in 0..<n where mask & (1 << rank) != 0 && taken < k {
                sum += f[rank]
                taken += 1
            }
            return Rational(sum, k)
        }
        var values = [Rational](repeating: Rational(0), count: n)
        for i in 0..<n {
            for mask in 0..<(1 << n) where mask & (1 << i) == 0 {
                let size = mask.nonzeroBitCount
                let weight = Rational(factorial(size) * factorial(n - size - 1), factorial(n))
                values[i] = values[i] + weight * (utility(mask | (1 << i)) - utility(mask))
            }
        }
        return values
    }

    @Test("classification (f = 0/1) equals brute force over all subsets within 1e-12", arguments: [1, 2, 3, 5])
    func classification(k: Int) {
        var rng = SplitMix64(seed: UInt64(k) * 1_000)
        for n in 1...9 {
            for _ in 0..<5 {
                let f = (0..<n).map { _ in Int(rng.uniform(below: 2)) }
                let fast = KNNShapley.values(rankedF: f.map(Double.init), k: k)
                let exact = KNNShapleyTests.bruteForce(rankedF: f, k: k)
                for (a, b) in zip(fast, exact) { #expect(abs(a - b.double) <= 1e-12, "n \(n) k \(k) f \(f): \(a) vs \(b)") }
            }
        }
    }

    @Test("regression (f = integer targets, some negative) equals brute force within 1e-12", arguments: [1, 3, 4])
    func regression(k: Int) {
        var rng = SplitMix64(seed: UInt64(k) * 7_919)
        for n in 1...9 {
            let f = (0..<n).map { _ in Int(rng.uniform(below: 21)) - 10 }
            let fast = KNNShapley.values(rankedF: f.map(Double.init), k: k)
            let exact = KNNShapleyTests.bruteForce(rankedF: f, k: k)
            for (a, b) in zip(fast, exact) { #expect(abs(a - b.double) <= 1e-12, "n \(n) k \(k) f \(f): \(a) vs \(b)") }
            // Efficiency: the values add up to v(all).
            let all = Double(f.prefix(k).reduce(0, +)) / Double(k)
            #expect(abs(fast.reduce(0, +) - all) <= 1e-12)
        }
    }

    @Test("values by index follow the distance ranking, ties to the smaller index")
    func ranking() {
        #expect(KNNShapley.ranking([3, 1, 2, 1]) == [1, 3, 2, 0])
        let v = KNNShapley.values(distances: [0.5, 0.1], f: [1, 0], k: 1)
        // Rank 1 is index 1 (f 0), rank 2 index 0 (f 1): s_2 = 1/2, s_1 = 1/2 + (0 − 1)/1 · 1/1.
        #expect(v == [0.5, -0.5])
    }
}
