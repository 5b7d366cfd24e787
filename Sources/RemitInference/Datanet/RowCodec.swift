public import RemitCore

/// The content bytes of a numeric row contribution (docs/PROTOCOL.md §10.2): UTF-8
/// `f1,f2,…,fn,target`, each feature a finite decimal number, the target a class name or a number
/// without commas, quotes or line breaks. Writers use the shortest decimal that round-trips;
/// readers parse with a correctly rounded decimal parser, so the bytes hashed are the bytes parsed.
public enum RowCodec {
    /// The canonical bytes of a row.
    public static func encode(features: [Double], target: String) throws(RemitError) -> [UInt8] {
        try checkTarget(target)
        if let bad = features.firstIndex(where: { !$0.isFinite }) {
            throw RemitError(.datanetBadContent, "feature \(bad) is \(features[bad]); row features must be finite numbers")
        }
        return Array((features.map(\.description) + [target]).joined(separator: ",").utf8)
    }

    /// Parses a row: features and target.
    public static func decode(_ bytes: [UInt8]) throws(RemitError) -> (features: [Double], target: String) {
        let text = String(decoding: bytes, as: UTF8.self)
        let fields = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 2 else {
            throw RemitError(.datanetBadContent, "row \"\(text.prefix(60))\" has \(fields.count) field(s); a row needs at least one feature and a target")
        }
        var features: [Double] = []
        for field in fields.dropLast() {
            guard let v = Double(field), v.isFinite else {
                throw RemitError(.datanetBadContent, "row feature \"\(field)\" is not a finite decimal number")
            }
            features.append(v)
        }
        let target = fields[fields.count - 1]
        try checkTarget(target)
        return (features, target)
    }

    static func checkTarget(_ target: String) throws(RemitError) {
        guard !target.isEmpty, target.utf8.count <= 128, !target.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else {
            throw RemitError(.datanetBadContent, "row target \"\(target)\" must be 1...128 bytes without commas, quotes or line breaks")
        }
    }
}
