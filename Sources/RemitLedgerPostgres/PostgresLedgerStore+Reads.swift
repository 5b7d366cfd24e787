import PostgresNIO
public import RemitCore
public import RemitCrypto
public import RemitLedger

extension PostgresLedgerStore {
    public func loadState() async throws(RemitError) -> LedgerState {
        try await withConnection { connection in
            // One snapshot: the tables and the head agree even while other nodes append.
            try await self.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", on: connection) {
                try await self.loadState(connection, head: nil)
            }
        }
    }

    /// Every state table, read on `connection` (inside a transaction that keeps them consistent).
    func loadState(_ connection: PostgresConnection, head: ChainHead?) async throws -> LedgerState {
        guard let genesis = try await genesis(connection) else {
            throw RemitError(.ledgerNotInitialised, "the PostgreSQL ledger \(configuration) holds no ledger: create one with `remit ledger init --ledger \(configuration)`")
        }
        var state = LedgerState(genesis: genesis, head: .empty)
        if let head { state.head = head } else { state.head = try await journalHead(connection) }
        for row in try await rows("SELECT account, balance FROM balances", on: connection) {
            let (account, balance) = try row.decode((ByteBuffer, Int64).self)
            state.balances[try LedgerAccount(bytes: PostgresLedgerStore.bytes(account))] = balance
        }
        for row in try await rows("SELECT account, nonce FROM nonces", on: connection) {
            let (account, nonce) = try row.decode((ByteBuffer, Int64).self)
            state.nonces[try PublicKey(bytes: PostgresLedgerStore.bytes(account))] = UInt64(bitPattern: nonce)
        }
        for row in try await rows("SELECT record FROM channels", on: connection) {
            let channel = try ChannelState(recordBytes: PostgresLedgerStore.bytes(try row.decode(ByteBuffer.self)))
            state.channels[channel.channel] = channel
        }
        for row in try await rows("SELECT record FROM datanets", on: connection) {
            let record = try DatanetRecord(recordBytes: PostgresLedgerStore.bytes(try row.decode(ByteBuffer.self)))
            state.datanets[record.datanet] = record
        }
        for row in try await rows("SELECT record FROM contributions", on: connection) {
            let record = try ContributionRecord(recordBytes: PostgresLedgerStore.bytes(try row.decode(ByteBuffer.self)))
            state.contributions[record.contribution] = record
        }
        for listing in try await listings("", PostgresBindings(), connection) { state.apply(listing) }
        return state
    }

    /// Listing rows (with a `WHERE …` clause) as state updates.
    func listings(_ clause: String, _ binds: PostgresBindings, _ connection: PostgresConnection) async throws -> [StateUpdate] {
        try await rows("SELECT model, sequence, owner, owner_bps, contributors_bps, treasury_bps, entry, body FROM listings \(clause)", binds, on: connection)
            .map { row in
                let (model, sequence, owner, ownerBps, contributorsBps, treasuryBps, entry, body) =
                    try row.decode((ByteBuffer, Int64, ByteBuffer, Int32, Int32, Int32, Int64, ByteBuffer).self)
                let terms = ListingTerms(
                    model: ModelID(try Digest32(bytes: PostgresLedgerStore.bytes(model))), listingSequence: UInt64(bitPattern: sequence),
                    owner: try PublicKey(bytes: PostgresLedgerStore.bytes(owner)),
                    split: RevenueSplit(ownerBps: UInt16(ownerBps), contributorsBps: UInt16(contributorsBps), treasuryBps: UInt16(treasuryBps)),
                    entry: UInt64(entry)
                )
                return .listing(terms, try Signed<Listing>(wireBytes: PostgresLedgerStore.bytes(body)))
            }
    }

    /// One statement on a pooled connection.
    func read(_ sql: String, _ fill: (inout PostgresBindings) -> Void = { _ in }) async throws(RemitError) -> [PostgresRow] {
        var binds = PostgresBindings()
        fill(&binds)
        let bound = binds
        return try await withConnection { connection in try await self.rows(sql, bound, on: connection) }
    }

    /// Maps rows, turning decoding failures into store errors.
    func decoded<T>(_ rows: [PostgresRow], _ transform: (PostgresRow) throws -> T) throws(RemitError) -> [T] {
        do {
            return try rows.map(transform)
        } catch {
            throw translate(error)
        }
    }

    public func balance(of account: LedgerAccount) async throws(RemitError) -> Amount {
        let rows = try await read("SELECT balance FROM balances WHERE account = $1") { $0.append(PostgresLedgerStore.buffer(account.bytes)) }
        return try Amount(units: try decoded(rows) { try $0.decode(Int64.self) }.first ?? 0)
    }

    public func channel(_ id: ChannelID) async throws(RemitError) -> ChannelState? {
        let rows = try await read("SELECT record FROM channels WHERE id = $1") { $0.append(PostgresLedgerStore.buffer(id.digest.bytes)) }
        return try decoded(rows) { try ChannelState(recordBytes: PostgresLedgerStore.bytes(try $0.decode(ByteBuffer.self))) }.first
    }

    public func nonce(of key: PublicKey) async throws(RemitError) -> UInt64 {
        let rows = try await read("SELECT nonce FROM nonces WHERE account = $1") { $0.append(PostgresLedgerStore.buffer(key.bytes)) }
        return try decoded(rows) { UInt64(bitPattern: try $0.decode(Int64.self)) }.first ?? 0
    }

    public func listing(model: ModelID, sequence: UInt64?) async throws(RemitError) -> Signed<Listing>? {
        let rows = try await read("SELECT sequence, body FROM listings WHERE model = $1") { $0.append(PostgresLedgerStore.buffer(model.digest.bytes)) }
        let bodies = try decoded(rows) { row in
            let (sequence, body) = try row.decode((Int64, ByteBuffer).self)
            return (UInt64(bitPattern: sequence), PostgresLedgerStore.bytes(body))
        }
        let chosen = sequence.map { wanted in bodies.first { $0.0 == wanted } } ?? bodies.max { $0.0 < $1.0 }
        guard let chosen else { return nil }
        return try Signed<Listing>(wireBytes: chosen.1)
    }

    public func entries(from: UInt64, limit: Int) async throws(RemitError) -> [StoredEntry] {
        let rows = try await read("SELECT sequence, timestamp, kind, hash, body FROM entries WHERE sequence >= $1 ORDER BY sequence LIMIT $2") {
            $0.append(Int64(clamping: from))
            $0.append(Int64(limit))
        }
        return try decoded(rows) { row in
            let (sequence, timestamp, kind, hash, body) = try row.decode((Int64, Int64, Int16, ByteBuffer, ByteBuffer).self)
            return StoredEntry(sequence: UInt64(sequence), timestamp: UInt64(bitPattern: timestamp), kind: UInt8(truncatingIfNeeded: kind),
                               hash: try Digest32(bytes: PostgresLedgerStore.bytes(hash)), body: PostgresLedgerStore.bytes(body))
        }
    }

    public func receipts(entry: UInt64) async throws(RemitError) -> [[UInt8]] {
        let rows = try await read("SELECT body FROM receipts WHERE entry = $1 ORDER BY position") { $0.append(Int64(clamping: entry)) }
        return try decoded(rows) { PostgresLedgerStore.bytes(try $0.decode(ByteBuffer.self)) }
    }

    public func postings(entries range: ClosedRange<UInt64>) async throws(RemitError) -> [UInt64: [Posting]] {
        let rows = try await read("SELECT entry, account, delta FROM postings WHERE entry BETWEEN $1 AND $2 ORDER BY entry, account") {
            $0.append(Int64(clamping: range.lowerBound))
            $0.append(Int64(clamping: range.upperBound))
        }
        // Decoding a user account validates its Ed25519 point (costly): once per account per page.
        var accounts: [[UInt8]: LedgerAccount] = [:]
        var out: [UInt64: [Posting]] = [:]
        _ = try decoded(rows) { row in
            let (entry, key, delta) = try row.decode((Int64, ByteBuffer, Int64).self)
            let bytes = PostgresLedgerStore.bytes(key)
            let account = try accounts[bytes] ?? LedgerAccount(bytes: bytes)
            accounts[bytes] = account
            out[UInt64(entry), default: []].append(Posting(account: account, delta: delta))
        }
        return out
    }

    public func earnings(entry: UInt64) async throws(RemitError) -> [Earning] {
        let rows = try await read("SELECT account, role, model, datanet, amount FROM earnings WHERE entry = $1") { $0.append(Int64(clamping: entry)) }
        return try decoded(rows) { try PostgresLedgerStore.earning($0) }
    }

    static func earning(_ row: PostgresRow, account: PublicKey? = nil) throws -> Earning {
        let (key, role, model, datanet, amount) = try row.decode((ByteBuffer, Int16, ByteBuffer, ByteBuffer?, Int64).self)
        guard let earningRole = EarningRole(rawValue: UInt8(truncatingIfNeeded: role)) else {
            throw RemitError(.ledgerStore, "earnings row holds unknown role \(role)")
        }
        return Earning(account: try account ?? PublicKey(bytes: bytes(key)), role: earningRole, model: ModelID(try Digest32(bytes: bytes(model))),
                       datanet: try datanet.map { DatanetID(try Digest32(bytes: bytes($0))) }, amount: try Amount(units: amount))
    }

    public func history(of account: LedgerAccount, before: UInt64?, limit: Int) async throws(RemitError) -> [HistoryItem] {
        let rows = try await read("""
            SELECT p.entry, e.timestamp, e.kind, p.delta FROM postings p JOIN entries e ON e.sequence = p.entry
            WHERE p.account = $1 AND p.entry < $2 ORDER BY p.entry DESC LIMIT $3
            """) {
            $0.append(PostgresLedgerStore.buffer(account.bytes))
            $0.append(Int64(clamping: before ?? UInt64(Int64.max)))
            $0.append(Int64(limit))
        }
        return try decoded(rows) { row in
            let (entry, timestamp, kind, delta) = try row.decode((Int64, Int64, Int16, Int64).self)
            guard let entryKind = EntryKind(rawValue: UInt8(truncatingIfNeeded: kind)) else {
                throw RemitError(.ledgerStore, "entry \(entry) holds unknown kind \(kind)")
            }
            return HistoryItem(entry: UInt64(entry), timestamp: UInt64(bitPattern: timestamp), kind: entryKind, delta: delta)
        }
    }

    public func earnings(of account: PublicKey) async throws(RemitError) -> [Earning] {
        let rows = try await read("""
            SELECT account, role, model, datanet, SUM(amount)::int8 FROM earnings WHERE account = $1
            GROUP BY account, role, model, datanet ORDER BY role, model, datanet NULLS FIRST
            """) { $0.append(PostgresLedgerStore.buffer(account.bytes)) }
        return try decoded(rows) { try PostgresLedgerStore.earning($0, account: account) }
    }

    public func entryHashes(_ range: ClosedRange<UInt64>) async throws(RemitError) -> [Digest32] {
        let rows = try await read("SELECT hash FROM entries WHERE sequence BETWEEN $1 AND $2 ORDER BY sequence") {
            $0.append(Int64(clamping: range.lowerBound))
            $0.append(Int64(clamping: range.upperBound))
        }
        return try decoded(rows, PostgresLedgerStore.digest(of:))
    }

    /// One row's digest. Kept out of line on purpose: with `Digest32(bytes:)` inlined into
    /// ``entryHashes(_:)``, Swift 6.3.1's optimizer crashes splitting that coroutine (signal 11 in
    /// CoroSplit) and the release build fails.
    @inline(never)
    static func digest(of row: PostgresRow) throws -> Digest32 {
        try Digest32(bytes: bytes(try row.decode(ByteBuffer.self)))
    }

    public func saveCheckpoint(_ checkpoint: Signed<Checkpoint>) async throws(RemitError) {
        let c = checkpoint.message
        _ = try await read("INSERT INTO checkpoints (sequence, first_entry, last_entry, body) VALUES ($1, $2, $3, $4)") {
            $0.append(Int64(clamping: c.sequence))
            $0.append(Int64(clamping: c.firstEntry))
            $0.append(Int64(clamping: c.lastEntry))
            $0.append(PostgresLedgerStore.buffer(checkpoint.wireBytes))
        }
    }

    public func checkpoints() async throws(RemitError) -> [Signed<Checkpoint>] {
        let rows = try await read("SELECT body FROM checkpoints ORDER BY sequence")
        return try decoded(rows) { try Signed<Checkpoint>(wireBytes: PostgresLedgerStore.bytes(try $0.decode(ByteBuffer.self))) }
    }

    public func checkpoint(covering entry: UInt64) async throws(RemitError) -> Signed<Checkpoint>? {
        let rows = try await read("SELECT body FROM checkpoints WHERE first_entry <= $1 AND last_entry >= $1 ORDER BY sequence LIMIT 1") {
            $0.append(Int64(clamping: entry))
        }
        return try decoded(rows) { try Signed<Checkpoint>(wireBytes: PostgresLedgerStore.bytes(try $0.decode(ByteBuffer.self))) }.first
    }
}
