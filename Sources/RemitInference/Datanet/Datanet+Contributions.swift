public import RemitCore
public import RemitCrypto

extension Datanet {
    /// Adds one contribution signed by `contributor`; refuses an exact duplicate (same content
    /// digest) with ``RemitError/Code/datanetDuplicate`` naming the contribution that holds it.
    @discardableResult
    public func add(
        content: [UInt8], kind: ContributionKind, label: String, contributor: SigningKey, createdAt: UInt64? = nil
    ) throws(RemitError) -> Signed<Contribution> {
        let report = try add([PendingContribution(content: content, kind: kind, label: label, contributor: contributor)], createdAt: createdAt)
        if let duplicate = report.duplicates.first { throw duplicate }
        return report.added[0]
    }

    /// Adds a batch: each new content is written, signed by its contributor and appended to the
    /// log; duplicates (of the datanet or of an earlier item of the batch) are reported, not
    /// added. One version is recorded at the end.
    public func add(_ batch: [PendingContribution], createdAt: UInt64? = nil) throws(RemitError) -> AddReport {
        var report = AddReport()
        let time = createdAt ?? DatanetFiles.now()
        var lines: [UInt8] = []
        var wroteContent = false
        for item in batch {
            guard item.label.utf8.count <= 256 else {
                throw RemitError(.datanetBadContent, "label \"\(item.label.prefix(40))…\" is \(item.label.utf8.count) bytes; at most 256 are allowed")
            }
            guard !item.content.isEmpty else { throw RemitError(.datanetBadContent, "contribution \"\(item.label)\" is empty") }
            if item.kind == .text, String(validating: item.content, as: UTF8.self) == nil {
                throw RemitError(.datanetBadContent, "text contribution \"\(item.label)\" is not valid UTF-8")
            }
            if item.kind == .row { _ = try RowCodec.decode(item.content) }
            let digest = BLAKE2b.hash(item.content)
            let message = Contribution(ledger: ledger, datanet: id, contributor: item.contributor.publicKey, contentDigest: digest,
                                       kind: item.kind, size: UInt64(item.content.count), label: item.label, createdAt: time)
            if let existing = record(message.contribution) {
                let state = existing.isLive ? "" : " (removed)"
                report.duplicates.append(RemitError(.datanetDuplicate,
                    "content \(digest) of \"\(item.label)\" is already in datanet \(name) as contribution \(message.contribution)\(state), added by \(AccountID(existing.contribution.message.contributor)) as \"\(existing.contribution.message.label)\"; exact duplicates are refused"))
                continue
            }
            let contentFile = DatanetFiles.path(DatanetFiles.path(folder, "content"), digest.hex)
            if !DatanetFiles.exists(contentFile) {
                try DatanetFiles.writeUnsynced(contentFile, item.content)
                wroteContent = true
            }
            let signed = Signed(signing: message, with: item.contributor)
            try appendEvent(.contribution(signed))
            lines += signed.jsonBytes(pretty: false) + [UInt8(ascii: "\n")]
            report.added.append(signed)
        }
        // The contents are durable before the log names them.
        if wroteContent { try DatanetFiles.syncFileSystem(of: DatanetFiles.path(folder, "content")) }
        try appendToLog(lines)
        if !report.added.isEmpty { report.version = try recordVersionNow(at: time) }
        return report
    }

    /// The curator removes a contribution (spam and duplicate slash its bond, other returns it);
    /// it earns nothing from the next version on.
    @discardableResult
    public func remove(
        _ contribution: ContributionID, reason: ContributionRemoval.Reason, note: String = "", curator: SigningKey, removedAt: UInt64? = nil
    ) throws(RemitError) -> Signed<ContributionRemoval> {
        guard curator.publicKey == registration.message.curator else {
            throw RemitError(.messageWrongSigner, "only the curator \(AccountID(registration.message.curator)) removes contributions from \(name); the key given is \(AccountID(curator.publicKey))")
        }
        guard let existing = record(contribution), existing.isLive else {
            throw RemitError(.datanetUnknownContribution, "contribution \(contribution) is not a live contribution of datanet \(name)")
        }
        let time = removedAt ?? DatanetFiles.now()
        let removal = ContributionRemoval(ledger: ledger, datanet: id, contribution: contribution, curator: curator.publicKey,
                                          reason: reason, note: note, removedAt: time)
        try removal.validate()
        let signed = Signed(signing: removal, with: curator)
        try appendEvent(.removal(signed))
        try appendToLog(signed.jsonBytes(pretty: false) + [UInt8(ascii: "\n")])
        try recordVersionNow(at: time)
        return signed
    }

    /// Every contribution in log order, with its removal when removed.
    public func contributions() -> [ContributionRecord] {
        state.log.compactMap { event in
            guard case .contribution(let signed) = event else { return nil }
            return ContributionRecord(contribution: signed, removal: state.removals[signed.message.contribution])
        }
    }

    /// One contribution's record.
    public func record(_ contribution: ContributionID) -> ContributionRecord? {
        guard let signed = state.contribution(contribution) else { return nil }
        return ContributionRecord(contribution: signed, removal: state.removals[contribution])
    }

    /// The ids of the live contributions, ascending.
    public func liveContributions() -> [ContributionID] { state.live() }

    /// The current version: the Merkle root over the live contribution ids, ascending.
    public func currentVersion() -> Digest32 { state.version }

    /// The recorded versions, oldest first.
    public func versions() -> [DatanetVersionRecord] { versionRecords }

    /// Every signed message of the datanet in the order a ledger must record them: the
    /// registration, then the log (docs/PROTOCOL.md §10.2, "Ledger registration").
    public func ledgerMessages() -> [AnyMessage] {
        [AnyMessage(registration)] + state.log.map { event in
            switch event {
            case .contribution(let s): AnyMessage(s)
            case .removal(let s): AnyMessage(s)
            }
        }
    }

    /// The row schema, for datanets of numeric rows.
    public func schema() -> RowSchema? { schemaValue }

    /// Sets the row schema; refuses to change an existing one.
    public func setSchema(_ schema: RowSchema) throws(RemitError) {
        if let existing = schemaValue {
            guard existing == schema else {
                throw RemitError(.datanetBadContent, "datanet \(name) has columns \(existing.features + [existing.target]); the rows given have \(schema.features + [schema.target])")
            }
            return
        }
        try DatanetFiles.write(DatanetFiles.path(folder, "schema.json"), MessageJSON.encode(schema))
        schemaValue = schema
    }
}
