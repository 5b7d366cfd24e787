public import RemitCrypto

/// A 32-byte identifier printed as 64 hex digits: ledgers, channels, contributions, datanets,
/// models. Each kind is its own type so that one cannot be passed where another is expected.
public protocol DigestIdentifier: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The identifier's 32 bytes.
    var digest: Digest32 { get }
    /// Wraps 32 bytes as this kind of identifier.
    init(_ digest: Digest32)
    /// What the identifier names, for error messages ("channel id").
    static var label: String { get }
}

extension DigestIdentifier {
    /// Parses 64 hex digits.
    public init(hex: String) throws(RemitError) {
        do {
            self.init(try Digest32(hex: hex))
        } catch {
            throw RemitError(error.code == .invalidLength ? .messageBadLength : .messageBadEncoding,
                             "\(Self.label) \"\(hex)\" is not 64 hex digits: \(error.message)", cause: error)
        }
    }

    /// Lower-case hex, 64 digits.
    public var hex: String { digest.hex }
    public var description: String { digest.hex }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.digest < rhs.digest }

    public init(from decoder: any Decoder) throws {
        try self.init(hex: decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digest.hex)
    }

    /// BLAKE2b-256 over a domain tag (ASCII, then 0x00) and the canonical bytes written by `body`:
    /// how every derived identifier is computed.
    static func derive(tag: String, _ body: (inout CanonicalWriter) -> Void) -> Self {
        var writer = CanonicalWriter()
        writer.writeTag(tag)
        body(&writer)
        return Self(BLAKE2b.hash(writer.bytes))
    }
}

/// Identifies a ledger; every signed message names one so that nothing replays across ledgers.
public struct LedgerID: DigestIdentifier {
    public let digest: Digest32
    public init(_ digest: Digest32) { self.digest = digest }
    public static let label = "ledger id"

    /// Derivation at genesis: BLAKE2b-256(`remit/ledger-id/v1` 0x00 ‖ operator key ‖ supply u64 ‖ created-at u64 ‖ nonce 32).
    public static func derive(operator key: PublicKey, supply: Amount, createdAt: UInt64, nonce: Digest32) -> LedgerID {
        derive(tag: "remit/ledger-id/v1") { w in
            w.write(key)
            w.write(supply)
            w.write(createdAt)
            w.write(nonce)
        }
    }
}

/// Identifies a payment channel.
public struct ChannelID: DigestIdentifier {
    public let digest: Digest32
    public init(_ digest: Digest32) { self.digest = digest }
    public static let label = "channel id"

    /// Derivation: BLAKE2b-256(`remit/channel-id/v1` 0x00 ‖ ledger ‖ payer ‖ payee ‖ nonce u64), so a
    /// payer can recompute the ids of its own channels after a crash.
    public static func derive(ledger: LedgerID, payer: PublicKey, payee: PublicKey, nonce: UInt64) -> ChannelID {
        derive(tag: "remit/channel-id/v1") { w in
            w.write(ledger)
            w.write(payer)
            w.write(payee)
            w.write(nonce)
        }
    }
}

/// Identifies a datanet: a named, versioned set of contributions curated by one key.
public struct DatanetID: DigestIdentifier {
    public let digest: Digest32
    public init(_ digest: Digest32) { self.digest = digest }
    public static let label = "datanet id"

    /// Derivation: BLAKE2b-256(`remit/datanet-id/v1` 0x00 ‖ curator key ‖ name string).
    public static func derive(curator: PublicKey, name: String) -> DatanetID {
        derive(tag: "remit/datanet-id/v1") { w in
            w.write(curator)
            w.write(name)
        }
    }
}

/// Identifies one contribution to one datanet.
public struct ContributionID: DigestIdentifier {
    public let digest: Digest32
    public init(_ digest: Digest32) { self.digest = digest }
    public static let label = "contribution id"

    /// Derivation: BLAKE2b-256(`remit/contribution-id/v1` 0x00 ‖ datanet ‖ content digest), where the
    /// content digest is BLAKE2b-256 of the contribution's bytes; the same text in two datanets has two ids.
    public static func derive(datanet: DatanetID, content: Digest32) -> ContributionID {
        derive(tag: "remit/contribution-id/v1") { w in
            w.write(datanet)
            w.write(content)
        }
    }
}

/// Identifies a model listed by an owner; stable across rebuilds (a rebuild changes the model's version).
public struct ModelID: DigestIdentifier {
    public let digest: Digest32
    public init(_ digest: Digest32) { self.digest = digest }
    public static let label = "model id"

    /// Derivation: BLAKE2b-256(`remit/model-id/v1` 0x00 ‖ owner key ‖ name string).
    public static func derive(owner: PublicKey, name: String) -> ModelID {
        derive(tag: "remit/model-id/v1") { w in
            w.write(owner)
            w.write(name)
        }
    }
}
