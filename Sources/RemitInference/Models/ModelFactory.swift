import Foundation
public import RemitCore

/// Builds models from datanet snapshots (OpenLedger's ModelFactory step) and loads them.
///
/// A model folder holds `manifest.json` (the ``ModelManifest``) and `index.bin` (an
/// ``IndexFile``). The build is a pure function of the manifest and the snapshots: text models
/// index the snapshots' text contributions, row models their rows, all in ascending
/// contribution id (the document order every attribution rule refers to).
public enum ModelFactory {
    /// The manifest's file name in a model folder.
    public static let manifestFile = "manifest.json"
    /// The index's file name in a model folder.
    public static let indexFile = "index.bin"

    /// Progress reports: (step description, done, total).
    public typealias Progress = @Sendable (String, Int, Int) -> Void

    /// The manifest of a model of `kind` named `name` over `snapshots`, with default parameters
    /// filled in; unknown parameter names are refused.
    public static func manifest(kind: ModelKind, name: String, snapshots: [DatanetSnapshot], params: [String: String] = [:]) throws(RemitError) -> ModelManifest {
        let defaults: [String: String] = switch kind {
        case .bm25: BM25Model.defaultParams
        case .knnClassify, .knnRegress: KNNModel.defaultParams
        case .infinigram: InfiniGramModel.defaultParams
        case .spanTrace: SpanTraceModel.defaultParams
        }
        if let unknown = params.keys.sorted().first(where: { defaults[$0] == nil }) {
            let known = defaults.keys.sorted().joined(separator: ", ")
            throw RemitError(.modelInvalid, "\(kind.rawValue) has no parameter \(unknown); its parameters are: \(known.isEmpty ? "none" : known)")
        }
        let manifest = ModelManifest(kind: kind, name: name, params: defaults.merging(params) { $1 },
                                     tokenizer: kind.usesText ? Tokenizer.version : "", datanets: snapshots.map(\.reference))
        try manifest.validate()
        return manifest
    }

    /// The index bytes of `manifest` built from `snapshots` (which must be exactly the versions it names).
    public static func buildIndex(_ manifest: ModelManifest, snapshots: [DatanetSnapshot], progress: Progress? = nil) throws(RemitError) -> [UInt8] {
        let given = snapshots.map(\.reference).sorted { $0.datanet < $1.datanet }
        guard given == manifest.datanets else {
            throw RemitError(.modelInvalid, "model \(manifest.name) names datanet versions \(manifest.datanets.map { "\($0.datanet):\($0.version)" }); the snapshots given are \(given.map { "\($0.datanet):\($0.version)" })")
        }
        let wanted: ContributionKind = manifest.kind.usesText ? .text : .row
        let documents = snapshots.flatMap(\.documents).filter { $0.kind == wanted }.sorted { $0.contribution < $1.contribution }
        guard !documents.isEmpty else {
            throw RemitError(.modelInvalid, "the datanets of model \(manifest.name) hold no \(wanted == .text ? "text" : "row") contributions for a \(manifest.kind.rawValue) model")
        }
        switch manifest.kind {
        case .infinigram, .spanTrace, .bm25:
            let normalization: Tokenizer.Normalization = manifest.kind == .bm25 ? .lowercase : .preserveCase
            return try TextIndexBuilder.build(documents, normalization: normalization) { done, total in progress?("tokenising", done, total) }
        case .knnClassify, .knnRegress:
            let schemas = Set(snapshots.compactMap(\.schema))
            guard schemas.count == 1, let schema = schemas.first else {
                throw RemitError(.modelInvalid, "the datanets of model \(manifest.name) need exactly one row schema; they have \(schemas.count)")
            }
            return try RowIndex.build(documents, featureNames: schema.features, classification: manifest.kind == .knnClassify)
        }
    }

    /// Builds a model into `folder` (created when missing) and returns its manifest.
    @discardableResult
    public static func build(
        kind: ModelKind, name: String, snapshots: [DatanetSnapshot], params: [String: String] = [:], into folder: String, progress: Progress? = nil
    ) throws(RemitError) -> ModelManifest {
        let manifest = try self.manifest(kind: kind, name: name, snapshots: snapshots, params: params)
        let index = try buildIndex(manifest, snapshots: snapshots, progress: progress)
        try DatanetFiles.makeDirectory(folder)
        try DatanetFiles.write(DatanetFiles.path(folder, indexFile), index)
        try DatanetFiles.write(DatanetFiles.path(folder, manifestFile), MessageJSON.encode(manifest))
        return manifest
    }

    /// Builds a model into `folder` on the inference queue (off the cooperative thread pool).
    @discardableResult
    public static func build(
        kind: ModelKind, name: String, snapshots: [DatanetSnapshot], params: [String: String] = [:], into folder: String, progress: Progress? = nil
    ) async throws(RemitError) -> ModelManifest {
        try await ModelHost.offPool { () throws(RemitError) in
            try build(kind: kind, name: name, snapshots: snapshots, params: params, into: folder, progress: progress)
        }.get()
    }

    /// Builds a model in memory (replay).
    public static func buildInMemory(_ manifest: ModelManifest, snapshots: [DatanetSnapshot]) throws(RemitError) -> any Model {
        try load(manifest, storage: IndexStorage(copying: try buildIndex(manifest, snapshots: snapshots)))
    }

    /// Reads a folder's manifest without touching its index.
    public static func manifest(folder: String) throws(RemitError) -> ModelManifest {
        let path = DatanetFiles.path(folder, manifestFile)
        guard DatanetFiles.exists(path) else { throw RemitError(.modelInvalid, "\(folder) is not a model folder: \(manifestFile) is missing") }
        let manifest = try MessageJSON.decode(ModelManifest.self, from: try DatanetFiles.read(path, what: "model manifest"))
        try manifest.validate()
        return manifest
    }

    /// Loads a model folder, memory-mapping its index.
    public static func load(folder: String) throws(RemitError) -> any Model {
        let manifest = try manifest(folder: folder)
        return try load(manifest, storage: IndexStorage(mapping: DatanetFiles.path(folder, indexFile)))
    }

    /// Wraps index bytes as the model of `manifest`.
    public static func load(_ manifest: ModelManifest, storage: IndexStorage) throws(RemitError) -> any Model {
        let file = try IndexFile(storage: storage, name: "index of model \(manifest.name)")
        switch manifest.kind {
        case .infinigram: return try InfiniGramModel(manifest: manifest, index: try TextIndex(file: file))
        case .spanTrace: return try SpanTraceModel(manifest: manifest, index: try TextIndex(file: file))
        case .bm25: return try BM25Model(manifest: manifest, index: try TextIndex(file: file))
        case .knnClassify, .knnRegress:
            let rows = try RowIndex(file: file)
            guard rows.isClassification == (manifest.kind == .knnClassify) else {
                throw RemitError(.modelInvalid, "model \(manifest.name) is \(manifest.kind.rawValue) but its index holds \(rows.isClassification ? "class labels" : "numeric targets")")
            }
            return try KNNModel(manifest: manifest, rows: rows)
        }
    }
}
