/// An amount of money: a non-negative count of base units, where 1 credit = 10^9 units.
///
/// Arithmetic is checked: a result that would overflow or go below zero throws instead of
/// wrapping. No floating point ever touches an amount.
public struct Amount: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Base units per credit.
    public static let unitsPerCredit: Int64 = 1_000_000_000
    /// Number of decimal places in the credit notation.
    public static let decimals = 9
    /// The zero amount.
    public static let zero = Amount(uncheckedUnits: 0)
    /// The largest amount that fits: `Int64.max` units.
    public static let max = Amount(uncheckedUnits: Int64.max)

    /// The count of base units (never negative).
    public let units: Int64

    /// Creates an amount of `units` base units; negative values are refused.
    public init(units: Int64) throws(RemitError) {
        guard units >= 0 else {
            throw RemitError(.amountNegative, "amount \(units) units is negative; amounts are never below zero")
        }
        self.units = units
    }

    /// Creates an amount from a count of units already known to be non-negative.
    package init(uncheckedUnits units: Int64) {
        assert(units >= 0)
        self.units = units
    }

    /// Creates an amount of whole credits.
    public init(credits: Int64) throws(RemitError) {
        let (units, overflow) = credits.multipliedReportingOverflow(by: Amount.unitsPerCredit)
        guard !overflow else {
            throw RemitError(.amountOverflow, "\(credits) credits is more than the largest amount (\(Amount.max) credits)")
        }
        try self.init(units: units)
    }

    /// The sum, or an ``RemitError/Code/amountOverflow`` error.
    public func adding(_ other: Amount) throws(RemitError) -> Amount {
        let (sum, overflow) = units.addingReportingOverflow(other.units)
        guard !overflow else {
            throw RemitError(.amountOverflow, "\(self) + \(other) credits overflows the largest amount (\(Amount.max) credits)")
        }
        return Amount(uncheckedUnits: sum)
    }

    /// The difference, or an ``RemitError/Code/amountNegative`` error when `other` is larger.
    public func subtracting(_ other: Amount) throws(RemitError) -> Amount {
        guard other.units <= units else {
            throw RemitError(.amountNegative, "\(self) - \(other) credits would be negative")
        }
        return Amount(uncheckedUnits: units - other.units)
    }

    /// The product with a count, or an ``RemitError/Code/amountOverflow`` error.
    public func multiplied(by count: Int64) throws(RemitError) -> Amount {
        guard count >= 0 else {
            throw RemitError(.amountNegative, "cannot multiply \(self) credits by the negative count \(count)")
        }
        let (product, overflow) = units.multipliedReportingOverflow(by: count)
        guard !overflow else {
            throw RemitError(.amountOverflow, "\(self) credits x \(count) overflows the largest amount (\(Amount.max) credits)")
        }
        return Amount(uncheckedUnits: product)
    }

    /// The sum of many amounts, checked.
    public static func sum(_ amounts: some Sequence<Amount>) throws(RemitError) -> Amount {
        var total = Amount.zero
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.units < rhs.units }

    /// The amount in credits, with up to nine decimals and no trailing zeros: `12.5`, `0.000000001`, `3`.
    public var description: String { formatted }
}

extension Amount: Codable {
    /// Amounts travel in JSON as decimal strings of base units (`"1500000000"`), which no JSON
    /// parser rounds.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let units = Int64(text), units >= 0, text.allSatisfy(\.isASCIIDigit), !text.isEmpty else {
            throw RemitError(.amountInvalidFormat, "amount \"\(text)\" must be a non-negative whole number of base units, written as a decimal string")
        }
        self.init(uncheckedUnits: units)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(units))
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension RemitError.Code {
    /// A sum or product went past the largest amount.
    public static let amountOverflow = Self("amount.overflow")
    /// A result or an input would be below zero.
    public static let amountNegative = Self("amount.negative")
    /// Text that is not an amount.
    public static let amountInvalidFormat = Self("amount.invalid_format")
    /// An amount with more than nine decimals.
    public static let amountTooManyDecimals = Self("amount.too_many_decimals")
    /// An amount too large to represent.
    public static let amountOutOfRange = Self("amount.out_of_range")
}
