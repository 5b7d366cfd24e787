/// Lower-case hexadecimal text for byte strings, the form every Remit document and JSON message uses.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Encodes bytes as lower-case hex.
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex text (either case); throws ``CryptoError/Code/invalidEncoding`` on an odd
    /// length or a character that is not a hex digit.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else {
            throw CryptoError(.invalidEncoding, "hex text has an odd length (\(utf8.count) characters)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else {
                let bad = value(utf8[index]) == nil ? utf8[index] : utf8[index + 1]
                throw CryptoError(
                    .invalidEncoding,
                    "hex text has the character '\(Character(Unicode.Scalar(bad)))' at position \(index), which is not a hex digit"
                )
            }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// Decodes hex text that must hold exactly `count` bytes.
    public static func decode(_ text: some StringProtocol, count: Int, what: String) throws(CryptoError) -> [UInt8] {
        let bytes = try decode(text)
        guard bytes.count == count else {
            throw CryptoError(.invalidLength, "\(what) must be \(count) bytes (\(count * 2) hex digits), got \(bytes.count) bytes")
        }
        return bytes
    }

    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
