/// Counts the documents of a suffix-array range: which documents hold the occurrences and how
/// many each holds, ascending by document. Small ranges are sorted; large ones are counted in a
/// dense per-document array allocated on first need and reset after each use.
struct DocumentHistogram {
    private let documentCount: Int
    private var dense: [UInt32] = []
    private var touched: [Int] = []
    private var scratch: [UInt32] = []
    private var runDocuments: [Int] = []
    private var runCounts: [UInt64] = []
    private var parts: [UInt64] = []
    private var remainders: [UInt64] = []

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

    /// Splits `units` among the documents of `range` by occurrence count (``Apportionment``) and
    /// adds them to `tally`; returns the number of documents credited. Reuses its buffers, so a
    /// generation loop allocates nothing per token.
    mutating func credit(_ range: Range<Int>, in index: TextIndex, units: UInt64, to tally: inout AttributionTally) -> Int {
        let documentArray = index.documentArray
        if range.count == 1 {
            tally.add(units, to: Int(documentArray[range.lowerBound]))
            return 1
        }
        if range.count > 512 {
            let (documents, counts) = count(range, in: index)
            tally.distribute(units, documents: documents, counts: counts)
            return documents.count
        }
        scratch.removeAll(keepingCapacity: true)
        for i in range { scratch.append(documentArray[i]) }
        scratch.sort()
        runDocuments.removeAll(keepingCapacity: true)
        runCounts.removeAll(keepingCapacity: true)
        for d in scratch {
            if let last = runDocuments.last, last == Int(d) { runCounts[runCounts.count - 1] += 1 } else {
                runDocuments.append(Int(d))
                runCounts.append(1)
            }
        }
        if runDocuments.count == 1 {
            tally.add(units, to: runDocuments[0])
            return 1
        }
        Apportionment.split(units, by: runCounts, into: &parts, remainders: &remainders)
        for (d, p) in zip(runDocuments, parts) { tally.add(p, to: d) }
        return runDocuments.count
    }
}
