import RemitCore
import Testing

@Suite("Amount")
struct AmountTests {
    @Test("parses decimal credits into exact base units", arguments: [
        ("12.5", Int64(12_500_000_000)), ("0.000000001", 1), ("1", 1_000_000_000), ("0", 0), ("0.1", 100_000_000),
        ("007.50", 7_500_000_000), ("9223372036.854775807", Int64.max), ("1000000000", 1_000_000_000_000_000_000),
    ])
    func parse(text: String, units: Int64) throws {
        #expect(try Amount(credits: text).units == units)
    }

    @Test("formats without trailing zeros and round-trips", arguments: [
        (Int64(12_500_000_000), "12.5"), (1, "0.000000001"), (1_000_000_000, "1"), (0, "0"), (Int64.max, "9223372036.854775807"),
        (1_000_000_001, "1.000000001"),
    ])
    func format(units: Int64, text: String) throws {
        let amount = try Amount(units: units)
        #expect(amount.description == text)
        #expect(try Amount(credits: text) == amount)
    }

    @Test("refuses garbage with amount.invalid_format", arguments: [
        "", ".", "1.", ".5", "-1", "+1", "1e5", "1,000", "1 000", " 1", "1.2.3", "abc", "0x10", "١", "1.-5", "½",
    ])
    func garbage(text: String) {
        let error = #expect(throws: RemitError.self) { try Amount(credits: text) }
        #expect(error?.code == .amountInvalidFormat, "\(text)")
    }

    @Test("refuses more than nine decimals")
    func tooManyDecimals() {
        let error = #expect(throws: RemitError.self) { try Amount(credits: "0.0000000001") }
        #expect(error?.code == .amountTooManyDecimals)
        #expect(error?.message.contains("0.0000000001") == true)
    }

    @Test("refuses values past Int64.max units", arguments: ["9223372036.854775808", "9223372037", "99999999999999999999999"])
    func outOfRange(text: String) {
        let error = #expect(throws: RemitError.self) { try Amount(credits: text) }
        #expect(error?.code == .amountOutOfRange)
    }

    @Test("arithmetic is checked: overflow and negatives are errors, never wraps")
    func checkedArithmetic() throws {
        let one = try Amount(credits: "1")
        #expect(try one.adding(one).units == 2_000_000_000)
        #expect(try one.subtracting(one) == .zero)
        #expect((#expect(throws: RemitError.self) { try Amount.max.adding(try Amount(units: 1)) })?.code == .amountOverflow)
        #expect((#expect(throws: RemitError.self) { try Amount.zero.subtracting(try Amount(units: 1)) })?.code == .amountNegative)
        #expect((#expect(throws: RemitError.self) { try Amount(units: -1) })?.code == .amountNegative)
        #expect((#expect(throws: RemitError.self) { try one.multiplied(by: Int64.max) })?.code == .amountOverflow)
        #expect((#expect(throws: RemitError.self) { try one.multiplied(by: -2) })?.code == .amountNegative)
        #expect((#expect(throws: RemitError.self) { try Amount(credits: Int64(10_000_000_000)) })?.code == .amountOverflow)
        #expect(try Amount.sum([one, one, one]).units == 3_000_000_000)
        #expect((#expect(throws: RemitError.self) { try Amount.sum([Amount.max, one]) })?.code == .amountOverflow)
    }

    @Test("JSON carries base units as a string")
    func json() throws {
        let amount = try Amount(credits: "1.5")
        #expect(String(decoding: MessageJSON.encode(amount, pretty: false), as: UTF8.self) == "\"1500000000\"")
        #expect(try MessageJSON.decode(Amount.self, from: Array("\"1500000000\"".utf8)) == amount)
        for bad in ["\"-1\"", "\"1.5\"", "1500000000", "\"\"", "\"+1\""] {
            #expect(throws: RemitError.self) { try MessageJSON.decode(Amount.self, from: Array(bad.utf8)) }
        }
    }
}
