@testable import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import Testing

@Suite("Stored receipt rows")
struct StoredReceiptsTests {
    /// Receipts that change every field the row format compares, one at a time and together:
    /// sequences that skip and go back, another channel and ledger mid-row, another model,
    /// prices, tokens and coverage, no credits, and credits that repeat, move position, or
    /// name a known contribution with another contributor.
    static let receipts: [Receipt] = {
        var rng = SplitMix64(seed: 0x5EED_0F_4EC3_1975)
        func digest() -> Digest32 { BLAKE2b.hash((0..<8).map { _ in UInt8(rng.next() & 0xFF) }) }
        let contributions = (0..<6).map { _ in ContributionID(digest()) }
        let contributors = (0..<6).map { ProtocolVectors.key(UInt8(0x20 + $0)).publicKey }
        let channels = [ChannelID(digest()), ChannelID(digest())]
        let ledgers = [ProtocolVectors.ledger, LedgerID(digest())]
        let models = [ModelID(digest()), ModelID(digest())]
        var out: [Receipt] = []
        var sequence: UInt64 = 7
        for n in 0..<300 {
            let choice = rng.next() % 16
            sequence = choice == 0 ? sequence + 1 + rng.next() % 1000 : (choice == 1 ? max(1, sequence / 2) : sequence + 1)
            var credits: [AttributionEntry] = []
            if choice != 2 {
                let picked = Set((0..<(1 + Int(rng.next() % 4))).map { _ in Int(rng.next() % 6) }).sorted()
                var left = 10_000
                for (index, slot) in picked.enumerated() {
                    let weight = index == picked.count - 1 ? left : 1 + Int(rng.next() % UInt64(left - (picked.count - index - 1)))
                    left -= weight
                    // Now and then a known contribution arrives with another contributor.
                    let contributor = rng.next() % 23 == 0 ? contributors[(slot + 1) % 6] : contributors[slot]
                    credits.append(AttributionEntry(contribution: contributions[slot], contributor: contributor, weightBps: UInt16(weight)))
                }
                credits.sort { $0.contribution < $1.contribution }
            }
            out.append(Receipt(
                ledger: ledgers[n > 250 ? 1 : 0], channel: channels[n > 200 ? 1 : 0], sequence: sequence,
                requestDigest: digest(), responseDigest: digest(), model: models[choice == 3 ? 1 : 0],
                modelVersion: ProtocolVectors.listing.modelVersion, listingSequence: choice == 4 ? 2 : 1,
                price: Amount(uncheckedUnits: choice == 5 ? 77 : 1_000), outputTokens: UInt32(choice == 6 ? rng.next() % 500 : 8),
                coverageBps: credits.isEmpty ? 0 : (choice == 7 ? 9_000 : 10_000), attribution: credits
            ))
        }
        return out
    }()

    @Test("a row decodes to exactly the receipts it was made from, byte for byte")
    func roundTrip() throws {
        let decoded = try StoredReceipts.decode(StoredReceipts.encode(Self.receipts))
        #expect(decoded == Self.receipts)
        #expect(decoded.map(\.canonicalBytes) == Self.receipts.map(\.canonicalBytes))
        #expect(try StoredReceipts.decode(StoredReceipts.encode([])) == [])
        let one = [Self.receipts[5]]
        #expect(try StoredReceipts.decode(StoredReceipts.encode(one)) == one)
    }

    @Test("rows written before this format (plain and difference-packed) still decode")
    func olderRows() throws {
        let bytes = Self.receipts.map(\.canonicalBytes)
        #expect(try StoredReceipts.decode(PackedBytes.pack(bytes)) == Self.receipts)
        #expect(try StoredReceipts.decode(PackedBytes.packRun(bytes)) == Self.receipts)
    }

    @Test("a steady run costs each receipt its digests, flags and credits; each contribution is written once")
    func steadyRunSize() throws {
        // The shape of a tick run: consecutive sequences, one model and price, and credits drawn
        // from a few contributions with weights that change every time.
        var rng = SplitMix64(seed: 41)
        let pool = (0..<5).map { n in (ContributionID(BLAKE2b.hash([UInt8(n)])), ProtocolVectors.key(UInt8(0x30 + n)).publicKey) }
        let run = (0..<200).map { n in
            var credits = pool.filter { _ in rng.next() % 2 == 0 }
            if credits.isEmpty { credits = [pool[n % pool.count]] }
            let share = 10_000 / credits.count
            return Receipt(
                ledger: ProtocolVectors.ledger, channel: ChannelID(BLAKE2b.hash([9])), sequence: 41 + UInt64(n),
                requestDigest: BLAKE2b.hash([1, UInt8(n & 0xFF), UInt8(n >> 8)]), responseDigest: BLAKE2b.hash([2, UInt8(n & 0xFF), UInt8(n >> 8)]),
                model: ProtocolVectors.listing.model, modelVersion: ProtocolVectors.listing.modelVersion, listingSequence: 1,
                price: Amount(uncheckedUnits: 1_000), outputTokens: 8, coverageBps: 10_000,
                attribution: credits.enumerated().map { index, credit in
                    AttributionEntry(contribution: credit.0, contributor: credit.1, weightBps: UInt16(index == 0 ? 10_000 - share * (credits.count - 1) : share))
                }.sorted { $0.contribution < $1.contribution }
            )
        }
        let credits = run.reduce(0) { $0 + $1.attribution.count }
        let distinct = Set(run.flatMap(\.attribution).map(\.contribution)).count
        // Header 8; the first receipt's sequence, place and model, price, tokens and coverage
        // 8 + 64 + 72 + 8 + 4 + 2; per receipt flags, digests and count 67; per credit a
        // reference and weight 6; per distinct contribution its 64 bytes once.
        let expected = 8 + (8 + 64 + 72 + 8 + 4 + 2) + run.count * 67 + credits * 6 + distinct * 64
        let stored = StoredReceipts.encode(run)
        #expect(stored.count == expected)
        #expect(try StoredReceipts.decode(stored) == run)
        let canonical = run.reduce(0) { $0 + $1.canonicalBytes.count }
        #expect(stored.count * 4 < canonical, "stored \(stored.count) bytes, canonical \(canonical)")
    }

    @Test("a damaged row is a storage failure naming what broke, never a shorter list")
    func damagedRows() throws {
        let row = StoredReceipts.encode(Array(Self.receipts.prefix(20)))
        func refusal(_ bytes: [UInt8]) -> RemitError? {
            do {
                _ = try StoredReceipts.decode(bytes)
                return nil
            } catch {
                return error
            }
        }
        let truncated = try #require(refusal(Array(row.dropLast(3))))
        #expect(truncated.code == .channelStorageFailed)
        #expect(truncated.message.contains("but only 3 remain"), "\(truncated.message)")
        var flags = row
        flags[8] = 0xC0  // the first receipt's flags byte
        #expect(try #require(refusal(flags)).message.contains("unknown flags 0xc0"))
        var count = row
        count[4] = 0x7F  // a count no row of this size can hold
        #expect(try #require(refusal(count)).message.contains("receipts in"))
        #expect(try #require(refusal(row + [0])).code == .channelStorageFailed)
        // A reference past the table: the first credit of the first receipt names entry 5.
        let first = Self.receipts.prefix(20).first { !$0.attribution.isEmpty }!
        var reference = StoredReceipts.encode([first])
        let at = reference.count - first.attribution.count * 70  // each credit: reference, 64 bytes, weight
        reference.replaceSubrange(at..<(at + 68), with: [0, 0, 0, 5])
        #expect(try #require(refusal(reference)).message.contains("refers to credit 5 of 0"))
    }
}
