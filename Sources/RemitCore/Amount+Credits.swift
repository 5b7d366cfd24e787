extension Amount {
    /// Parses decimal credits: digits, optionally a point and one to nine more digits
    /// (`"12.5"`, `"0.000000001"`, `"1000"`). Signs, exponents, separators, spaces and a bare
    /// point are refused with an error that names the text and the rule.
    public init(credits text: String) throws(RemitError) {
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        let whole = parts[0]
        guard !text.isEmpty, parts.count <= 2, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else {
            throw RemitError(
                .amountInvalidFormat,
                "\"\(text)\" is not an amount of credits: use digits with an optional decimal point, such as 12.5 or 0.000000001"
            )
        }
        var fraction = parts.count == 2 ? parts[1] : ""
        if parts.count == 2 {
            guard !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else {
                throw RemitError(.amountInvalidFormat, "\"\(text)\" is not an amount of credits: digits must follow the decimal point")
            }
            guard fraction.count <= Amount.decimals else {
                throw RemitError(
                    .amountTooManyDecimals,
                    "\"\(text)\" has \(fraction.count) decimals; an amount has at most \(Amount.decimals) (1 unit = 0.000000001 credits)"
                )
            }
        }
        let digitsWhole = whole.drop { $0 == "0" }
        guard digitsWhole.count <= 19, let wholeValue = Int64(digitsWhole.isEmpty ? "0" : String(digitsWhole)) else {
            throw RemitError(.amountOutOfRange, "\"\(text)\" credits is more than the largest amount, \(Amount.max) credits")
        }
        fraction += String(repeating: "0", count: Amount.decimals - fraction.count)
        let fractionValue = Int64(fraction)!  // nine ASCII digits
        let (scaled, overflow1) = wholeValue.multipliedReportingOverflow(by: Amount.unitsPerCredit)
        let (units, overflow2) = scaled.addingReportingOverflow(fractionValue)
        guard !overflow1, !overflow2 else {
            throw RemitError(.amountOutOfRange, "\"\(text)\" credits is more than the largest amount, \(Amount.max) credits")
        }
        self.init(uncheckedUnits: units)
    }

    /// The amount in credits, with up to nine decimals and no trailing zeros.
    public var formatted: String {
        let whole = units / Amount.unitsPerCredit
        let fraction = units % Amount.unitsPerCredit
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: Amount.decimals - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
