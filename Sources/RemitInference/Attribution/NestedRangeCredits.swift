import RemitCore
import Synchronization

/// The attribution work of one ∞-gram answer (docs/PROTOCOL.md §10.4.1), done in one pass per
/// credited n-gram without sorting or hashing.
///
/// Each generated token's n-gram is the previous token's n-gram extended by one token, so its
/// suffix-array range lies inside the previous range: every range an answer credits is nested in
/// the first one. The first range's documents are therefore the only documents the answer can
/// credit. They are numbered once, ascending (their *slots*), each position of the first range
/// is mapped to its slot, and a later range is counted per slot by reading its positions. Units
/// are summed per slot, and the receipt attribution is made once, at the end.
///
/// A range with as many occurrences as the previous one holds exactly the same occurrences, so
/// its split is reused and only counted (``pending``).
struct NestedRangeCredits {
    /// The first range credited: every later range lies inside it.
    private var origin = 0..<0
    /// The documents of `origin`, ascending: document of each slot.
    private var documents: [Int] = []
    /// The slot of each position of `origin` (position − `origin.lowerBound`).
    private var slots: [Int32] = []
    /// Units credited so far, per slot.
    private var totals: [UInt64] = []
    /// Occurrences per slot of the range being split (zero between splits).
    private var counts: [UInt64] = []
    /// The slots the last split credits, ascending, and their parts of the units.
    private var hit: [Int] = []
    private var parts: [UInt64] = []
    /// Scratch for the split (`remainders` is never emptied: the apportionment writes before it reads).
    private var weights: [UInt64] = []
    private var remainders: [UInt64] = []
    /// Sort keys of the first range and the radix sort's second buffer.
    private var keys: [UInt64] = []
    private var sorted: [UInt64] = []
    /// Occurrences of the last range split, and how many tokens its split is owed to.
    private var lastCount = -1
    private var pending: UInt64 = 0

    /// Forgets everything credited, keeping the buffers' capacity for the next answer.
    mutating func reset() {
        origin = 0..<0
        documents.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        totals.removeAll(keepingCapacity: true)
        counts.removeAll(keepingCapacity: true)
        hit.removeAll(keepingCapacity: true)
        parts.removeAll(keepingCapacity: true)
        weights.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        sorted.removeAll(keepingCapacity: true)
        lastCount = -1
        pending = 0
    }

    /// Occurrences the buffers have room for (what keeping them for the next answer costs).
    var capacity: Int { max(slots.capacity, keys.capacity) }

    /// Credits `units` to the documents of `range` for one generated token, in proportion to
    /// their occurrences there (``Apportionment``, ties to the smaller document). Consecutive
    /// calls must get nested ranges. Returns the number of documents credited.
    @inline(__always)
    mutating func credit(_ range: Range<Int>, in index: TextIndex, units: UInt64) -> Int {
        if range.count == lastCount && pending > 0 {
            pending += 1
            return hit.count
        }
        return creditNewSplit(range, in: index, units: units)
    }

    @inline(never)
    private mutating func creditNewSplit(_ range: Range<Int>, in index: TextIndex, units: UInt64) -> Int {
        precondition(!range.isEmpty, "a credited n-gram occurs")
        flush()
        if documents.isEmpty {
            // The first range: numbering it counts its documents' occurrences too.
            number(range, in: index)
            Apportionment.split(units, by: weights, into: &parts, remainders: &remainders)
        } else {
            precondition(origin.lowerBound <= range.lowerBound && range.upperBound <= origin.upperBound,
                         "credited ranges must be nested: \(range) is not inside \(origin)")
            split(range, units: units)
        }
        lastCount = range.count
        pending = 1
        return hit.count
    }

    /// Numbers the documents of the first range and maps its positions to them; leaves every
    /// slot in ``hit`` and its occurrences in ``weights``.
    private mutating func number(_ range: Range<Int>, in index: TextIndex) {
        origin = range
        let block = UnsafeBufferPointer(rebasing: index.documentArray[range])
        let n = block.count
        slots.append(contentsOf: repeatElement(0, count: n))
        documents.reserveCapacity(n)
        weights.reserveCapacity(n)
        hit.reserveCapacity(n)
        if n <= 1 << 16 {
            // (document, position) pairs in one sort give the documents ascending and each
            // position's slot.
            keys.reserveCapacity(n)
            for position in 0..<n { keys.append(UInt64(block[position]) << 32 | UInt64(position)) }
            NestedRangeCredits.sortByDocument(&keys, using: &sorted, documentCount: index.documentCount)
            // Documents and their occurrences are appended as found (capacity is reserved): no
            // array of n zeros to fill and then cut.
            keys.withUnsafeBufferPointer { keys in
                slots.withUnsafeMutableBufferPointer { slots in
                    var last = -1
                    var count: UInt64 = 0
                    for key in keys {
                        let document = Int(key >> 32)
                        if document != last {
                            if last >= 0 { weights.append(count) }
                            documents.append(document)
                            last = document
                            count = 0
                        }
                        slots[Int(key & 0xFFFF_FFFF)] = Int32(documents.count - 1)
                        count += 1
                    }
                    weights.append(count)
                }
            }
        } else {
            // Very common n-grams (a large maxOccurrences): mark documents in a dense array instead.
            var seen = [Int32](repeating: -1, count: index.documentCount)
            for d in block where seen[Int(d)] < 0 {
                seen[Int(d)] = 0
                documents.append(Int(d))
            }
            documents.sort()
            for (slot, d) in documents.enumerated() { seen[d] = Int32(slot) }
            weights.append(contentsOf: repeatElement(0, count: documents.count))
            for (position, d) in block.enumerated() {
                slots[position] = seen[Int(d)]
                weights[Int(seen[Int(d)])] += 1
            }
        }
        let k = documents.count
        hit.append(contentsOf: 0..<k)
        totals.append(contentsOf: repeatElement(0, count: k))
        counts.append(contentsOf: repeatElement(0, count: k))
        parts.reserveCapacity(k)
        remainders.reserveCapacity(2 * k)
    }

    /// Sorts (document << 32 | position) keys by document: radix passes over the bits a document
    /// index below `documentCount` can have, a plain sort when there are few keys. The digit is
    /// 8 bits for many keys and 6 for fewer (about a hundred, typical of an answer's first
    /// n-gram), where clearing and summing 256 counters per pass would cost more than the keys.
    /// Up to ``bucketedLimit`` keys, one pass on the document's top digit leaves a few keys per
    /// bucket, and an insertion sort finishes.
    static func sortByDocument(_ keys: inout [UInt64], using other: inout [UInt64], documentCount: Int) {
        let n = keys.count
        let bits = Int.bitWidth - max(documentCount - 1, 0).leadingZeroBitCount
        if n < 32 || bits == 0 {
            keys.sort()
            return
        }
        if n < bucketedLimit && bucketThenInsert(&keys, using: &other, bits: bits) { return }
        let digit = n < 96 ? 6 : 8
        let mask = (1 << digit) - 1
        other.removeAll(keepingCapacity: true)
        other.append(contentsOf: repeatElement(0, count: n))
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 1 << digit) { counts in
            var shift = 32
            while shift < 32 + bits {
                keys.withUnsafeBufferPointer { source in
                    other.withUnsafeMutableBufferPointer { target in
                        scatter(source, into: target, counts: counts, shift: UInt64(shift), mask: mask)
                    }
                }
                swap(&keys, &other)
                shift += digit
            }
        }
    }

    /// One counting pass: places `source` into `target` ordered by the digit `(key >> shift) & mask`,
    /// stably. `counts` holds at least `mask + 1` counters (their contents are overwritten).
    @inline(__always)
    private static func scatter(_ source: UnsafeBufferPointer<UInt64>, into target: UnsafeMutableBufferPointer<UInt64>,
                                counts: UnsafeMutableBufferPointer<Int>, shift: UInt64, mask: Int) {
        counts.initialize(repeating: 0)
        for key in source { counts[Int(truncatingIfNeeded: key >> shift) & mask] += 1 }
        var start = 0
        for d in 0...mask {
            let count = counts[d]
            counts[d] = start
            start += count
        }
        for key in source {
            let d = Int(truncatingIfNeeded: key >> shift) & mask
            target[counts[d]] = key
            counts[d] += 1
        }
    }

    /// Most keys ``sortByDocument(_:using:documentCount:)`` sorts by one bucketing pass and an insertion sort.
    static let bucketedLimit = 1_024

    /// Sorts `keys` (fewer than ``bucketedLimit``) by one counting pass on the top digit of the
    /// `bits`-bit document index, then an insertion sort of the whole (every key then sits in its
    /// digit's bucket, ascending by position among equal documents). Documents are spread evenly
    /// over the index (model order is by contribution id, a hash), so a bucket holds a few keys
    /// (64 buckets below 96 keys, 256 above) and the insertion sort moves few; when it would move
    /// more than 8 per key (keys bunched in few buckets) it stops and returns false, leaving
    /// `keys` as they were for the radix sort.
    private static func bucketThenInsert(_ keys: inout [UInt64], using other: inout [UInt64], bits: Int) -> Bool {
        let n = keys.count
        let digit = min(bits, n < 96 ? 6 : 8)
        let shift = UInt64(32 + bits - digit)
        let mask = (1 << digit) - 1
        other.removeAll(keepingCapacity: true)
        other.append(contentsOf: repeatElement(0, count: n))
        let sorted = withUnsafeTemporaryAllocation(of: Int.self, capacity: 1 << digit) { counts in
            keys.withUnsafeBufferPointer { source in
                other.withUnsafeMutableBufferPointer { target in
                    scatter(source, into: target, counts: counts, shift: shift, mask: mask)
                    var budget = 8 * n
                    for i in 1..<n {
                        let key = target[i]
                        var j = i
                        while j > 0 && target[j - 1] > key {
                            target[j] = target[j - 1]
                            j -= 1
                        }
                        target[j] = key
                        budget -= i - j
                        if budget < 0 { return false }
                    }
                    return true
                }
            }
        }
        if sorted { swap(&keys, &other) }
        return sorted
    }

    /// Splits `units` over the slots of `range` by occurrence count into ``hit`` and ``parts``.
    private mutating func split(_ range: Range<Int>, units: UInt64) {
        hit.removeAll(keepingCapacity: true)
        let offset = origin.lowerBound
        if range.count == 1 {
            hit.append(Int(slots[range.lowerBound - offset]))
            parts.removeAll(keepingCapacity: true)
            parts.append(units)
            return
        }
        let k = documents.count
        slots.withUnsafeBufferPointer { slots in
            counts.withUnsafeMutableBufferPointer { counts in
                for position in range {
                    let slot = Int(slots[position - offset])
                    if counts[slot] == 0 { hit.append(slot) }
                    counts[slot] += 1
                }
                // Slots are in document order; visit the ones hit in that order (sorting them when
                // they are few, scanning every slot otherwise).
                if hit.count * 8 < k {
                    hit.sort()
                } else {
                    hit.removeAll(keepingCapacity: true)
                    for slot in 0..<k where counts[slot] > 0 { hit.append(slot) }
                }
                weights.removeAll(keepingCapacity: true)
                for slot in hit {
                    weights.append(counts[slot])
                    counts[slot] = 0
                }
            }
        }
        Apportionment.split(units, by: weights, into: &parts, remainders: &remainders)
    }

    /// Adds the pending splits to the totals.
    private mutating func flush() {
        guard pending > 0 else { return }
        let times = pending
        totals.withUnsafeMutableBufferPointer { totals in
            for (slot, part) in zip(hit, parts) { totals[slot] += part * times }
        }
        pending = 0
    }

    /// The receipt attribution of everything credited and each entry's document (docs/PROTOCOL.md
    /// §10.4: 10000 bps by largest remainder over the documents' units, zero entries dropped).
    /// With `documents` false the list of documents is left empty.
    mutating func attribution(_ table: DocumentTable, documents listed: Bool = true) throws(RemitError) -> (entries: [AttributionEntry], documents: [Int]) {
        flush()
        // Slots that got no units weigh 0: they get 0 bps and no entry, as if left out.
        return try AttributionTally.attribution(documents: documents, units: totals, table, parts: &parts, scratch: &remainders, listed: listed)
    }
}

/// A few ``NestedRangeCredits`` kept between answers, so an answer reuses their buffers and
/// allocates only what it returns. The mutex guards the short list (taken twice per answer).
///
/// Credits are kept as they were left and reset when taken: by then the answer that used them
/// has released its copy, so the reset empties buffers it owns alone. (Resetting when kept
/// would empty a second reference to each buffer, which copies every one of them.)
final class NestedRangeCreditsPool: Sendable {
    private let spare = Mutex<[NestedRangeCredits]>([])

    /// Spare credits, emptied, or new ones.
    func take() -> NestedRangeCredits {
        guard var credits = spare.withLock({ $0.popLast() }) else { return NestedRangeCredits() }
        credits.reset()
        return credits
    }

    /// Keeps `credits` for a later answer, unless its buffers grew large or enough are kept.
    /// Consumed, and moved into the list: a copy would retain each buffer, and dropping the
    /// caller's copy release each again.
    func put(_ credits: consuming NestedRangeCredits) {
        guard credits.capacity <= 1 << 16 else { return }
        var moved: NestedRangeCredits? = consume credits
        spare.withLock { spare in
            if spare.count < 4 { spare.append(moved.take()!) }
        }
    }
}
