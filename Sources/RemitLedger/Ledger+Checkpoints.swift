public import RemitCore
public import RemitCrypto

extension Ledger {
    /// Signs a checkpoint over the entries since the last one: chain head, Merkle root of their
    /// hashes, the previous checkpoint's digest and the supply. `key` must be the operator key.
    public func checkpoint(signingWith key: SigningKey) async throws(RemitError) -> Signed<Checkpoint> {
        guard key.publicKey == genesis.operatorKey else {
            throw RemitError(.ledgerWrongOperator, "\(AccountID(key.publicKey)) is not this ledger's operator \(AccountID(genesis.operatorKey)); only the operator signs checkpoints")
        }
        return try await exclusively { () async throws(RemitError) -> Signed<Checkpoint> in
            let previous = try await store.checkpoints().last
            let first = (previous?.message.lastEntry ?? 0) + 1
            // The store's head, not this writer's: other writers may have appended since.
            let head = try await store.head()
            guard head.sequence >= first else {
                throw RemitError(.ledgerNothingToCheckpoint, "no entries since checkpoint \(previous?.message.sequence ?? 0) (last entry \(head.sequence))")
            }
            let hashes = try await store.entryHashes(first...head.sequence)
            let checkpoint = Checkpoint(
                ledger: genesis.ledger, operatorKey: genesis.operatorKey, sequence: (previous?.message.sequence ?? 0) + 1,
                firstEntry: first, lastEntry: head.sequence, chainHead: head.hash, merkleRoot: MerkleTree.root(of: hashes),
                previous: previous?.message.digest ?? .zero, supply: genesis.supply, timestamp: Ledger.timestamp(clock, after: head)
            )
            let signed = Signed(signing: checkpoint, with: key)
            try await store.saveCheckpoint(signed)
            return signed
        }
    }

    /// The inclusion proof of entry `sequence` under the checkpoint that covers it.
    public func proof(entry sequence: UInt64) async throws(RemitError) -> EntryProof {
        try await Ledger.proof(entry: sequence, store: store)
    }

    /// The inclusion proof of entry `sequence`, read straight from a store.
    public static func proof(entry sequence: UInt64, store: any LedgerStore) async throws(RemitError) -> EntryProof {
        guard sequence >= 1, let stored = try await store.entries(from: sequence, limit: 1).first, stored.sequence == sequence else {
            throw RemitError(.ledgerUnknownEntry, "entry \(sequence) is not in the journal")
        }
        guard let checkpoint = try await store.checkpoint(covering: sequence) else {
            throw RemitError(.ledgerNotCheckpointed, "entry \(sequence) is not covered by a checkpoint yet: run `remit ledger checkpoint` first")
        }
        let cp = checkpoint.message
        let hashes = try await store.entryHashes(cp.firstEntry...cp.lastEntry)
        let previous = sequence == 1 ? Digest32.zero : try await store.entryHashes((sequence - 1)...(sequence - 1)).first ?? .zero
        let tree = MerkleTree(items: hashes)
        return EntryProof(sequence: sequence, previousHash: previous, entry: stored.body, hash: stored.hash, checkpoint: checkpoint,
                          inclusion: tree.proof(at: Int(sequence - cp.firstEntry)))
    }

    /// Replays the whole journal from genesis (see ``LedgerVerifier``), with no write in between.
    public func verify() async -> VerificationReport {
        await acquire()
        let report = await LedgerVerifier(store: store).run()
        release()
        return report
    }
}
