public import RemitCrypto

/// The curator removes a contribution from a datanet. Spam and duplicates forfeit their bond to
/// the treasury; a removal for another reason returns it. A removed contribution is left out of
/// every datanet version from then on. Signed by the datanet's curator.
/// Tag `remit/contribution-removal/v1`.
public struct ContributionRemoval: SignableMessage {
    public static let messageType = MessageType(name: "contribution-removal", version: 1)

    /// Why a contribution was removed.
    public enum Reason: UInt8, Hashable, Sendable, Codable {
        /// Junk or adversarial data: the bond is slashed.
        case spam = 1
        /// A copy of data already in the datanet: the bond is slashed.
        case duplicate = 2
        /// Any other reason (withdrawn, licence): the bond is returned.
        case other = 3

        /// True when the bond is forfeited.
        public var slashesBond: Bool { self != .other }

        public init(from decoder: any Decoder) throws {
            let name = try decoder.singleValueContainer().decode(String.self)
            guard let reason = [Reason.spam, .duplicate, .other].first(where: { $0.name == name }) else {
                throw RemitError(.messageBadEncoding, "removal reason \"\(name)\" is not spam, duplicate or other")
            }
            self = reason
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(name)
        }

        /// The JSON name.
        public var name: String {
            switch self {
            case .spam: "spam"
            case .duplicate: "duplicate"
            case .other: "other"
            }
        }
    }

    /// The ledger.
    public var ledger: LedgerID
    /// The datanet.
    public var datanet: DatanetID
    /// The contribution removed.
    public var contribution: ContributionID
    /// The datanet's curator (signer).
    public var curator: PublicKey
    /// Why.
    public var reason: Reason
    /// A note (at most 256 bytes).
    public var note: String
    /// Unix time of removal.
    public var removedAt: UInt64

    /// Creates a removal.
    public init(ledger: LedgerID, datanet: DatanetID, contribution: ContributionID, curator: PublicKey, reason: Reason, note: String, removedAt: UInt64) {
        self.ledger = ledger
        self.datanet = datanet
        self.contribution = contribution
        self.curator = curator
        self.reason = reason
        self.note = note
        self.removedAt = removedAt
    }

    public var requiredSigner: PublicKey? { curator }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(datanet)
        w.write(contribution)
        w.write(curator)
        w.write(reason.rawValue)
        w.write(note)
        w.write(removedAt)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        datanet = try r.readID("datanet")
        contribution = try r.readID("contribution")
        curator = try r.readPublicKey("curator")
        let raw = try r.readUInt8("reason")
        guard let reason = Reason(rawValue: raw) else {
            throw RemitError(.messageBadEncoding, "contribution-removal field reason: \(raw) is not 1 (spam), 2 (duplicate) or 3 (other)")
        }
        self.reason = reason
        note = try r.readString("note", maxLength: 256)
        removedAt = try r.readUInt64("removedAt")
    }

    public func validate() throws(RemitError) {
        try require(note.utf8.count <= 256, "note", "is longer than 256 bytes")
    }
}
