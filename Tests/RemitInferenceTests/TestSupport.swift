import Foundation
import RemitCore
import RemitCrypto
@testable import RemitInference

/// Fixed keys and small corpora made in the tests.
enum Fixture {
    static func key(_ byte: UInt8) -> SigningKey { try! SigningKey(seed: [UInt8](repeating: byte, count: 32)) }

    static func temporaryFolder() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("remit-inference-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static let datanet = DatanetID.derive(curator: key(0x05).publicKey, name: "test")

    /// Documents with contributors alternating between three keys.
    static func documents(_ texts: [String], kind: ContributionKind = .text) -> [CorpusDocument] {
        texts.enumerated().map { i, text in
            let content = Array(text.utf8)
            return CorpusDocument(contribution: ContributionID.derive(datanet: datanet, content: BLAKE2b.hash(content)),
                                  contributor: key(UInt8(0x10 + i % 3)).publicKey, label: "author \(i % 3)", kind: kind, content: content)
        }
    }

    static func snapshot(_ texts: [String], kind: ContributionKind = .text, schema: RowSchema? = nil) -> DatanetSnapshot {
        let docs = documents(texts, kind: kind)
        return DatanetSnapshot(datanet: datanet, version: MerkleTree.root(of: docs.map(\.contribution.digest).sorted()), name: "test",
                               documents: docs, schema: schema)
    }

    static let quotes = [
        "The quick brown fox jumps over the lazy dog.",
        "The quick brown cat sleeps all day long.",
        "A lazy dog never catches the quick brown fox.",
        "Talk is cheap. Show me the code.",
        "Simplicity is prerequisite for reliability.",
        "The cheap code is the expensive code in the end.",
    ]

    static func model(_ kind: ModelKind, _ texts: [String] = quotes, params: [String: String] = [:]) throws -> any Model {
        let snap = snapshot(texts)
        let manifest = try ModelFactory.manifest(kind: kind, name: "m", snapshots: [snap], params: params)
        return try ModelFactory.buildInMemory(manifest, snapshots: [snap])
    }

    /// Random tokens over a small alphabet, from a seed.
    static func randomTokens(seed: UInt64, count: Int, alphabet: Int) -> [UInt32] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt32(rng.uniform(below: UInt64(alphabet))) }
    }
}

/// Exact rationals on Int (the brute-force Shapley sums stay small).
struct Rational: Equatable, CustomStringConvertible {
    var numerator: Int
    var denominator: Int

    init(_ numerator: Int, _ denominator: Int = 1) {
        precondition(denominator != 0)
        let g = Rational.gcd(abs(numerator), abs(denominator))
        let sign = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / max(g, 1)
        self.denominator = sign * denominator / max(g, 1)
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    static func + (a: Rational, b: Rational) -> Rational {
        let g = gcd(a.denominator, b.denominator)
        return Rational(a.numerator * (b.denominator / g) + b.numerator * (a.denominator / g), a.denominator / g * b.denominator)
    }

    static func - (a: Rational, b: Rational) -> Rational { a + Rational(-b.numerator, b.denominator) }
    static func * (a: Rational, b: Rational) -> Rational { Rational(a.numerator * b.numerator, a.denominator * b.denominator) }

    var double: Double { Double(numerator) / Double(denominator) }
    var description: String { "\(numerator)/\(denominator)" }
}
