public import RemitCrypto

/// A contributor's signed claim to one piece of data in a datanet. Tag `remit/contribution/v1`.
public struct Contribution: SignableMessage {
    public static let messageType = MessageType(name: "contribution", version: 1)

    /// The ledger the contribution is registered on.
    public var ledger: LedgerID
    /// The datanet it joins.
    public var datanet: DatanetID
    /// Who contributed it (and is paid when it is credited).
    public var contributor: PublicKey
    /// BLAKE2b-256 of the contribution's bytes.
    public var contentDigest: Digest32
    /// Its id: ``ContributionID/derive(datanet:content:)``.
    public var contribution: ContributionID
    /// Text document or numeric row.
    public var kind: ContributionKind
    /// Size of the content in bytes.
    public var size: UInt64
    /// A short label: a title, source or author (at most 256 bytes).
    public var label: String
    /// Unix time the contributor signed it.
    public var createdAt: UInt64

    /// Creates a contribution; the id is derived from the datanet and content digest.
    public init(
        ledger: LedgerID, datanet: DatanetID, contributor: PublicKey, contentDigest: Digest32,
        kind: ContributionKind, size: UInt64, label: String, createdAt: UInt64
    ) {
        self.ledger = ledger
        self.datanet = datanet
        self.contributor = contributor
        self.contentDigest = contentDigest
        contribution = ContributionID.derive(datanet: datanet, content: contentDigest)
        self.kind = kind
        self.size = size
        self.label = label
        self.createdAt = createdAt
    }

    public var requiredSigner: PublicKey? { contributor }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(datanet)
        w.write(contributor)
        w.write(contentDigest)
        w.write(contribution)
        w.write(kind.rawValue)
        w.write(size)
        w.write(label)
        w.write(createdAt)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        datanet = try r.readID("datanet")
        contributor = try r.readPublicKey("contributor")
        contentDigest = try r.readDigest("contentDigest")
        contribution = try r.readID("contribution")
        let rawKind = try r.readUInt8("kind")
        guard let kind = ContributionKind(rawValue: rawKind) else {
            throw RemitError(.messageBadEncoding, "contribution field kind: \(rawKind) is not a known kind (1 = text, 2 = row)")
        }
        self.kind = kind
        size = try r.readUInt64("size")
        label = try r.readString("label", maxLength: 256)
        createdAt = try r.readUInt64("createdAt")
    }

    public func validate() throws(RemitError) {
        try require(contribution == ContributionID.derive(datanet: datanet, content: contentDigest),
                    "contribution", "\(contribution) is not the id derived from datanet and contentDigest")
        try require(label.utf8.count <= 256, "label", "is longer than 256 bytes")
    }
}

/// What a contribution holds.
public enum ContributionKind: UInt8, Hashable, Sendable, Codable {
    /// A text document (UTF-8).
    case text = 1
    /// A numeric row: features and a label or target.
    case row = 2

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        switch name {
        case "text": self = .text
        case "row": self = .row
        default: throw RemitError(.messageBadEncoding, "contribution kind \"\(name)\" is not text or row")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self == .text ? "text" : "row")
    }
}
