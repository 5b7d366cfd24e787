/// Exact Shapley values of the k-nearest-neighbour utility (Jia et al. 2019, "Efficient
/// Task-Specific Data Valuation for Nearest Neighbor Algorithms", Theorem 1) in O(N log N): sort
/// by distance, then one pass from the farthest point to the nearest.
///
/// Utility of a subset S of the N training points: `v(S) = (1/K) Σ_{j=1}^{min(K,|S|)} f(α_j(S))`,
/// α_j(S) the j-th nearest point of S. With `f = 1[label = predicted label]` this is the paper's
/// classification utility; with `f = target` it is the linear regression utility (the kNN
/// prediction in which missing neighbours count as 0). Both have the exact recursion, over
/// points ranked 1 (nearest) ... N:
///
///     s_N = f_N / max(N, K)
///     s_i = s_{i+1} + ((f_i − f_{i+1}) / K) · (min(K, i) / i)
///
/// evaluated in exactly that order in IEEE 754 binary64 (so every platform gets the same bits).
/// The values sum to v(all points). (The paper states the base as f_N / N for N ≥ K; when there
/// are fewer than K points every point is always among the K nearest, so each value is f_i / K,
/// which is what max(N, K) gives.)
public enum KNNShapley {
    /// The ranking: indices of `distances` ascending, ties to the smaller index.
    public static func ranking(_ distances: [Double]) -> [Int] {
        struct Key: Comparable {
            var distance: Double
            var index: Int
            static func < (a: Key, b: Key) -> Bool { a.distance != b.distance ? a.distance < b.distance : a.index < b.index }
        }
        var keys = distances.enumerated().map { Key(distance: $1, index: $0) }
        keys.sort()
        return keys.map(\.index)
    }

    /// Shapley values, in rank order, of points with values `f` given in rank order.
    public static func values(rankedF f: [Double], k: Int) -> [Double] {
        precondition(k >= 1, "K must be at least 1")
        let n = f.count
        guard n > 0 else { return [] }
        var s = [Double](repeating: 0, count: n)
        s[n - 1] = f[n - 1] / Double(max(n, k))
        var i = n - 1
        while i >= 1 {
            // Rank i (1-based) is s[i - 1].
            s[i - 1] = s[i] + ((f[i - 1] - f[i]) / Double(k)) * (Double(min(k, i)) / Double(i))
            i -= 1
        }
        return s
    }

    /// Shapley values by index (not rank) for points at `distances` with utility values `f` by index.
    public static func values(distances: [Double], f: [Double], k: Int) -> [Double] {
        let order = ranking(distances)
        let ranked = values(rankedF: order.map { f[$0] }, k: k)
        var out = [Double](repeating: 0, count: f.count)
        for (rank, index) in order.enumerated() { out[index] = ranked[rank] }
        return out
    }
}
