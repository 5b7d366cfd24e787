/// A fixed-size byte value that travels in JSON as a lower-case hex string.
public protocol HexCodable: Codable {
    /// Parses the value from hex.
    init(hex: String) throws(CryptoError)
    /// The value as lower-case hex.
    var hex: String { get }
}

extension HexCodable {
    public init(from decoder: any Decoder) throws {
        try self.init(hex: decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

extension Digest32: HexCodable {}
extension PublicKey: HexCodable {}
extension Signature: HexCodable {}
