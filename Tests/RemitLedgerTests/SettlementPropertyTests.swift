import RemitCore
import RemitCrypto
@testable import RemitLedger
import Testing

@Suite("ledger: settlement split properties (seeded)")
struct SettlementPropertyTests {
    @Test("largest remainder: parts add up exactly, none negative, each within one unit of its exact share", arguments: [1, 2, 3])
    func largestRemainder(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<3_000 {
            let total = Int64.random(in: 0...(rng.next() % 2 == 0 ? 1_000 : Int64.max), using: &rng)
            let count = Int.random(in: 1...12, using: &rng)
            var weights = (0..<count).map { _ in UInt64.random(in: 0...10_000, using: &rng) }
            if weights.allSatisfy({ $0 == 0 }) { weights[0] = 1 }
            let parts = LargestRemainder.split(total, weights: weights)
            let sum = weights.reduce(0, +)
            #expect(parts.reduce(0, +) == total)
            for (part, weight) in zip(parts, weights) {
                let exact = sum.dividingFullWidth(UInt64(total).multipliedFullWidth(by: weight)).quotient
                #expect(part >= 0)
                #expect(UInt64(part) == exact || UInt64(part) == exact + 1)
                if weight == 0 { #expect(part == 0) }
            }
        }
    }

    @Test("largest remainder: leftovers go to the largest remainders, ties to the lower index")
    func ties() {
        #expect(LargestRemainder.split(10, weights: [1, 1, 1]) == [4, 3, 3])
        #expect(LargestRemainder.split(2, weights: [1, 1, 1]) == [1, 1, 0])
        #expect(LargestRemainder.split(100, weights: [3_333, 3_333, 3_334]) == [33, 33, 34])
        #expect(LargestRemainder.split3(7, 5_000, 4_000, 1_000) == (3, 3, 1))
        #expect(LargestRemainder.split3(Int64.max, 5_000, 4_000, 1_000).0 + LargestRemainder.split3(Int64.max, 5_000, 4_000, 1_000).1
                    + LargestRemainder.split3(Int64.max, 5_000, 4_000, 1_000).2 == Int64.max)
    }

    static func randomSplit(_ rng: inout SeededGenerator) -> RevenueSplit {
        let owner = UInt16.random(in: 0...10_000, using: &rng)
        let contributors = UInt16.random(in: 0...(10_000 - owner), using: &rng)
        return RevenueSplit(ownerBps: owner, contributorsBps: contributors, treasuryBps: 10_000 - owner - contributors)
    }

    static func randomWeights(_ rng: inout SeededGenerator) -> [UInt16] {
        let count = Int.random(in: 0...8, using: &rng)
        guard count > 0 else { return [] }
        var cuts = (0..<(count - 1)).map { _ in UInt16.random(in: 0...10_000, using: &rng) }.sorted()
        cuts = [0] + cuts + [10_000]
        var weights = zip(cuts.dropFirst(), cuts).map { $0 - $1 }
        // Weights must be at least 1: move units from the largest.
        for index in weights.indices where weights[index] == 0 {
            let largest = weights.indices.max { weights[$0] < weights[$1] }!
            weights[largest] -= 1
            weights[index] = 1
        }
        return weights
    }

    @Test("receipt shares add up exactly to the price for thousands of random receipts", arguments: [11, 12])
    func receiptShares(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<5_000 {
            let price = try! Amount(units: Int64.random(in: 0...(rng.next() % 3 == 0 ? Int64.max : 10_000_000), using: &rng))
            let weights = SettlementPropertyTests.randomWeights(&rng)
            let coverage: UInt16 = weights.isEmpty ? 0 : UInt16.random(in: 1...10_000, using: &rng)
            let shares = Settlement.shares(price: price, split: SettlementPropertyTests.randomSplit(&rng), coverageBps: coverage, weights: weights)
            #expect(shares.total == price.units)
            #expect(shares.owner >= 0 && shares.treasury >= 0 && shares.contributors.allSatisfy { $0 >= 0 })
            #expect(shares.contributors.count == weights.count)
        }
    }

    @Test("random channels settled on a real ledger: payouts equal the receipts, refunds the rest, supply unchanged, verify passes", arguments: StoreKind.available)
    func ledgerSettlements(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            var rng = SeededGenerator(seed: 42)
            let cs = try await f.setUpMarket(contributions: 12)
            var splits: [RevenueSplit] = [RevenueSplit(ownerBps: 5_000, contributorsBps: 4_000, treasuryBps: 1_000)]
            for sequence in 2...4 {
                let split = SettlementPropertyTests.randomSplit(&rng)
                splits.append(split)
                try await f.ledger.registerListing(Signed(signing: f.listing(sequence: UInt64(sequence), split: split), with: f.payee))
            }
            var paidOut: Int64 = 0
            for nonce in 1...60 {
                let deposit = try Amount(units: Int64.random(in: 1_000...2_000_000_000, using: &rng))
                let open = f.open(nonce: UInt64(nonce), deposit: deposit)
                try await f.ledger.openChannel(Signed(signing: open, with: f.payer))
                var receipts: [Receipt] = []
                var left = deposit.units
                for sequence in 1...Int.random(in: 0...40, using: &rng) {
                    let price = Int64.random(in: 0...max(0, min(left, 60_000_000)), using: &rng)
                    left -= price
                    let weights = SettlementPropertyTests.randomWeights(&rng)
                    let picked = Array(cs.shuffled(using: &rng).prefix(weights.count))
                    receipts.append(f.receipt(open.channel, sequence: UInt64(sequence), price: try Amount(units: price),
                                              coverage: weights.isEmpty ? 0 : UInt16.random(in: 1...10_000, using: &rng),
                                              attribution: Array(zip(picked, weights)), listingSequence: UInt64.random(in: 1...4, using: &rng)))
                }
                let charged = try Amount.sum(receipts.map(\.price))
                let voucher = receipts.isEmpty ? nil : f.voucher(open.channel, sequence: UInt64(receipts.count), cumulative: charged)
                let before = try await f.store.loadState().balances
                let applied = try await f.ledger.claim(f.claim(open.channel, voucher: voucher, receipts: receipts), voucher: voucher, receipts: receipts)
                let after = try await f.store.loadState().balances
                #expect(applied.postings.reduce(0) { $0 + $1.delta } == 0)
                #expect(applied.settlement?.charged == charged)
                #expect(applied.settlement?.refund.units == deposit.units - charged.units)
                #expect(after.values.allSatisfy { $0 >= 0 })
                let gained = applied.postings.filter { $0.account != .escrow(open.channel) && $0.account != .user(f.payer.publicKey) }.reduce(0) { $0 + $1.delta }
                #expect(gained == charged.units)
                #expect(after[.user(f.payer.publicKey)]! - before[.user(f.payer.publicKey)]! == deposit.units - charged.units)
                paidOut += charged.units
            }
            #expect(try await f.supplyHolds())
            let report = await f.ledger.verify()
            #expect(report.ok, "\(report.text)")
            #expect(paidOut > 0)
        }
    }
}
