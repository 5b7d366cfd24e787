public import RemitCore
public import RemitCrypto

/// One recorded version of a datanet: the Merkle root over its live contributions after the
/// first `events` lines of its log.
public struct DatanetVersionRecord: Sendable, Hashable, Codable {
    /// The version: `MerkleTree.root(of:)` over the live contribution ids, ascending.
    public var version: Digest32
    /// Log lines (contributions and removals) replayed to reach it.
    public var events: Int
    /// Live contributions at this version.
    public var live: Int
    /// When it was recorded (Unix seconds).
    public var recordedAt: UInt64

    /// Creates a record.
    public init(version: Digest32, events: Int, live: Int, recordedAt: UInt64) {
        self.version = version
        self.events = events
        self.live = live
        self.recordedAt = recordedAt
    }
}

/// The columns of a row datanet.
public struct RowSchema: Sendable, Hashable, Codable {
    /// Feature names, in row order.
    public var features: [String]
    /// The target column's name.
    public var target: String

    /// Creates a schema.
    public init(features: [String], target: String) {
        self.features = features
        self.target = target
    }
}

/// A contribution and, when it was removed, its removal.
public struct ContributionRecord: Sendable, Hashable {
    /// The signed contribution.
    public var contribution: Signed<Contribution>
    /// The curator's removal, when removed.
    public var removal: Signed<ContributionRemoval>?

    /// True while not removed.
    public var isLive: Bool { removal == nil }

    /// What the bond of this contribution is doing at `now`, as far as the datanet's own files
    /// tell (the ledger, once it records the messages, is the authority).
    public func bondState(bond: Amount, holdingPeriod: UInt64, now: UInt64) -> BondState {
        if bond == .zero { return .none }
        if let removal {
            return removal.message.reason.slashesBond ? .slashed : .returned
        }
        let until = contribution.message.createdAt &+ holdingPeriod
        return now >= until ? .returnable(since: until) : .held(until: until)
    }
}

/// The state of one contribution's bond.
public enum BondState: Sendable, Hashable, CustomStringConvertible {
    /// The datanet asks no bond.
    case none
    /// Escrowed until the holding period ends.
    case held(until: UInt64)
    /// The holding period is over: the ledger may return it.
    case returnable(since: UInt64)
    /// Removed as spam or duplicate: forfeited.
    case slashed
    /// Removed for another reason: returned.
    case returned

    /// A short text for people.
    public var description: String {
        switch self {
        case .none: "no bond"
        case .held(let until): "held until \(until)"
        case .returnable(let since): "returnable since \(since)"
        case .slashed: "slashed"
        case .returned: "returned"
        }
    }
}

/// A contribution waiting to be added: content, kind, label and the contributor's key.
public struct PendingContribution: Sendable {
    /// The content bytes.
    public var content: [UInt8]
    /// Text or row.
    public var kind: ContributionKind
    /// Label (author, title, source), at most 256 bytes.
    public var label: String
    /// The contributor, who signs.
    public var contributor: SigningKey

    /// Creates a pending contribution.
    public init(content: [UInt8], kind: ContributionKind, label: String, contributor: SigningKey) {
        self.content = content
        self.kind = kind
        self.label = label
        self.contributor = contributor
    }
}

/// What a batch add did.
public struct AddReport: Sendable {
    /// Contributions added, in order.
    public var added: [Signed<Contribution>] = []
    /// Refused as exact duplicates: the error naming the contribution already holding the content.
    public var duplicates: [RemitError] = []
    /// The version recorded after the batch.
    public var version: DatanetVersionRecord?
}
