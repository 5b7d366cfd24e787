import Foundation

/// What a `remit bench …` run measured: named figures and ratios, printed as a table or as
/// `{"figures": {…}, "ratios": {…}}`.
public struct BenchReport: Sendable {
    /// The benchmark's name, such as `crypto`.
    public var name: String
    /// Lines of the human-readable report, in order.
    public var lines: [String] = []
    /// Measured figures by key (rates per second, latencies, seconds).
    public var figures: [String: Double] = [:]
    /// Ratios by key (wrapper rate / floor rate and the like).
    public var ratios: [String: Double] = [:]

    /// Starts an empty report.
    public init(name: String) { self.name = name }

    /// The one-object JSON form with sorted keys.
    public var json: String {
        let object: [String: [String: Double]] = ["figures": figures, "ratios": ratios]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A dictionary of finite doubles always encodes.
        return String(decoding: try! encoder.encode(object), as: UTF8.self)
    }

    /// The human-readable report.
    public var text: String { lines.joined(separator: "\n") }
}

/// Formatting helpers for benchmark tables.
enum BenchFormat {
    static func rate(_ value: Double) -> String {
        let rounded = Int(value.rounded())
        var digits = String(rounded)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return groups.joined(separator: ",")
    }

    static func ratio(_ value: Double) -> String { String(format: "%.3f", value) }

    static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }

    /// "release" or "debug", from how this module was compiled.
    static var buildMode: String {
        #if DEBUG
        "debug (figures are not representative: build with -c release)"
        #else
        "release"
        #endif
    }
}

/// Times `body` running `iterations` times and returns operations per second.
func measureRate(iterations: Int, _ body: (Int) -> Void) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    body(iterations)
    let elapsed = start.duration(to: clock.now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Double(iterations) / max(seconds, 1e-9)
}

/// Runs two loops alternately for `rounds` rounds and keeps each one's best rate, so both see the
/// same machine state (frequency, other load) and a one-off stall does not decide the ratio.
func bestRates(rounds: Int, iterations: Int, _ a: (Int) -> Void, _ b: (Int) -> Void) -> (Double, Double) {
    var bestA = 0.0
    var bestB = 0.0
    for round in 0..<rounds {
        // Alternate which loop goes first.
        if round % 2 == 0 {
            bestA = max(bestA, measureRate(iterations: iterations, a))
            bestB = max(bestB, measureRate(iterations: iterations, b))
        } else {
            bestB = max(bestB, measureRate(iterations: iterations, b))
            bestA = max(bestA, measureRate(iterations: iterations, a))
        }
    }
    return (bestA, bestB)
}
