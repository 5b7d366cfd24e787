public import RemitCore

/// A CSV file (RFC 4180: comma-separated, fields optionally in double quotes with `""` for a
/// quote, CR LF or LF line ends) with a header row, and its conversion to row contributions.
public struct CSVTable: Sendable {
    /// Column names.
    public var header: [String]
    /// Data rows, each with as many fields as the header.
    public var rows: [[String]]

    /// Parses CSV text; refuses rows whose field count differs from the header's.
    public init(parsing text: String) throws(RemitError) {
        var records: [[String]] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var afterQuote = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func nextScalar() -> Unicode.Scalar? {
            if let p = pending {
                pending = nil
                return p
            }
            return iterator.next()
        }
        while let s = nextScalar() {
            if inQuotes {
                if s == "\"" {
                    if let following = iterator.next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else {
                            inQuotes = false
                            afterQuote = true
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(s)
                }
                continue
            }
            switch s {
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
            case ",":
                record.append(field)
                field = ""
                afterQuote = false
            case "\r":
                continue
            case "\n":
                record.append(field)
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
                field = ""
                afterQuote = false
            default:
                field.unicodeScalars.append(s)
            }
        }
        if inQuotes { throw RemitError(.datanetBadContent, "CSV ends inside a quoted field") }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        guard let header = records.first else { throw RemitError(.datanetBadContent, "CSV is empty: it needs a header row naming the columns") }
        self.header = header.map { $0.trimmingWhitespace }
        rows = Array(records.dropFirst())
        for (i, row) in rows.enumerated() where row.count != header.count {
            throw RemitError(.datanetBadContent, "CSV row \(i + 2) has \(row.count) fields; the header has \(header.count)")
        }
    }

    /// The schema and row contents: `target` names the target column (the last column when nil);
    /// every other column is a feature and must hold finite numbers.
    public func rowContents(target: String?) throws(RemitError) -> (schema: RowSchema, contents: [[UInt8]]) {
        let targetName = target ?? header.last!
        guard let targetColumn = header.firstIndex(of: targetName) else {
            throw RemitError(.datanetBadContent, "CSV has no column \"\(targetName)\"; its columns are \(header.joined(separator: ", "))")
        }
        guard header.count >= 2 else { throw RemitError(.datanetBadContent, "CSV needs at least one feature column besides the target") }
        let featureColumns = header.indices.filter { $0 != targetColumn }
        var contents: [[UInt8]] = []
        for (r, row) in rows.enumerated() {
            var features: [Double] = []
            for c in featureColumns {
                guard let v = Double(row[c].trimmingWhitespace), v.isFinite else {
                    throw RemitError(.datanetBadContent, "CSV row \(r + 2) column \(header[c]) holds \"\(row[c])\", not a finite number")
                }
                features.append(v)
            }
            contents.append(try RowCodec.encode(features: features, target: row[targetColumn].trimmingWhitespace))
        }
        return (RowSchema(features: featureColumns.map { header[$0] }, target: targetName), contents)
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
