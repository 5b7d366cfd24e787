public import RemitCore
public import RemitCrypto

/// A datanet's live contributions at one recorded version, with their content checked against
/// their digests: what a model is built from and what a verifier replays against.
public struct DatanetSnapshot: Sendable {
    /// The datanet.
    public var datanet: DatanetID
    /// The version (Merkle root over the live ids).
    public var version: Digest32
    /// The datanet's name.
    public var name: String
    /// The live contributions, ascending by contribution id.
    public var documents: [CorpusDocument]
    /// Column names, for row datanets.
    public var schema: RowSchema?

    /// Creates a snapshot from parts (tests, tools); ``Datanet/snapshot(at:)`` is the usual way.
    public init(datanet: DatanetID, version: Digest32, name: String, documents: [CorpusDocument], schema: RowSchema?) {
        self.datanet = datanet
        self.version = version
        self.name = name
        self.documents = documents.sorted { $0.contribution < $1.contribution }
        self.schema = schema
    }

    /// The reference a manifest and a listing carry.
    public var reference: DatanetVersion { DatanetVersion(datanet: datanet, version: version) }
}

extension Datanet {
    /// The datanet at a recorded version (the newest when nil): replays the log up to it,
    /// checks the Merkle root, reads each live contribution's content and checks its digest.
    public func snapshot(at version: Digest32? = nil) throws(RemitError) -> DatanetSnapshot {
        let target = version ?? state.version
        var replay = DatanetState(registration: registration.message)
        var reached = false
        if target == state.version {
            replay = state
            reached = true
        } else if let record = versionRecords.last(where: { $0.version == target }), record.events <= state.log.count {
            for event in state.log.prefix(record.events) { try replay.apply(event) }
            reached = replay.version == target
        }
        guard reached else {
            let known = versionRecords.suffix(3).map { $0.version.hex.prefix(16) + "…" }.joined(separator: ", ")
            throw RemitError(.datanetUnknownVersion, "version \(target) is not a recorded version of datanet \(name) (latest: \(known))")
        }
        var documents: [CorpusDocument] = []
        for id in replay.live() {
            let m = replay.contribution(id)!.message
            let file = DatanetFiles.path(DatanetFiles.path(folder, "content"), m.contentDigest.hex)
            let content = try DatanetFiles.read(file, what: "content of contribution \(id)")
            guard BLAKE2b.hash(content) == m.contentDigest else {
                throw RemitError(.datanetInvalid, "content file \(file) does not hash to the digest \(m.contentDigest) its contribution \(id) signed: it was altered")
            }
            documents.append(CorpusDocument(contribution: id, contributor: m.contributor, label: m.label, kind: m.kind, content: content))
        }
        return DatanetSnapshot(datanet: id, version: target, name: name, documents: documents, schema: schemaValue)
    }
}
