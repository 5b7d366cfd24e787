import PostgresNIO
public import RemitCore
import RemitCrypto
public import RemitLedger

extension PostgresLedgerStore {
    /// Behind by more than this many entries, a writer reloads every state table instead of the changed rows.
    static let catchUpLimit: UInt64 = 20_000

    /// One write, serialised across every node by the `head` row lock: lock the head, bring
    /// `state` up to date with the entries other nodes appended, build, append, commit.
    public func write<Output: Sendable>(
        _ state: inout LedgerState, _ build: @Sendable (LedgerState) throws(RemitError) -> LedgerWrite<Output>
    ) async throws(RemitError) -> Output {
        var current = state
        // Hand the tables over so the catch-up below changes them in place, not a copy.
        state = LedgerState(genesis: current.genesis, head: current.head)
        let write: LedgerWrite<Output>
        do {
            write = try await client.withConnection { connection in
                try await self.transaction(on: connection) { () async throws -> LedgerWrite<Output> in
                    let head = try await self.lockHead(connection)
                    if head != current.head { try await self.catchUp(&current, to: head, connection) }
                    let write = try build(current)
                    try await PostgresAppend(head: head, commits: write.commits).run(on: connection, store: self)
                    return write
                }
            }
        } catch {
            // A refusal or a failure: `current` holds committed state only (caught up as far as
            // it was read, which a later catch-up repeats from its head), never an unstored entry.
            state = current
            throw translate(error)
        }
        if let after = write.after {
            state = after
        } else {
            for commit in write.commits { current.apply(commit) }
            state = current
        }
        return write.output
    }

    public func append(_ commits: [EntryCommit]) async throws(RemitError) {
        guard !commits.isEmpty else { return }
        try await withConnection { connection in
            try await self.transaction(on: connection) {
                let head = try await self.lockHead(connection)
                try await PostgresAppend(head: head, commits: commits).run(on: connection, store: self)
            }
        }
    }

    /// Locks the `head` row until the transaction ends and returns it.
    func lockHead(_ connection: PostgresConnection) async throws -> ChainHead {
        guard let row = try await rows("SELECT sequence, hash, timestamp FROM head WHERE id = 1 FOR UPDATE", on: connection).first else {
            throw RemitError(.ledgerNotInitialised, "the PostgreSQL ledger \(configuration) holds no ledger: create one with `remit ledger init --ledger \(configuration)`")
        }
        let (sequence, hash, timestamp) = try row.decode((Int64, ByteBuffer, Int64).self)
        return ChainHead(sequence: UInt64(sequence), hash: try Digest32(bytes: PostgresLedgerStore.bytes(hash)), timestamp: UInt64(bitPattern: timestamp))
    }

    /// Brings `state` from its head to `head`, inside the write transaction that holds the head
    /// lock (so nothing moves meanwhile): the rows changed by later entries, or every table when
    /// `state` is far behind or not on this journal at all.
    func catchUp(_ state: inout LedgerState, to head: ChainHead, _ connection: PostgresConnection) async throws {
        let from = state.head
        var onJournal = from.sequence < head.sequence && head.sequence - from.sequence <= PostgresLedgerStore.catchUpLimit
        if onJournal {
            var binds = PostgresBindings()
            binds.append(Int64(from.sequence))
            let stored = try await rows("SELECT hash FROM entries WHERE sequence = $1", binds, on: connection).first
            onJournal = try stored.map { PostgresLedgerStore.bytes(try $0.decode(ByteBuffer.self)) } == from.hash.bytes
        }
        guard onJournal else {
            state = try await loadState(connection, head: head)
            return
        }
        var after = PostgresBindings()
        after.append(Int64(from.sequence))
        let balances = try await rows("""
            SELECT account, balance FROM balances WHERE account IN (SELECT account FROM postings WHERE entry > $1)
            """, after, on: connection)
        for row in balances {
            let (account, balance) = try row.decode((ByteBuffer, Int64).self)
            state.balances[try LedgerAccount(bytes: PostgresLedgerStore.bytes(account))] = balance
        }
        for row in try await rows("SELECT account, nonce FROM nonces WHERE entry > $1", after, on: connection) {
            let (account, nonce) = try row.decode((ByteBuffer, Int64).self)
            state.nonces[try PublicKey(bytes: PostgresLedgerStore.bytes(account))] = UInt64(bitPattern: nonce)
        }
        for row in try await rows("SELECT record FROM channels WHERE entry > $1", after, on: connection) {
            let channel = try ChannelState(recordBytes: PostgresLedgerStore.bytes(try row.decode(ByteBuffer.self)))
            state.channels[channel.channel] = channel
        }
        for row in try await rows("SELECT record FROM datanets WHERE entry > $1", after, on: connection) {
            let record = try DatanetRecord(recordBytes: PostgresLedgerStore.bytes(try row.decode(ByteBuffer.self)))
            state.datanets[record.datanet] = record
        }
        for row in try await rows("SELECT record FROM contributions WHERE entry > $1", after, on: connection) {
            let record = try ContributionRecord(recordBytes: PostgresLedgerStore.bytes(try row.decode(ByteBuffer.self)))
            state.contributions[record.contribution] = record
        }
        for listing in try await listings("WHERE entry > $1", after, connection) { state.apply(listing) }
        state.head = head
    }
}
