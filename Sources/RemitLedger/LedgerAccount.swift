public import RemitCore
public import RemitCrypto

/// An account on the ledger: a user's Ed25519 key (the treasury is the operator's key), the escrow
/// of a payment channel, or the bond held for a contribution.
///
/// Canonical form (docs/PROTOCOL.md §9): a kind byte (1 user, 2 escrow, 3 bond) then 32 bytes.
public enum LedgerAccount: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// A key holder's spendable balance.
    case user(PublicKey)
    /// What a channel's payer has locked for its payee.
    case escrow(ChannelID)
    /// What a contributor has locked behind a contribution until its holding period ends.
    case bond(ContributionID)

    /// The kind byte of the canonical form.
    public var kind: UInt8 {
        switch self {
        case .user: 1
        case .escrow: 2
        case .bond: 3
        }
    }

    /// The 32 bytes after the kind byte.
    public var digest: Digest32 {
        switch self {
        case .user(let key): key.withUnsafeBytes { try! Digest32(bytes: $0) }  // 32 bytes
        case .escrow(let channel): channel.digest
        case .bond(let contribution): contribution.digest
        }
    }

    /// The 33-byte canonical form: kind, then the key or id.
    public var bytes: [UInt8] {
        var writer = CanonicalWriter(capacity: 33)
        write(to: &writer)
        return writer.bytes
    }

    /// Reads the 33-byte canonical form.
    public init(bytes: some Collection<UInt8>) throws(RemitError) {
        let array = Array(bytes)
        guard array.count == 33 else {
            throw RemitError(.messageBadLength, "a ledger account is 33 bytes (kind and 32-byte id), got \(array.count)")
        }
        var reader = CanonicalReader(array)
        try self.init(reading: &reader)
    }

    /// Reads a kind byte and 32 bytes from `reader`.
    public init(reading reader: inout CanonicalReader) throws(RemitError) {
        let kind = try reader.readUInt8("account.kind")
        switch kind {
        case 1: self = .user(try reader.readPublicKey("account.key"))
        case 2: self = .escrow(try reader.readID("account.channel"))
        case 3: self = .bond(try reader.readID("account.contribution"))
        default: throw RemitError(.messageBadEncoding, "ledger account kind \(kind) is not 1 (user), 2 (escrow) or 3 (bond)")
        }
    }

    /// Writes the canonical form.
    public func write(to writer: inout CanonicalWriter) {
        writer.write(kind)
        switch self {
        case .user(let key): writer.write(key)
        case .escrow(let channel): writer.write(channel)
        case .bond(let contribution): writer.write(contribution)
        }
    }

    /// `rm1…` for a user, `escrow:<channel hex>`, `bond:<contribution hex>`.
    public var description: String {
        switch self {
        case .user(let key): AccountID(key).description
        case .escrow(let channel): "escrow:\(channel.hex)"
        case .bond(let contribution): "bond:\(contribution.hex)"
        }
    }

    /// Parses ``description``'s forms.
    public init(parsing text: String) throws(RemitError) {
        if text.hasPrefix("escrow:") {
            self = .escrow(try ChannelID(hex: String(text.dropFirst(7))))
        } else if text.hasPrefix("bond:") {
            self = .bond(try ContributionID(hex: String(text.dropFirst(5))))
        } else {
            self = .user(try AccountID(text).publicKey)
        }
    }

    /// Orders by kind, then bytes: the order postings are written in.
    public static func < (lhs: LedgerAccount, rhs: LedgerAccount) -> Bool {
        switch (lhs, rhs) {
        case (.user(let a), .user(let b)): a < b
        case (.escrow(let a), .escrow(let b)): a < b
        case (.bond(let a), .bond(let b)): a < b
        default: lhs.kind < rhs.kind
        }
    }
}

extension LedgerAccount: Codable {
    public init(from decoder: any Decoder) throws {
        try self.init(parsing: decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
