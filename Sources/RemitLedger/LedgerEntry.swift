public import RemitCore
public import RemitCrypto

/// One journal entry: its place in the chain, its time, the messages that authorise it and its
/// postings. Its hash is BLAKE2b-256(previous entry's hash ‖ canonical bytes), so changing any
/// entry breaks every hash after it.
///
/// Canonical bytes (docs/PROTOCOL.md §9.2): tag `remit/ledger-entry/v1` 0x00, then ledger
/// `bytes32`, sequence `u64`, timestamp `u64`, kind `u8`, the kind's payload, an optional
/// settlement summary, and the postings as `list{account (u8 kind ‖ bytes32), delta i64}`
/// sorted by account.
public struct LedgerEntry: Hashable, Sendable {
    /// The domain tag of the canonical form.
    public static let tag = "remit/ledger-entry/v1"

    /// The ledger the entry belongs to.
    public var ledger: LedgerID
    /// Position in the journal, from 1 (genesis).
    public var sequence: UInt64
    /// Unix seconds when the entry was applied; never before the previous entry's.
    public var timestamp: UInt64
    /// The authorising messages.
    public var payload: EntryPayload
    /// What a settlement paid (settle and finalize entries).
    public var settlement: SettlementSummary?
    /// Balance changes, sorted by account, one per account, none zero.
    public var postings: [Posting]

    /// Creates an entry.
    public init(ledger: LedgerID, sequence: UInt64, timestamp: UInt64, payload: EntryPayload, settlement: SettlementSummary?, postings: [Posting]) {
        self.ledger = ledger
        self.sequence = sequence
        self.timestamp = timestamp
        self.payload = payload
        self.settlement = settlement
        self.postings = postings
    }

    /// What the entry records.
    public var kind: EntryKind { payload.kind }

    /// The canonical bytes the entry hash covers.
    public var canonicalBytes: [UInt8] {
        var w = CanonicalWriter(capacity: 256 + postings.count * 41)
        w.writeTag(LedgerEntry.tag)
        w.write(ledger)
        w.write(sequence)
        w.write(timestamp)
        w.write(kind.rawValue)
        payload.write(to: &w)
        w.writeOptional(settlement) { w, s in
            w.write(s.receiptsRoot)
            w.write(s.receiptCount)
            w.write(s.charged)
            w.write(s.refund)
        }
        w.writeList(postings) { w, posting in
            posting.account.write(to: &w)
            w.write(UInt64(bitPattern: posting.delta))
        }
        return w.bytes
    }

    /// Decodes canonical bytes; refuses another tag, trailing bytes, and postings that are not in
    /// normal form (sorted by account, no repeats, no zero).
    public init(canonicalBytes bytes: [UInt8]) throws(RemitError) {
        var r = CanonicalReader(bytes)
        let tag = try r.readTag()
        guard tag == LedgerEntry.tag else {
            throw RemitError(.ledgerBadEntry, "expected a \(LedgerEntry.tag) entry, got domain tag \"\(tag)\"")
        }
        ledger = try r.readID("ledger")
        sequence = try r.readUInt64("sequence")
        timestamp = try r.readUInt64("timestamp")
        let rawKind = try r.readUInt8("kind")
        guard let kind = EntryKind(rawValue: rawKind) else {
            throw RemitError(.ledgerBadEntry, "entry kind \(rawKind) is not a known kind")
        }
        payload = try EntryPayload(kind: kind, reading: &r)
        settlement = try r.readOptional("settlement") { r throws(RemitError) in
            SettlementSummary(receiptsRoot: try r.readDigest("settlement.receiptsRoot"), receiptCount: try r.readUInt64("settlement.receiptCount"),
                              charged: try r.readAmount("settlement.charged"), refund: try r.readAmount("settlement.refund"))
        }
        postings = try r.readList("postings", maxCount: 1 << 24) { r throws(RemitError) in
            let account = try LedgerAccount(reading: &r)
            return Posting(account: account, delta: Int64(bitPattern: try r.readUInt64("postings.delta")))
        }
        try r.expectEnd("ledger entry")
        for index in postings.indices {
            guard postings[index].delta != 0 else {
                throw RemitError(.ledgerBadEntry, "entry \(sequence) has a zero posting to \(postings[index].account)")
            }
            if index > 0, !(postings[index - 1].account < postings[index].account) {
                throw RemitError(.ledgerBadEntry, "entry \(sequence) postings are not sorted by account without repeats")
            }
        }
    }

    /// BLAKE2b-256(previous ‖ canonical bytes): the entry's hash, the next entry's `previous`.
    public static func hash(previous: Digest32, canonicalBytes: [UInt8]) -> Digest32 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32 + canonicalBytes.count)
        previous.withUnsafeBytes { bytes += $0 }
        bytes += canonicalBytes
        return BLAKE2b.hash(bytes)
    }
}
