public import RemitCrypto

/// The name and version of a message type; its domain tag is `remit/<name>/v<version>`.
public struct MessageType: Hashable, Sendable, CustomStringConvertible {
    /// Short name, such as `voucher`.
    public let name: String
    /// Version of the byte layout.
    public let version: UInt16
    /// The tag's ASCII bytes and its 0x00 terminator, made once: every encoding starts with them.
    public let tagBytes: [UInt8]

    /// Declares a message type.
    public init(name: String, version: UInt16) {
        self.name = name
        self.version = version
        tagBytes = Array("remit/\(name)/v\(version)".utf8) + [0]
    }

    /// The domain tag that starts the message's canonical bytes (and so every signature over it).
    public var tag: String { "remit/\(name)/v\(version)" }
    public var description: String { tag }
}

/// A Remit protocol message: fixed fields in a fixed order, a canonical byte form that starts with
/// the type's domain tag, a JSON form, and checks of its own fields.
public protocol ProtocolMessage: Sendable, Hashable, Codable {
    /// The message's type and version.
    static var messageType: MessageType { get }
    /// The ledger the message belongs to; messages never replay across ledgers.
    var ledger: LedgerID { get }
    /// Writes the fields (not the tag) in canonical order.
    func encodeFields(into writer: inout CanonicalWriter)
    /// Reads the fields (not the tag) in canonical order.
    init(fields reader: inout CanonicalReader) throws(RemitError)
    /// Checks rules among the fields (ranges, sums, derived ids); throws ``RemitError/Code/messageInvalidField``.
    func validate() throws(RemitError)
    /// Bytes to reserve for the canonical encoding, so a large message is written without
    /// growing its buffer (each growth copies it). A guess is fine; it only sizes the buffer.
    var canonicalSizeHint: Int { get }
}

/// A message that is signed with Ed25519 over its canonical bytes.
public protocol SignableMessage: ProtocolMessage {
    /// The key that must sign this message when the message names it (the payer of a channel
    /// open, the owner of a listing); nil when the signer comes from context (a voucher's payer
    /// is the channel's payer).
    var requiredSigner: PublicKey? { get }
}

extension ProtocolMessage {
    /// Most messages fit in 192 bytes.
    public var canonicalSizeHint: Int { 192 }

    /// The canonical bytes: the domain tag, a 0x00 byte, then the fields. Signatures cover exactly these bytes.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(capacity: canonicalSizeHint)
        writer.writeTag(Self.messageType)
        encodeFields(into: &writer)
        return writer.bytes
    }

    /// BLAKE2b-256 of the canonical bytes.
    public var digest: Digest32 { BLAKE2b.hash(canonicalBytes) }

    /// Decodes canonical bytes: checks the tag (type and version), every field's length and
    /// encoding, that nothing trails, the field rules, and the ledger when `ledger` is given.
    public init(canonicalBytes bytes: [UInt8], ledger: LedgerID? = nil) throws(RemitError) {
        var reader = CanonicalReader(bytes)
        try Self.checkTag(try reader.readTag())
        self = try Self(fields: &reader)
        try reader.expectEnd(Self.messageType.name)
        try validate()
        if let ledger { try checkLedger(ledger) }
    }

    /// Refuses a tag of another type or another version of this type.
    static func checkTag(_ tag: String) throws(RemitError) {
        guard tag != messageType.tag else { return }
        let parts = tag.split(separator: "/")
        if parts.count == 3, parts[0] == "remit", parts[1] == messageType.name {
            throw RemitError(
                .messageUnsupportedVersion,
                "\(messageType.name) version \"\(parts[2])\" is not supported; this build reads \(messageType.tag)"
            )
        }
        throw RemitError(.messageUnknownType, "expected a \(messageType.tag) message, got domain tag \"\(tag)\"")
    }

    /// Refuses a message for another ledger.
    public func checkLedger(_ expected: LedgerID) throws(RemitError) {
        guard ledger == expected else {
            throw RemitError(.messageWrongLedger, "\(Self.messageType.name) is for ledger \(ledger), not this ledger \(expected)")
        }
    }

    /// Throws ``RemitError/Code/messageInvalidField`` naming the field and the rule when `condition` is false.
    func require(_ condition: Bool, _ field: @autoclosure () -> String, _ rule: @autoclosure () -> String) throws(RemitError) {
        guard condition else {
            throw RemitError(.messageInvalidField, "\(Self.messageType.name) field \(field()): \(rule())")
        }
    }
}

extension RemitError.Code {
    /// A message of a type this build does not know.
    public static let messageUnknownType = Self("message.unknown_type")
    /// A known message type in a version this build does not read.
    public static let messageUnsupportedVersion = Self("message.unsupported_version")
    /// A field or message with the wrong length (truncated, padded, wrong-size hex).
    public static let messageBadLength = Self("message.bad_length")
    /// Bytes or text that do not decode (bad hex, bad UTF-8, a flag other than 0 or 1, bad JSON).
    public static let messageBadEncoding = Self("message.bad_encoding")
    /// A field value that breaks a rule of its message (weights not summing to 10000, a derived id that does not match).
    public static let messageInvalidField = Self("message.invalid_field")
    /// A message for another ledger.
    public static let messageWrongLedger = Self("message.wrong_ledger")
    /// A signature that does not verify.
    public static let messageBadSignature = Self("message.bad_signature")
    /// A valid signature by a key other than the one the message or its context requires.
    public static let messageWrongSigner = Self("message.wrong_signer")
}
