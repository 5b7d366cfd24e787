import RemitCore
import RemitCrypto

/// Reads one `log.jsonl` line as remit writes it (compact JSON with sorted keys, hex bytes)
/// without Foundation's decoder and without checking keys or signatures: only for lines a
/// matching ``LogSeal`` vouches for. The message's own rules (id derivation, lengths) and its
/// signer are still checked. Anything unexpected gives nil, and the caller decodes the line
/// in full instead, so this reader can only be faster, never more lenient.
struct LogLineReader {
    private let bytes: UnsafeRawBufferPointer
    private var at = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The line's event, or nil when the line is not exactly what remit writes.
    static func event(_ line: UnsafeRawBufferPointer) -> DatanetState.Event? {
        var reader = LogLineReader(line)
        var fields = Fields()
        var type: [UInt8]?
        var version: UInt64?
        var signer: PublicKey?
        var signature: Signature?
        let parsed = reader.object { reader, key in
            switch key {
            case "message": return reader.object { reader, key in fields.read(key, from: &reader) }
            case "signature": signature = reader.hex(64).flatMap { try? Signature(bytes: $0) }; return signature != nil
            case "signer": signer = reader.hex(32).map { $0.withUnsafeBytes { PublicKey(alreadyChecked: $0) } }; return signer != nil
            case "type": type = reader.raw().map(Array.init); return type != nil
            case "version": version = reader.number(); return version != nil
            default: return false
            }
        }
        guard parsed, reader.atEnd, let type, let signer, let signature else { return nil }
        switch String(decoding: type, as: UTF8.self) {
        case Contribution.messageType.name:
            guard version == UInt64(Contribution.messageType.version), let message = fields.contributionMessage(), message.requiredSigner == signer else { return nil }
            return .contribution(Signed(message: message, signer: signer, signature: signature))
        case ContributionRemoval.messageType.name:
            guard version == UInt64(ContributionRemoval.messageType.version), let message = fields.removalMessage(), message.requiredSigner == signer else { return nil }
            return .removal(Signed(message: message, signer: signer, signature: signature))
        default:
            return nil
        }
    }

    /// The fields of a contribution or a removal, as read.
    private struct Fields {
        var ledger: Digest32?, datanet: Digest32?, contribution: Digest32?, contentDigest: Digest32?
        var contributor: PublicKey?, curator: PublicKey?
        var kind: ContributionKind?, reason: ContributionRemoval.Reason?
        var size: UInt64?, createdAt: UInt64?, removedAt: UInt64?
        var label: String?, note: String?
        var count = 0

        mutating func read(_ key: String, from reader: inout LogLineReader) -> Bool {
            count += 1
            switch key {
            case "ledger": ledger = reader.digest(); return ledger != nil
            case "datanet": datanet = reader.digest(); return datanet != nil
            case "contribution": contribution = reader.digest(); return contribution != nil
            case "contentDigest": contentDigest = reader.digest(); return contentDigest != nil
            case "contributor": contributor = reader.key(); return contributor != nil
            case "curator": curator = reader.key(); return curator != nil
            case "kind":
                kind = reader.raw().flatMap { $0.elementsEqual("text".utf8) ? .text : $0.elementsEqual("row".utf8) ? .row : nil }
                return kind != nil
            case "reason":
                reason = reader.raw().flatMap { raw in [.spam, .duplicate, .other].first { raw.elementsEqual($0.name.utf8) } }
                return reason != nil
            case "size": size = reader.number(); return size != nil
            case "createdAt": createdAt = reader.number(); return createdAt != nil
            case "removedAt": removedAt = reader.number(); return removedAt != nil
            case "label": label = reader.string(); return label != nil
            case "note": note = reader.string(); return note != nil
            default: return false
            }
        }

        func contributionMessage() -> Contribution? {
            guard count == 9, let ledger, let datanet, let contribution, let contentDigest, let contributor, let kind, let size, let label, let createdAt else { return nil }
            let message = Contribution(ledger: LedgerID(ledger), datanet: DatanetID(datanet), contributor: contributor, contentDigest: contentDigest,
                                       kind: kind, size: size, label: label, createdAt: createdAt)
            guard message.contribution.digest == contribution, (try? message.validate()) != nil else { return nil }
            return message
        }

        func removalMessage() -> ContributionRemoval? {
            guard count == 7, let ledger, let datanet, let contribution, let curator, let reason, let note, let removedAt else { return nil }
            let message = ContributionRemoval(ledger: LedgerID(ledger), datanet: DatanetID(datanet), contribution: ContributionID(contribution),
                                              curator: curator, reason: reason, note: note, removedAt: removedAt)
            guard (try? message.validate()) != nil else { return nil }
            return message
        }
    }

    // MARK: JSON, the subset remit writes

    var atEnd: Bool { at == bytes.count }

    private mutating func take(_ c: UInt8) -> Bool {
        guard at < bytes.count, bytes[at] == c else { return false }
        at += 1
        return true
    }

    /// `{"key":value,...}`, calling `field` for each key (plain ASCII keys only).
    mutating func object(_ field: (inout LogLineReader, String) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = raw(), take(UInt8(ascii: ":")), field(&self, String(decoding: key, as: UTF8.self)) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// A string without escapes, as its bytes.
    mutating func raw() -> UnsafeRawBufferPointer? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = at
        while at < bytes.count {
            switch bytes[at] {
            case UInt8(ascii: "\""):
                at += 1
                return UnsafeRawBufferPointer(rebasing: bytes[start..<(at - 1)])
            case UInt8(ascii: "\\"), 0..<0x20: return nil
            default: at += 1
            }
        }
        return nil
    }

    /// A string with JSON escapes, which must be valid UTF-8.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        var out: [UInt8] = []
        while at < bytes.count {
            let c = bytes[at]
            at += 1
            switch c {
            case UInt8(ascii: "\""): return String(validating: out, as: UTF8.self)
            case 0..<0x20: return nil
            case UInt8(ascii: "\\"):
                guard at < bytes.count else { return nil }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: String(Character(unicode)).utf8)
                default: return nil
                }
            default: out.append(c)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = LogLineReader.digit(bytes[at] | 0x20) else { return nil }  // either case
            value = value << 4 | UInt32(digit)
            at += 1
        }
        return value
    }

    /// A non-negative integer without sign, fraction or exponent.
    mutating func number() -> UInt64? {
        let start = at
        var value: UInt64 = 0
        while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(bytes[at] - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = sum
            at += 1
        }
        guard at > start, at - start == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        return value
    }

    /// A string of exactly `count` bytes in lower-case hex.
    mutating func hex(_ count: Int) -> [UInt8]? {
        guard let text = raw(), text.count == 2 * count else { return nil }
        var out = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            guard let high = LogLineReader.digit(text[2 * i]), let low = LogLineReader.digit(text[2 * i + 1]) else { return nil }
            out[i] = high << 4 | low
        }
        return out
    }

    mutating func digest() -> Digest32? { hex(32).flatMap { try? Digest32(bytes: $0) } }

    mutating func key() -> PublicKey? { hex(32).map { $0.withUnsafeBytes { PublicKey(alreadyChecked: $0) } } }

    private static func digit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
