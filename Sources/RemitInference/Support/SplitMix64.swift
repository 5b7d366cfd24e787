/// SplitMix64 (Steele, Lea and Flood 2014; the seeding generator of xoshiro), the only source of
/// randomness in Remit's models: a 64-bit state advanced by the golden-ratio increment
/// `0x9E3779B97F4A7C15`, each output mixed by `z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9`,
/// `z = (z ^ (z >> 27)) * 0x94D049BB133111EB`, `z ^ (z >> 31)` (wrapping arithmetic).
/// Seeded sampling and the seeded tests replay exactly on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The current state.
    public private(set) var state: UInt64

    /// Starts the generator at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` without modulo bias: draws `x` until
    /// `x < 2^64 - (2^64 mod bound)`, then returns `x mod bound` (docs/PROTOCOL.md §10).
    public mutating func uniform(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "uniform(below: 0)")
        let limit = UInt64.max - (UInt64.max % bound + 1) % bound  // largest x with an unbiased x % bound
        while true {
            let x = next()
            if x <= limit { return x % bound }
        }
    }

    /// A uniform double in [0, 1): the top 53 bits of the next output times 2^-53.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
