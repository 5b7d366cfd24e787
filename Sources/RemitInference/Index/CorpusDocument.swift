public import RemitCore
public import RemitCrypto
import Synchronization

/// One contribution as a model sees it: its id, its contributor and its content.
public struct CorpusDocument: Sendable, Hashable {
    /// The contribution.
    public var contribution: ContributionID
    /// Who contributed it (credited when it shapes an answer).
    public var contributor: PublicKey
    /// A short label (author, title, source).
    public var label: String
    /// Text or row.
    public var kind: ContributionKind
    /// The content bytes (UTF-8 text or a canonical row).
    public var content: [UInt8]

    /// Creates a document.
    public init(contribution: ContributionID, contributor: PublicKey, label: String, kind: ContributionKind = .text, content: [UInt8]) {
        self.contribution = contribution
        self.contributor = contributor
        self.label = label
        self.kind = kind
        self.content = content
    }
}

/// The contribution table every index carries: document `i`'s contribution id and contributor,
/// read in place; contributor keys are checked when first credited.
public struct DocumentTable: @unchecked Sendable {  // no lock: points into immutable IndexStorage that its owner keeps alive
    let ids: UnsafeRawBufferPointer
    let contributorIndex: UnsafeBufferPointer<UInt32>
    let keys: UnsafeRawBufferPointer
    /// Labels (author, title), one per document.
    public let labels: StringTable
    private let validated = ContributorKeyCache()

    /// Number of documents.
    public var count: Int { contributorIndex.count }

    /// Writes the table's sections: `CONT` (32-byte ids), `CTRB` (u32 contributor index per
    /// document), `CKEY` (32-byte distinct contributor keys in first-use order), `LABO`/`LABB` labels.
    static func write(_ documents: [CorpusDocument], into writer: inout IndexFile.Writer) {
        var ids: [UInt8] = []
        ids.reserveCapacity(documents.count * 32)
        var keyIndex: [PublicKey: UInt32] = [:]
        var keys: [UInt8] = []
        var contributorIndex: [UInt32] = []
        for document in documents {
            ids += document.contribution.digest.bytes
            if let index = keyIndex[document.contributor] {
                contributorIndex.append(index)
            } else {
                let index = UInt32(keyIndex.count)
                keyIndex[document.contributor] = index
                keys += document.contributor.bytes
                contributorIndex.append(index)
            }
        }
        writer.add("CONT", bytes: ids)
        writer.add("CTRB", u32: contributorIndex)
        writer.add("CKEY", bytes: keys)
        writer.add(strings: documents.map { Array($0.label.utf8) }, offsetsTag: "LABO", bytesTag: "LABB")
    }

    /// Reads the table from a container.
    init(_ file: IndexFile) throws(RemitError) {
        ids = try file.bytes("CONT")
        contributorIndex = try file.u32("CTRB")
        keys = try file.bytes("CKEY")
        labels = try file.strings(offsetsTag: "LABO", bytesTag: "LABB")
        guard ids.count == contributorIndex.count * 32, keys.count % 32 == 0, labels.count == contributorIndex.count,
              contributorIndex.allSatisfy({ Int($0) < keys.count / 32 }) else {
            throw RemitError(.indexInvalid, "index document table is inconsistent: \(ids.count / 32) ids, \(contributorIndex.count) contributor entries, \(keys.count / 32) keys")
        }
    }

    /// Document `i`'s contribution id.
    public func contribution(_ i: Int) -> ContributionID {
        ContributionID(try! Digest32(bytes: UnsafeRawBufferPointer(rebasing: ids[(i * 32)..<(i * 32 + 32)])))  // 32 bytes by construction
    }

    /// Document `i`'s contributor; refuses a key that is not a valid Ed25519 point.
    public func contributor(_ i: Int) throws(RemitError) -> PublicKey {
        let k = Int(contributorIndex[i])
        if let key = validated.keys.withLock({ $0.isEmpty ? nil : $0[k] }) { return key }
        return try validate(k, document: i)
    }

    /// The attribution entries of the `documents` whose `weights` (basis points) are positive, in
    /// order, and whether their contribution ids ascend. Ids and contributor indexes are copied
    /// out first by a loop that does little else, so the cache misses of reading them (an
    /// answer's documents lie anywhere in the table) overlap; the cache of checked contributor
    /// keys is locked once.
    func entries(_ documents: [Int], weights: [UInt64]) throws(RemitError) -> (entries: [AttributionEntry], ascending: Bool) {
        guard let base = ids.baseAddress else { return ([], true) }
        var n = 0
        for w in weights where w > 0 { n += 1 }
        guard n > 0 else { return ([], true) }
        // The gathered ids and key indexes live on the stack: an answer allocates only the
        // entries it returns.
        return try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: n) { keyIndexes throws(RemitError) in
            try withUnsafeTemporaryAllocation(of: ContributionID.self, capacity: n) { contributions throws(RemitError) in
                // The gathering loop does nothing but copy, so many of its cache misses are in flight at once.
                var j = 0
                for (d, w) in zip(documents, weights) where w > 0 {
                    (contributions.baseAddress! + j).initialize(to: ContributionID(try! Digest32(bytes: UnsafeRawBufferPointer(start: base + d * 32, count: 32))))
                    keyIndexes[j] = contributorIndex[d]
                    j += 1
                }
                defer { contributions.baseAddress!.deinitialize(count: n) }
                var ascending = true
                let idBytes = UnsafeRawPointer(contributions.baseAddress!)
                assert(MemoryLayout<ContributionID>.stride == 32, "an id is its 32 bytes")
                for j in 1..<n where !DocumentTable.precedes(idBytes + (j - 1) * 32, idBytes + j * 32) {
                    ascending = false
                    break
                }
                let keyCount = keys.count / 32
                while true {
                    let built: [AttributionEntry]? = validated.keys.withLock { cache in
                        if cache.isEmpty { cache = [PublicKey?](repeating: nil, count: keyCount) }
                        for k in keyIndexes where cache[Int(k)] == nil { return nil }
                        var j = 0
                        return [AttributionEntry](unsafeUninitializedCapacity: n) { out, initialized in
                            for w in weights where w > 0 {
                                (out.baseAddress! + j).initialize(to: AttributionEntry(contribution: contributions[j], contributor: cache[Int(keyIndexes[j])]!,
                                                                                       weightBps: UInt16(w)))
                                j += 1
                            }
                            initialized = n
                        }
                    }
                    if let built { return (built, ascending) }
                    // Contributors credited for the first time: check their keys, then build again.
                    for (d, w) in zip(documents, weights) where w > 0 { _ = try contributor(d) }
                }
            }
        }
    }

    /// True when the 32 bytes at `a` sort strictly before those at `b` (big-endian words).
    private static func precedes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> Bool {
        for offset in stride(from: 0, to: 32, by: 8) {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            if x != y { return x < y }
        }
        return false
    }

    /// Checks contributor key `k` (first credited through document `i`) and caches it.
    private func validate(_ k: Int, document i: Int) throws(RemitError) -> PublicKey {
        let key: PublicKey
        do {
            key = try PublicKey(bytes: UnsafeRawBufferPointer(rebasing: keys[(k * 32)..<(k * 32 + 32)]))
        } catch {
            throw RemitError(.indexInvalid, "index contributor key \(k) of document \(i) is not a valid Ed25519 key", cause: error)
        }
        let keyCount = keys.count / 32
        validated.keys.withLock { cache in
            if cache.isEmpty { cache = [PublicKey?](repeating: nil, count: keyCount) }
            cache[k] = key
        }
        return key
    }
}

/// Contributor keys already checked to be valid Ed25519 points (checking costs microseconds,
/// and the same contributors are credited again and again).
final class ContributorKeyCache: Sendable {
    /// Checked keys by contributor index (empty until the first check, then one slot per key),
    /// guarded by the mutex.
    let keys = Mutex<[PublicKey?]>([])
}
