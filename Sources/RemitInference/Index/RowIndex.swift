public import RemitCore

/// Numeric rows for the nearest-neighbour models, read in place from an ``IndexFile``: `RMET`
/// (u32 feature count, u32 mode 0 = classification / 1 = regression), `FNMO`/`FNMB` feature
/// names, `ROWS` (binary64, row-major), `TGTV` (binary64 targets, regression), `TGTC` (u32 class
/// index per row, classification), `CLSO`/`CLSB` class names in ascending byte order, and the
/// document table.
public struct RowIndex: @unchecked Sendable {  // no lock: every pointer is into immutable IndexStorage kept alive by `file`
    /// The container.
    public let file: IndexFile
    /// Features per row.
    public let featureCount: Int
    /// True for classification rows, false for regression.
    public let isClassification: Bool
    /// Feature values, row-major.
    public let values: UnsafeBufferPointer<Double>
    /// Regression targets (empty for classification).
    public let targets: UnsafeBufferPointer<Double>
    /// Class index per row (empty for regression).
    public let classOf: UnsafeBufferPointer<UInt32>
    /// Class names.
    public let classNames: StringTable
    /// Feature names.
    public let featureNames: [String]
    /// Contributions and contributors.
    public let documents: DocumentTable

    /// Number of rows.
    public var count: Int { documents.count }

    /// Reads the rows from a container.
    public init(file: IndexFile) throws(RemitError) {
        self.file = file
        let meta = try file.u32("RMET")
        guard meta.count == 2, meta[1] <= 1, meta[0] >= 1 else { throw RemitError(.indexInvalid, "row index RMET section is malformed") }
        featureCount = Int(meta[0])
        isClassification = meta[1] == 0
        values = try file.f64("ROWS")
        targets = try file.f64("TGTV")
        classOf = try file.u32("TGTC")
        classNames = try file.strings(offsetsTag: "CLSO", bytesTag: "CLSB")
        let names = try file.strings(offsetsTag: "FNMO", bytesTag: "FNMB")
        featureNames = (0..<names.count).map { names.string($0) }
        documents = try DocumentTable(file)
        let n = documents.count
        guard values.count == n * featureCount, featureNames.count == featureCount,
              isClassification ? (classOf.count == n && classOf.allSatisfy { Int($0) < classNames.count }) : targets.count == n else {
            throw RemitError(.indexInvalid, "row index sections disagree: \(n) rows, \(values.count) values for \(featureCount) features")
        }
    }

    /// Row `i`'s target as text.
    public func targetText(_ i: Int) -> String {
        isClassification ? classNames.string(Int(classOf[i])) : targets[i].description
    }

    /// The container bytes for `documents` (row contributions in model order).
    public static func build(_ documents: [CorpusDocument], featureNames: [String], classification: Bool) throws(RemitError) -> [UInt8] {
        var values: [Double] = []
        var targets: [Double] = []
        var labels: [String] = []
        for document in documents {
            let (features, target) = try RowCodec.decode(document.content)
            guard features.count == featureNames.count else {
                throw RemitError(.datanetBadContent, "row \(document.contribution) has \(features.count) features; the schema has \(featureNames.count)")
            }
            values += features
            if classification {
                labels.append(target)
            } else {
                guard let t = Double(target), t.isFinite else {
                    throw RemitError(.datanetBadContent, "row \(document.contribution) target \"\(target)\" is not a number; knn-regress needs numeric targets")
                }
                targets.append(t)
            }
        }
        let classes = Array(Set(labels.map { Array($0.utf8) })).sorted { $0.lexicographicallyPrecedes($1) }
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, UInt32($0)) })
        var writer = IndexFile.Writer()
        writer.add("RMET", u32: [UInt32(featureNames.count), classification ? 0 : 1])
        writer.add(strings: featureNames.map { Array($0.utf8) }, offsetsTag: "FNMO", bytesTag: "FNMB")
        writer.add("ROWS", f64: values)
        writer.add("TGTV", f64: targets)
        writer.add("TGTC", u32: labels.map { classIndex[Array($0.utf8)]! })
        writer.add(strings: classes, offsetsTag: "CLSO", bytesTag: "CLSB")
        DocumentTable.write(documents, into: &writer)
        return writer.bytes()
    }
}
