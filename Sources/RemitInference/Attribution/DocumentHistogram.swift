/// Counts the documents of a suffix-array range: which documents hold the occurrences and how
/// many each holds, ascending by document. Small ranges are sorted; large ones are counted in a
/// dense per-document array allocated on first need and reset after each use.
struct DocumentHistogram {
    private let documentCount: Int
    private var dense: [UInt32] = []
    private var touched: [Int] = []
    private var scratch: [UInt32] = []
    private var runCounts: [UInt64] = []
    private var remainders: [UInt64] = []
    private var lastDocuments: [Int] = []
    private var lastParts: [UInt64] = []
    private var lastCount = -1
    private var pending: UInt64 = 0

    init(documentCount: Int) { self.documentCount = documentCount }

    mutating func count(_ range: Range<Int>, in index: TextIndex) -> (documents: [Int], counts: [UInt64]) {
        var documents: [Int] = []
        var counts: [UInt64] = []
        if range.count <= 512 {
            var ids = range.map { Int(index.documentArray[$0]) }
            ids.sort()
            for d in ids {
                if documents.last == d { counts[counts.count - 1] += 1 } else {
                    documents.append(d)
                    counts.append(1)
                }
            }
            return (documents, counts)
        }
        if dense.isEmpty { dense = [UInt32](repeating: 0, count: documentCount) }
        touched.removeAll(keepingCapacity: true)
        let documentArray = index.documentArray
        dense.withUnsafeMutableBufferPointer { dense in
            for i in range {
                let d = Int(documentArray[i])
                if dense[d] == 0 { touched.append(d) }
                dense[d] &+= 1
            }
        }
        touched.sort()
        documents.reserveCapacity(touched.count)
        counts.reserveCapacity(touched.count)
        for d in touched {
            documents.append(d)
            counts.append(UInt64(dense[d]))
            dense[d] = 0
        }
        return (documents, counts)
    }

    /// Splits `units` among the documents of `range` by occurrence count (``Apportionment``) into
    /// ``lastDocuments`` and ``lastParts``. Reuses its buffers, so a loop allocates nothing.
    private mutating func split(_ range: Range<Int>, in index: TextIndex, units: UInt64) {
        let documentArray = index.documentArray
        lastDocuments.removeAll(keepingCapacity: true)
        if range.count == 1 {
            lastDocuments.append(Int(documentArray[range.lowerBound]))
            lastParts.removeAll(keepingCapacity: true)
            lastParts.append(units)
            return
        }
        runCounts.removeAll(keepingCapacity: true)
        if range.count > 512 {
            let (documents, counts) = count(range, in: index)
            lastDocuments.append(contentsOf: documents)
            runCounts.append(contentsOf: counts)
        } else {
            scratch.removeAll(keepingCapacity: true)
            for i in range { scratch.append(documentArray[i]) }
            scratch.sort()
            for d in scratch {
                if let last = lastDocuments.last, last == Int(d) { runCounts[runCounts.count - 1] += 1 } else {
                    lastDocuments.append(Int(d))
                    runCounts.append(1)
                }
            }
        }
        Apportionment.split(units, by: runCounts, into: &lastParts, remainders: &remainders)
    }

    /// Credits `units` to the documents of `range` for one generated token, where consecutive
    /// calls get nested ranges (each token's n-gram extends the previous one's, so its
    /// occurrences are a subset of the previous occurrences). A range with as many occurrences
    /// as the previous one holds exactly the same occurrences, so its split is reused and only
    /// counted; ``flush(to:)`` adds the pending splits. Returns the number of documents credited.
    mutating func creditNested(_ range: Range<Int>, in index: TextIndex, units: UInt64, to tally: inout AttributionTally) -> Int {
        if range.count == lastCount && pending > 0 {
            pending += 1
            return lastDocuments.count
        }
        flush(to: &tally)
        split(range, in: index, units: units)
        lastCount = range.count
        pending = 1
        return lastDocuments.count
    }

    /// Adds the pending repeated splits to `tally`.
    mutating func flush(to tally: inout AttributionTally) {
        guard pending > 0 else { return }
        for (d, p) in zip(lastDocuments, lastParts) { tally.add(p * pending, to: d) }
        pending = 0
    }
}
