/// Counts the documents of a suffix-array range: which documents hold the occurrences and how
/// many each holds, ascending by document. Small ranges are sorted; large ones are counted in a
/// dense per-document array allocated on first need and reset after each use.
struct DocumentHistogram {
    private let documentCount: Int
    private var dense: [UInt32] = []
    private var touched: [Int] = []

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
    /// adds them to `tally`; returns the number of documents credited.
    mutating func credit(_ range: Range<Int>, in index: TextIndex, units: UInt64, to tally: inout AttributionTally) -> Int {
        if range.count == 1 {
            tally.add(units, to: Int(index.documentArray[range.lowerBound]))
            return 1
        }
        let (documents, counts) = count(range, in: index)
        if documents.count == 1 {
            tally.add(units, to: documents[0])
        } else {
            tally.distribute(units, documents: documents, counts: counts)
        }
        return documents.count
    }
}
