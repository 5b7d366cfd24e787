@testable import RemitChannels
import RemitInference
import Testing

@Suite("Packed receipt rows")
struct PackedBytesTests {
    /// Items that share prefixes and suffixes of every length, repeat, shrink, grow and are empty:
    /// the cases where a difference encoding can get an offset wrong.
    static let items: [[UInt8]] = {
        var rng = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
        func next() -> UInt64 { rng.next() >> 33 }
        var items: [[UInt8]] = [[], [], [1, 2, 3], [1, 2, 3], [1, 2], [], [7]]
        var previous = (0..<441).map { _ in UInt8(next() & 0xFF) }
        for _ in 0..<200 {
            var item = previous
            switch next() % 5 {
            case 0: item[Int(next() % UInt64(item.count))] ^= 0xFF
            case 1: item.removeLast(Int(next() % 9))
            case 2: item += (0..<Int(next() % 9)).map { _ in UInt8(next() & 0xFF) }
            case 3: item.insert(UInt8(next() & 0xFF), at: Int(next() % UInt64(item.count)))
            default: break
            }
            if item.isEmpty { item = [0] }
            items.append(item)
            previous = item
        }
        return items
    }()

    @Test("a run packed as differences unpacks to exactly the same items")
    func roundTrip() {
        #expect(PackedBytes.unpack(PackedBytes.packRun(Self.items)) == Self.items)
        #expect(PackedBytes.unpack(PackedBytes.packRun([])) == [])
    }

    @Test("rows written before difference packing still unpack")
    func oldRows() {
        #expect(PackedBytes.unpack(PackedBytes.pack(Self.items)) == Self.items)
    }

    @Test("a run of similar items packs far smaller than the items")
    func smaller() {
        let similar = Self.items.suffix(200).map { Array($0) }
        let plain = PackedBytes.pack(similar).count
        let run = PackedBytes.packRun(similar).count
        #expect(run * 5 < plain, "run \(run) bytes, plain \(plain) bytes")
    }
}
