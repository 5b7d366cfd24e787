import Foundation
import RemitCrypto

/// JSON for Remit messages: sorted keys, amounts as decimal strings of base units, bytes as hex.
/// JSON is for transport and people; signatures always cover the canonical bytes, never JSON.
public enum MessageJSON {
    /// Encodes a value as JSON with sorted keys (pretty-printed by default).
    public static func encode(_ value: some Encodable, pretty: Bool = true) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        // Every Remit wire type encodes without failing; a failure here is a programming error.
        return Array(try! encoder.encode(value))
    }

    /// Decodes JSON, turning every failure into a ``RemitError`` that names the field.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(RemitError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as RemitError {
            throw error
        } catch let error as CryptoError {
            throw RemitError(error.code == .invalidLength ? .messageBadLength : .messageBadEncoding, error.message, cause: error)
        } catch let error as DecodingError {
            throw translate(error)
        } catch {
            throw RemitError(.messageBadEncoding, "JSON does not decode: \(error)")
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? "(top level)" : String(text.drop { $0 == "." })
    }

    private static func translate(_ error: DecodingError) -> RemitError {
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return RemitError(.messageBadEncoding, "JSON is missing the field \(field)")
        case .typeMismatch(let type, let context):
            return RemitError(.messageBadEncoding, "JSON field \(path(context.codingPath)) should be \(type)")
        case .valueNotFound(let type, let context):
            return RemitError(.messageBadEncoding, "JSON field \(path(context.codingPath)) is null; it should be \(type)")
        case .dataCorrupted(let context):
            if let inner = context.underlyingError as? RemitError { return inner }
            if let inner = context.underlyingError as? CryptoError {
                return RemitError(inner.code == .invalidLength ? .messageBadLength : .messageBadEncoding,
                                  "JSON field \(path(context.codingPath)): \(inner.message)", cause: inner)
            }
            return RemitError(.messageBadEncoding, "JSON is not valid at \(path(context.codingPath)): \(context.debugDescription)")
        @unknown default:
            return RemitError(.messageBadEncoding, "JSON does not decode: \(error)")
        }
    }
}

private enum EnvelopeKeys: String, CodingKey {
    case type, version, message, signer, signature
}

private func checkEnvelope(_ container: KeyedDecodingContainer<EnvelopeKeys>, _ expected: MessageType) throws {
    let type = try container.decode(String.self, forKey: .type)
    guard type == expected.name else {
        throw RemitError(.messageUnknownType, "expected a \(expected.name) message, got type \"\(type)\"")
    }
    let version = try container.decode(UInt16.self, forKey: .version)
    guard version == expected.version else {
        throw RemitError(.messageUnsupportedVersion, "\(type) version \(version) is not supported; this build reads version \(expected.version)")
    }
}

extension Signed: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKeys.self)
        try checkEnvelope(container, Message.messageType)
        message = try container.decode(Message.self, forKey: .message)
        signer = try container.decode(PublicKey.self, forKey: .signer)
        signature = try container.decode(Signature.self, forKey: .signature)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EnvelopeKeys.self)
        try container.encode(Message.messageType.name, forKey: .type)
        try container.encode(Message.messageType.version, forKey: .version)
        try container.encode(message, forKey: .message)
        try container.encode(signer, forKey: .signer)
        try container.encode(signature, forKey: .signature)
    }

    /// The JSON wire form.
    public func jsonBytes(pretty: Bool = true) -> [UInt8] { MessageJSON.encode(self, pretty: pretty) }

    /// Decodes the JSON wire form and checks type, version, field encodings, field rules and
    /// (when given) the ledger. The signature is checked by ``verify(ledger:signer:)``.
    public init(json bytes: [UInt8], ledger: LedgerID? = nil) throws(RemitError) {
        self = try MessageJSON.decode(Signed.self, from: bytes)
        try message.validate()
        if let ledger { try message.checkLedger(ledger) }
    }
}

/// The JSON envelope of an unsigned message (a ``Tick``): `{"type", "version", "message"}`.
public struct Unsigned<Message: ProtocolMessage>: Sendable, Hashable, Codable {
    /// The message.
    public let message: Message

    /// Wraps a message.
    public init(_ message: Message) { self.message = message }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKeys.self)
        try checkEnvelope(container, Message.messageType)
        message = try container.decode(Message.self, forKey: .message)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EnvelopeKeys.self)
        try container.encode(Message.messageType.name, forKey: .type)
        try container.encode(Message.messageType.version, forKey: .version)
        try container.encode(message, forKey: .message)
    }
}
