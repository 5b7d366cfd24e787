public import RemitCore
public import RemitCrypto

/// What a model was built from and how: kind, name, parameters, tokenizer and the datanet
/// versions. The model's version (a listing's and a receipt's `modelVersion`) is BLAKE2b-256 of
/// the manifest's canonical bytes, and the build is a pure function of the manifest and the
/// datanet snapshots it names, so anyone holding the snapshots can rebuild and replay.
public struct ModelManifest: Sendable, Hashable, Codable {
    /// What kind of model.
    public var kind: ModelKind
    /// Its name (1...128 bytes), the name an owner lists it under.
    public var name: String
    /// Effective build parameters (defaults filled in), by name.
    public var params: [String: String]
    /// Tokenizer version for text models (``Tokenizer/version``), empty for row models.
    public var tokenizer: String
    /// The datanet versions it was built from, sorted by datanet id.
    public var datanets: [DatanetVersion]

    /// Creates a manifest; datanets are sorted by id.
    public init(kind: ModelKind, name: String, params: [String: String], tokenizer: String, datanets: [DatanetVersion]) {
        self.kind = kind
        self.name = name
        self.params = params
        self.tokenizer = tokenizer
        self.datanets = datanets.sorted { $0.datanet < $1.datanet }
    }

    /// The domain tag of manifest bytes.
    public static let tag = "remit/model-manifest/v1"

    /// Tag, kind `string`, name `string`, params `list{key string, value string}` sorted by the
    /// key's UTF-8 bytes, tokenizer `string`, datanets `list{datanet bytes32, version bytes32}`.
    public var canonicalBytes: [UInt8] {
        var w = CanonicalWriter()
        w.writeTag(ModelManifest.tag)
        w.write(kind.rawValue)
        w.write(name)
        let sorted = params.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        w.writeList(sorted) { w, entry in
            w.write(entry.key)
            w.write(entry.value)
        }
        w.write(tokenizer)
        w.writeList(datanets) { w, d in
            w.write(d.datanet)
            w.write(d.version)
        }
        return w.bytes
    }

    /// BLAKE2b-256 of the canonical bytes.
    public var modelVersion: Digest32 { BLAKE2b.hash(canonicalBytes) }

    /// The model id an owner lists this model under.
    public func modelID(owner: PublicKey) -> ModelID { ModelID.derive(owner: owner, name: name) }

    /// Checks name length and datanet order.
    public func validate() throws(RemitError) {
        guard !name.isEmpty, name.utf8.count <= 128 else {
            throw RemitError(.modelInvalid, "model name \"\(name)\" must be 1...128 bytes")
        }
        guard !datanets.isEmpty else { throw RemitError(.modelInvalid, "model \(name) names no datanet") }
        for i in datanets.indices.dropFirst() where !(datanets[i - 1].datanet < datanets[i].datanet) {
            throw RemitError(.modelInvalid, "model \(name) names datanet \(datanets[i].datanet) twice or out of order")
        }
    }
}
