import RemitCore
import RemitCrypto

/// How both books store the receipts of one tick run or receipt batch in a single row: field by
/// field, each receipt against the one before it, and each credited contribution (its id and
/// contributor, 64 bytes) written once per row and then referred to by number.
///
/// A receipt then costs its two digests, its weights and about twenty bytes, where its canonical
/// form is 441 bytes with three credits. Unlike a byte difference against the previous receipt
/// (``PackedBytes/packRun(_:)``, rows written before this format), it stays small when
/// consecutive answers credit different contributions, which is the usual case. The bytes a row
/// holds are what a tick payment's write costs: the WAL copy, the page cache and the checkpoint
/// all scale with them.
///
/// Row layout (integers big-endian): the 4-byte ``magic``, the receipt count (u32), then per
/// receipt a flags byte saying which fields differ from the receipt before (for the first, from
/// all zeros), then:
/// - sequence (u64) if it is not the one before plus 1;
/// - ledger and channel (32 bytes each) if they changed;
/// - model, model version (32 bytes each) and listing sequence (u64) if they changed;
/// - price (u64), output tokens (u32), coverage (u16), each if it changed;
/// - request and response digests (32 bytes each), always;
/// - the attribution count (u16) and per entry a reference (u32) and its weight (u16). A
///   reference of 0xFFFFFFFF is followed by the contribution id and contributor (64 bytes)
///   and adds them to the row's table; any other value is a position in that table.
enum StoredReceipts {
    /// Marks a row in this format. Rows of ``PackedBytes`` start with their own magic or with a
    /// u32 length, and no item is 0xFF443200 bytes long, so the three never mix up.
    static let magic: [UInt8] = [0xFF, 0x44, 0x32, 0x00]

    private static let sequenceChanged: UInt8 = 0x01
    private static let placeChanged: UInt8 = 0x02
    private static let modelChanged: UInt8 = 0x04
    private static let priceChanged: UInt8 = 0x08
    private static let tokensChanged: UInt8 = 0x10
    private static let coverageChanged: UInt8 = 0x20
    private static let knownFlags: UInt8 = 0x3F
    private static let literal: UInt32 = 0xFFFF_FFFF

    /// The row for `receipts`.
    static func encode(_ receipts: [Receipt]) -> [UInt8] {
        var w = CanonicalWriter(capacity: 8 + 200 + receipts.count * (70 + 6 * (receipts.first?.attribution.count ?? 0)))
        for byte in magic { w.write(byte) }
        w.write(UInt32(receipts.count))
        var table: [ContributionID: UInt32] = [:]
        var written: [(contribution: ContributionID, contributor: PublicKey)] = []
        // Positions of recently written credits by the low byte of the contribution id, checked
        // before the dictionary: answers keep crediting the same few contributions, and a hit
        // costs a compare where the dictionary hashes all 32 bytes.
        var recent = [UInt32](repeating: literal, count: 256)
        for (index, receipt) in receipts.enumerated() {
            // Compared field by field in place: copying the receipt before would retain its credits.
            let previous = index == 0 ? blank : receipts[index - 1]
            var flags: UInt8 = 0
            if receipt.sequence != previous.sequence &+ 1 { flags |= sequenceChanged }
            if receipt.ledger != previous.ledger || receipt.channel != previous.channel { flags |= placeChanged }
            if receipt.model != previous.model || receipt.modelVersion != previous.modelVersion || receipt.listingSequence != previous.listingSequence {
                flags |= modelChanged
            }
            if receipt.price != previous.price { flags |= priceChanged }
            if receipt.outputTokens != previous.outputTokens { flags |= tokensChanged }
            if receipt.coverageBps != previous.coverageBps { flags |= coverageChanged }
            w.write(flags)
            if flags & sequenceChanged != 0 { w.write(receipt.sequence) }
            if flags & placeChanged != 0 {
                w.write(receipt.ledger)
                w.write(receipt.channel)
            }
            if flags & modelChanged != 0 {
                w.write(receipt.model)
                w.write(receipt.modelVersion)
                w.write(receipt.listingSequence)
            }
            if flags & priceChanged != 0 { w.write(receipt.price) }
            if flags & tokensChanged != 0 { w.write(receipt.outputTokens) }
            if flags & coverageChanged != 0 { w.write(receipt.coverageBps) }
            w.write(receipt.requestDigest)
            w.write(receipt.responseDigest)
            w.write(UInt16(receipt.attribution.count))
            for entry in receipt.attribution {
                let bucket = entry.contribution.digest.withUnsafeBytes { Int($0[0]) }
                var position = recent[bucket]
                if position == literal || written[Int(position)].contribution != entry.contribution {
                    position = table[entry.contribution] ?? literal
                }
                if position != literal, written[Int(position)].contributor == entry.contributor {
                    w.write(position)
                } else {
                    position = UInt32(written.count)
                    w.write(literal)
                    w.write(entry.contribution)
                    w.write(entry.contributor)
                    table[entry.contribution] = position
                    written.append((entry.contribution, entry.contributor))
                }
                recent[bucket] = position
                w.write(entry.weightBps)
            }
        }
        return w.bytes
    }

    /// The receipts of a row in this format or either older one (``PackedBytes``), exactly as
    /// they were stored. A row that does not decode is a storage failure, not a short list.
    static func decode(_ bytes: [UInt8]) throws(RemitError) -> [Receipt] {
        guard bytes.starts(with: magic) else {
            do throws(RemitError) {
                return try PackedBytes.unpack(bytes).map { bytes throws(RemitError) in try Receipt(canonicalBytes: bytes) }
            } catch {
                throw RemitError(.channelStorageFailed, "a stored receipt does not decode: \(error.message)", cause: error)
            }
        }
        do throws(RemitError) {
            var r = CanonicalReader(bytes)
            for _ in magic { _ = try r.readUInt8("magic") }
            let count = Int(try r.readUInt32("count"))
            // Every receipt takes at least 67 bytes, so a corrupt count cannot reserve much.
            guard count <= r.remaining / 67 else {
                throw RemitError(.messageBadLength, "the row claims \(count) receipts in \(r.remaining) bytes")
            }
            var receipts: [Receipt] = []
            receipts.reserveCapacity(count)
            var entries: [(ContributionID, PublicKey)] = []
            var previous = blank
            for _ in 0..<count {
                let flags = try r.readUInt8("flags")
                guard flags & ~knownFlags == 0 else {
                    throw RemitError(.messageBadEncoding, "receipt \(receipts.count) has unknown flags 0x\(String(flags, radix: 16))")
                }
                var receipt = previous
                receipt.sequence = flags & sequenceChanged != 0 ? try r.readUInt64("sequence") : previous.sequence &+ 1
                if flags & placeChanged != 0 {
                    receipt.ledger = try r.readID("ledger")
                    receipt.channel = try r.readID("channel")
                }
                if flags & modelChanged != 0 {
                    receipt.model = try r.readID("model")
                    receipt.modelVersion = try r.readDigest("modelVersion")
                    receipt.listingSequence = try r.readUInt64("listingSequence")
                }
                if flags & priceChanged != 0 { receipt.price = try r.readAmount("price") }
                if flags & tokensChanged != 0 { receipt.outputTokens = try r.readUInt32("outputTokens") }
                if flags & coverageChanged != 0 { receipt.coverageBps = try r.readUInt16("coverageBps") }
                receipt.requestDigest = try r.readDigest("requestDigest")
                receipt.responseDigest = try r.readDigest("responseDigest")
                let credits = Int(try r.readUInt16("attribution count"))
                var attribution: [AttributionEntry] = []
                attribution.reserveCapacity(credits)
                for _ in 0..<credits {
                    let reference = try r.readUInt32("attribution reference")
                    if reference == literal {
                        entries.append((try r.readID("attribution.contribution"), try r.readPublicKey("attribution.contributor")))
                    } else if Int(reference) >= entries.count {
                        throw RemitError(.messageBadEncoding, "receipt \(receipts.count) refers to credit \(reference) of \(entries.count)")
                    }
                    let (contribution, contributor) = reference == literal ? entries[entries.count - 1] : entries[Int(reference)]
                    attribution.append(AttributionEntry(contribution: contribution, contributor: contributor, weightBps: try r.readUInt16("attribution.weightBps")))
                }
                receipt.attribution = attribution
                receipts.append(receipt)
                previous = receipt
            }
            try r.expectEnd("stored receipts")
            return receipts
        } catch {
            throw RemitError(.channelStorageFailed, "a stored receipts row does not decode: \(error.message)", cause: error)
        }
    }

    /// The all-zero receipt the first one of a row is compared with.
    private static let blank = Receipt(
        ledger: LedgerID(.zero), channel: ChannelID(.zero), sequence: 0, requestDigest: .zero, responseDigest: .zero,
        model: ModelID(.zero), modelVersion: .zero, listingSequence: 0, price: Amount(uncheckedUnits: 0), outputTokens: 0,
        coverageBps: 0, attribution: []
    )
}
