/// Floating-point helpers whose results are the same on every IEEE 754 platform: they use only
/// `+ - * /` on binary64 in a fixed order (each correctly rounded), never the platform's libm,
/// so BM25 scores and anything else built on them replay bit for bit (docs/PROTOCOL.md §10.5).
public enum ExactMath {
    /// Natural logarithm of a positive finite `x`, to within a few ulp, computed as
    /// `x = m · 2^e` with `m` in [√½, √2), `ln x = e · ln2 + 2·atanh(s)`, `s = (m − 1)/(m + 1)`,
    /// `atanh(s) = s + s³/3 + … + s^39/39` summed from the highest term down.
    public static func log(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "log needs a positive finite value, got \(x)")
        var exponent = Int(x.exponent)
        var m = x.significand  // [1, 2)
        if m > 1.4142135623730951 {
            m /= 2
            exponent += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var sum = 0.0
        var k = 39.0
        while k >= 1 {
            sum = sum * s2 + 1 / k
            k -= 2
        }
        return Double(exponent) * 0.6931471805599453 + 2 * s * sum
    }

    /// `floor(value × 2^shift)` as an integer for a non-negative finite value (multiplying by a
    /// power of two is exact): how real-valued scores become integer attribution units.
    public static func units(_ value: Double, shift: Int) -> UInt64 {
        guard value > 0, value.isFinite else { return 0 }
        let scaled = (value * Double(sign: .plus, exponent: shift, significand: 1)).rounded(.down)
        return scaled >= 18_446_744_073_709_549_568 ? UInt64.max : UInt64(scaled)
    }
}
