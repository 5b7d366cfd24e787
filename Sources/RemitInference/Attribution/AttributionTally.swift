public import RemitCore

/// Collects attribution units per document while a model answers, then turns them into a
/// receipt's attribution: basis points by ``Apportionment`` over the documents (ties to the
/// smaller contribution id, which is the smaller document index), entries of 0 bps dropped,
/// sorted by contribution id, summing to exactly 10000.
public struct AttributionTally: Sendable {
    /// Credits in the order they were added (a document may appear many times); merged by
    /// ``finish(_:)``. Appending is cheaper than hashing per token.
    private var credits: [DocumentUnits] = []

    /// An empty tally.
    public init() {}

    /// Adds units to a document.
    public mutating func add(_ amount: UInt64, to document: Int) {
        guard amount > 0 else { return }
        if let last = credits.last, last.document == document {
            credits[credits.count - 1].units += amount
        } else {
            credits.append(DocumentUnits(document: document, units: amount))
        }
    }

    /// Units per document, ascending by document.
    public var units: [DocumentUnits] {
        var sorted = credits
        sorted.sort { $0.document < $1.document }
        var merged: [DocumentUnits] = []
        merged.reserveCapacity(sorted.count)
        for credit in sorted {
            if let last = merged.last, last.document == credit.document {
                merged[merged.count - 1].units += credit.units
            } else {
                merged.append(credit)
            }
        }
        return merged
    }

    /// Splits `budget` units among the documents of `occurrences` (one document index per
    /// occurrence, any order) in proportion to their occurrence counts with ``Apportionment``
    /// (ties to the smaller document index) and adds them.
    public mutating func distribute(_ budget: UInt64, occurrences: [Int]) {
        guard !occurrences.isEmpty else { return }
        let sorted = occurrences.sorted()
        var documents: [Int] = []
        var counts: [UInt64] = []
        for d in sorted {
            if documents.last == d { counts[counts.count - 1] += 1 } else {
                documents.append(d)
                counts.append(1)
            }
        }
        distribute(budget, documents: documents, counts: counts)
    }

    /// Splits `budget` among `documents` (ascending, distinct) in proportion to `counts`.
    public mutating func distribute(_ budget: UInt64, documents: [Int], counts: [UInt64]) {
        let parts = Apportionment.split(budget, by: counts)
        for (d, p) in zip(documents, parts) { add(p, to: d) }
    }

    /// True when nothing was credited.
    public var isEmpty: Bool { credits.isEmpty }

    /// The receipt attribution and the labelled credits (heaviest first, ties by contribution id).
    public func finish(_ table: DocumentTable) throws(RemitError) -> (entries: [AttributionEntry], credits: [Credit]) {
        try AttributionTally.finish(units, table)
    }

    /// Units credited to one document.
    public struct DocumentUnits: Sendable, Hashable {
        /// The document index.
        public var document: Int
        /// Its units.
        public var units: UInt64

        /// Creates a pair.
        public init(document: Int, units: UInt64) {
            self.document = document
            self.units = units
        }
    }

    /// The receipt attribution from units per document, given ascending by document.
    public static func finish(_ units: [DocumentUnits], _ table: DocumentTable) throws(RemitError) -> (entries: [AttributionEntry], credits: [Credit]) {
        var parts: [UInt64] = []
        var scratch: [UInt64] = []
        let (entries, documents) = try attribution(documents: units.map(\.document), units: units.map(\.units), table, parts: &parts, scratch: &scratch)
        return (entries, credits(entries, documents: documents, labels: table.labels))
    }

    /// The receipt attribution from the units of `documents` (ascending, distinct) and each
    /// entry's document (left empty when not `listed`, unless the entries had to be reordered);
    /// no labels are read (``credits(_:documents:labels:)`` adds them). `parts` and `scratch`
    /// are the apportionment's buffers.
    static func attribution(documents: [Int], units: [UInt64], _ table: DocumentTable, parts: inout [UInt64], scratch: inout [UInt64],
                            listed: Bool = true) throws(RemitError) -> (entries: [AttributionEntry], documents: [Int]) {
        guard !documents.isEmpty else { return ([], []) }
        if documents.count > maxEntries {
            let kept = capped(documents: documents, units: units)
            return try attribution(documents: kept.documents, units: kept.units, table, parts: &parts, scratch: &scratch, listed: listed)
        }
        Apportionment.split(10_000, by: units, into: &parts, remainders: &scratch)
        var (entries, ascending) = try table.entries(documents, weights: parts)
        guard listed || !ascending else { return (entries, []) }
        var credited: [Int] = []
        credited.reserveCapacity(entries.count)
        for (d, w) in zip(documents, parts) where w > 0 { credited.append(d) }
        // Models keep documents in ascending contribution id, so entries usually are sorted already.
        if !ascending {
            let order = entries.indices.sorted { entries[$0].contribution < entries[$1].contribution }
            entries = order.map { entries[$0] }
            credited = order.map { credited[$0] }
        }
        return (entries, credited)
    }

    /// The labelled credits of an attribution (`documents[i]` is the document of `entries[i]`),
    /// heaviest first, ties by contribution id.
    static func credits(_ entries: [AttributionEntry], documents: [Int], labels: StringTable) -> [Credit] {
        var credits = zip(entries, documents).map { entry, d in
            Credit(contribution: entry.contribution, contributor: entry.contributor, label: labels.string(d), weightBps: entry.weightBps)
        }
        credits.sort { $0.weightBps != $1.weightBps ? $0.weightBps > $1.weightBps : $0.contribution < $1.contribution }
        return credits
    }

    /// Most contributions one receipt credits (docs/PROTOCOL.md §10.4): a receipt stays small
    /// enough to travel in an HTTP header and to settle cheaply, whatever the model.
    public static let maxEntries = 256

    /// At most ``maxEntries`` documents: the ones with the most units (ties to the smaller
    /// document index), still ascending by document. The 10,000 bps are then split among them.
    static func capped(documents: [Int], units: [UInt64]) -> (documents: [Int], units: [UInt64]) {
        guard documents.count > maxEntries else { return (documents, units) }
        let kept = documents.indices.sorted { units[$0] != units[$1] ? units[$0] > units[$1] : documents[$0] < documents[$1] }
            .prefix(maxEntries).sorted { documents[$0] < documents[$1] }
        return (kept.map { documents[$0] }, kept.map { units[$0] })
    }

    /// `covered / total` in basis points, rounded down but at least 1 when anything is covered.
    public static func coverage(covered: Int, total: Int) -> UInt16 {
        guard total > 0, covered > 0 else { return 0 }
        return UInt16(max(1, min(10_000, covered * 10_000 / total)))
    }
}
