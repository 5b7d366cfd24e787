import RemitCore
import RemitCrypto
import Testing
@testable import RemitInference

@Suite("largest-remainder apportionment")
struct ApportionmentTests {
    @Test("exact shares, remainders to the largest, ties to the smaller index")
    func examples() {
        #expect(Apportionment.split(10_000, by: [1, 1, 1]) == [3334, 3333, 3333])
        #expect(Apportionment.split(10_000, by: [2, 1]) == [6667, 3333])
        #expect(Apportionment.split(10, by: [0, 5, 5]) == [0, 5, 5])
        #expect(Apportionment.split(10_000, by: []) == [])
        #expect(Apportionment.split(10_000, by: [0, 0]) == [0, 0])
        #expect(Apportionment.split(3, by: [1, 1, 1, 1]) == [1, 1, 1, 0])
        #expect(Apportionment.split(10_000, by: [UInt64.max / 2, UInt64.max / 2]) == [5000, 5000])
    }

    @Test("parts always sum to the total and stay within one of the exact share (seeded)")
    func property() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let count = Int(rng.uniform(below: 20)) + 1
            let weights = (0..<count).map { _ in rng.uniform(below: 1_000_000_000) }
            let total = rng.uniform(below: 100_000)
            let parts = Apportionment.split(total, by: weights)
            let sum = weights.reduce(0, +)
            #expect(parts.reduce(0, +) == (sum == 0 ? 0 : total))
            for (w, p) in zip(weights, parts) where sum > 0 {
                let exact = Double(total) * Double(w) / Double(sum)
                #expect(Double(p) >= exact.rounded(.down) - 1e-6 && Double(p) <= exact.rounded(.down) + 1)
            }
        }
    }

    /// The rule written the slow way: exact floors, then remainders sorted (desc, index asc).
    static func reference(_ total: UInt64, _ weights: [UInt64]) -> [UInt64] {
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return weights.map { _ in 0 } }
        var parts = weights.map { sum.dividingFullWidth(total.multipliedFullWidth(by: $0)).quotient }
        let remainders = weights.map { sum.dividingFullWidth(total.multipliedFullWidth(by: $0)).remainder }
        var left = total - parts.reduce(0, +)
        for i in weights.indices.filter({ weights[$0] > 0 }).sorted(by: { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }) where left > 0 {
            parts[i] += 1
            left -= 1
        }
        return parts
    }

    @Test("the fast paths (few parts, reused buffers) give exactly the reference rule, ties included (seeded)")
    func matchesReference() {
        var rng = SplitMix64(seed: 11)
        var parts: [UInt64] = []
        var scratch: [UInt64] = []
        for round in 0..<3_000 {
            let count = Int(rng.uniform(below: round % 2 == 0 ? 8 : 60)) + 1
            // Small weights make equal remainders (ties) common.
            let weights = (0..<count).map { _ in rng.uniform(below: round % 3 == 0 ? 4 : 1_000) }
            let total = rng.uniform(below: 20_000)
            Apportionment.split(total, by: weights, into: &parts, remainders: &scratch)
            #expect(parts == ApportionmentTests.reference(total, weights), "weights \(weights) total \(total)")
        }
    }

    @Test("every path (equal remainders, packed keys, sums past 32 bits, many parts) gives the reference rule (seeded)")
    func pathsMatchReference() {
        var rng = SplitMix64(seed: 12)
        var parts: [UInt64] = []
        var scratch: [UInt64] = []
        for round in 0..<3_000 {
            let count = Int(rng.uniform(below: [4, 40, 200][round % 3])) + 1
            let weights: [UInt64] = (0..<count).map { i in
                switch round % 4 {
                case 0: i % 3 == 0 ? 0 : 1  // equal remainders, some zero weights
                case 1: rng.uniform(below: 3)  // many ties
                case 2: rng.uniform(below: 1 << 40)  // W past 32 bits
                default: rng.uniform(below: 5_000_000)
                }
            }
            let total = [10_000, 1_000_000, rng.uniform(below: 1_000_000)][round % 3]
            Apportionment.split(total, by: weights, into: &parts, remainders: &scratch)
            #expect(parts == ApportionmentTests.reference(total, weights), "weights \(weights) total \(total)")
        }
    }

    @Test("a tally's attribution passes Receipt.validate: sorted, each ≥ 1, sum 10000")
    func tallyFinish() throws {
        let docs = Fixture.documents(["a", "b", "c", "d"])
        var writer = IndexFile.Writer()
        DocumentTable.write(docs, into: &writer)
        let table = try DocumentTable(IndexFile(storage: IndexStorage(copying: writer.bytes()), name: "t"))
        var tally = AttributionTally()
        tally.distribute(1_000_000, occurrences: [0, 0, 1, 3, 3, 3])
        tally.add(1, to: 2)
        let (entries, credits) = try tally.finish(table)
        #expect(entries.map(\.weightBps).reduce(0, +) == 10_000)
        #expect(entries.allSatisfy { $0.weightBps >= 1 })
        #expect(entries == entries.sorted { $0.contribution < $1.contribution })
        #expect(credits.first?.weightBps == 5000)
        let receipt = Receipt(ledger: DatanetKeys.localLedger, channel: ChannelID(.zero), sequence: 1, requestDigest: .zero, responseDigest: .zero,
                              model: ModelID(.zero), modelVersion: .zero, listingSequence: 0, price: .zero, outputTokens: 1, coverageBps: 10_000,
                              attribution: entries)
        try receipt.validate()
    }

    @Test("a receipt credits at most 256 contributions: the ones with the most units, still summing to 10000")
    func tallyCap() throws {
        let docs = Fixture.documents((0..<300).map { "document number \($0)" })
        var writer = IndexFile.Writer()
        DocumentTable.write(docs, into: &writer)
        let file = try IndexFile(storage: IndexStorage(copying: writer.bytes()), name: "t")
        defer { withExtendedLifetime(file) {} }  // the table points into the file's storage
        let table = try DocumentTable(file)
        // Document d gets d + 1 units, except that documents 0 and 45 tie at 45: the smaller index stays.
        var units = (0..<300).map { AttributionTally.DocumentUnits(document: $0, units: UInt64($0 + 1)) }
        units[0].units = 45
        let (entries, _) = try AttributionTally.finish(units, table)
        #expect(entries.count == AttributionTally.maxEntries)
        #expect(entries.map(\.weightBps).reduce(0, +) == 10_000)
        let kept = Set(([0] + Array(45..<300)).map { table.contribution($0) })
        #expect(Set(entries.map(\.contribution)) == kept)
        #expect(!entries.contains { $0.contribution == table.contribution(44) })
    }
}
