public import RemitCore
import RemitCrypto

/// What `remit datanet verify` checked.
public struct DatanetVerification: Sendable, Hashable, Codable {
    /// Signatures checked: the registration and every log line.
    public var signatures: Int
    /// Content files read and hashed.
    public var contents: Int
    /// Recorded versions replayed.
    public var versions: Int
    /// The log's seal, written after the checks passed.
    public var seal: LogSeal
}

extension Datanet {
    /// Checks everything a datanet folder holds and seals its log (docs/PROTOCOL.md §10.2): every
    /// signature and message rule (``init(folder:verifyingSignatures:)``), every contribution's
    /// content file against its digest (live ones must be present), and every recorded version
    /// (replaying its first `events` log lines gives its Merkle root). The first failure is thrown.
    public static func verify(folder: String) async throws(RemitError) -> DatanetVerification {
        let datanet = try Datanet(folder: folder, verifyingSignatures: true)
        return try await datanet.verifyOpened()
    }

    private func verifyOpened() throws(RemitError) -> DatanetVerification {
        var contents = 0
        for event in state.log {
            guard case .contribution(let signed) = event else { continue }
            let m = signed.message
            let file = DatanetFiles.path(DatanetFiles.path(folder, "content"), m.contentDigest.hex)
            let live = state.removals[m.contribution] == nil
            guard live || DatanetFiles.exists(file) else { continue }
            let content = try DatanetFiles.read(file, what: "content of contribution \(m.contribution)")
            guard BLAKE2b.hash(content) == m.contentDigest else {
                throw RemitError(.datanetInvalid, "content file \(file) does not hash to the digest \(m.contentDigest) its contribution \(m.contribution) signed: it was altered")
            }
            contents += 1
        }
        // Replay the log once, checking each recorded version where it was recorded.
        var replay = DatanetState(registration: registration.message)
        var applied = 0
        for record in versionRecords.sorted(by: { $0.events < $1.events }) {
            guard record.events <= state.log.count else {
                throw RemitError(.datanetInvalid, "recorded version \(record.version) covers \(record.events) log lines; the log has \(state.log.count)")
            }
            while applied < record.events {
                try replay.apply(state.log[applied])
                applied += 1
            }
            guard replay.version == record.version, replay.live().count == record.live else {
                throw RemitError(.datanetInvalid, "recorded version \(record.version) (\(record.live) live after \(record.events) log lines) is not what the log gives there: \(replay.version), \(replay.live().count) live")
            }
        }
        try seal.write(in: folder)
        return DatanetVerification(signatures: 1 + state.log.count, contents: contents, versions: versionRecords.count, seal: seal)
    }
}
