import PostgresNIO
import RemitCore
import RemitCrypto
import RemitLedger

/// Applies a run of commits inside a write transaction that holds the `head` row lock, re-checking
/// what another writer could have changed since they were built. Rows go in as arrays
/// (`INSERT … SELECT FROM unnest(…)`), one statement per table whatever the run's length, and
/// state updates are folded per row: the first expected state is checked against the stored row,
/// the last record is written.
struct PostgresAppend {
    let head: ChainHead
    let commits: [EntryCommit]

    static func conflict(_ message: String) -> RemitError { RemitError(.ledgerConflict, message) }

    /// A channel or contribution row as the run leaves it.
    struct Folded<Record> {
        /// What the stored row must hold first (nil: the run inserts the row).
        var expected: Int?
        var record: Record
        var state: Int
        var entry: UInt64
    }

    func run(on connection: PostgresConnection, store: PostgresLedgerStore) async throws {
        guard let last = commits.last else { return }
        var entries = (sequence: [Int64](), timestamp: [Int64](), kind: [Int16](), hash: [ByteBuffer](), body: [ByteBuffer]())
        var postings = (entry: [Int64](), account: [ByteBuffer](), delta: [Int64]())
        var receipts = (entry: [Int64](), position: [Int32](), body: [ByteBuffer]())
        var earnings = (account: [ByteBuffer](), entry: [Int64](), role: [Int16](), model: [ByteBuffer](), datanet: [ByteBuffer](), amount: [Int64]())
        var balances: [LedgerAccount: Int64] = [:]
        var nonces: [PublicKey: (low: UInt64, high: UInt64, entry: UInt64)] = [:]
        var channels: [ChannelID: Folded<ChannelState>] = [:]
        var contributions: [ContributionID: Folded<ContributionRecord>] = [:]
        var datanets: [DatanetRecord] = []
        var listings: [(ListingTerms, Signed<Listing>)] = []

        var previous = head
        for commit in commits {
            let entry = commit.entry
            guard entry.sequence == previous.sequence + 1, commit.previousHash == previous.hash else {
                throw PostgresAppend.conflict("entry \(entry.sequence) chains on \(commit.previousHash), but the journal's head is entry \(previous.sequence) (\(previous.hash)): another writer appended first")
            }
            if entry.kind != .genesis {
                guard try Posting.sum(entry.postings) == 0 else {
                    throw RemitError(.ledgerSupplyBroken, "entry \(entry.sequence)'s postings do not sum to zero")
                }
            }
            let sequence = Int64(entry.sequence)
            entries.sequence.append(sequence)
            entries.timestamp.append(Int64(bitPattern: entry.timestamp))
            entries.kind.append(Int16(entry.kind.rawValue))
            entries.hash.append(PostgresLedgerStore.buffer(commit.hash.bytes))
            entries.body.append(PostgresLedgerStore.buffer(commit.bytes))
            for line in entry.postings {
                postings.entry.append(sequence)
                postings.account.append(PostgresLedgerStore.buffer(line.account.bytes))
                postings.delta.append(line.delta)
                let (sum, overflow) = balances[line.account, default: 0].addingReportingOverflow(line.delta)
                guard !overflow else { throw RemitError(.amountOverflow, "balance changes to \(line.account) overflow 64 bits") }
                balances[line.account] = sum
            }
            for update in commit.updates {
                switch update {
                case .nonce(let key, let nonce):
                    if let range = nonces[key] {
                        guard nonce > range.high else { throw PostgresAppend.conflict("transfer nonce \(nonce) of \(AccountID(key)) is not above \(range.high)") }
                        nonces[key] = (range.low, nonce, entry.sequence)
                    } else {
                        nonces[key] = (nonce, nonce, entry.sequence)
                    }
                case .channel(let channel, let expected):
                    try PostgresAppend.fold(&channels, channel.channel, record: channel, state: Int(channel.status.rawValue),
                                            expected: expected.map { Int($0.rawValue) }, entry: entry.sequence, what: "channel")
                case .contribution(let record, let expected):
                    try PostgresAppend.fold(&contributions, record.contribution, record: record, state: record.stateCode,
                                            expected: expected, entry: entry.sequence, what: "contribution")
                case .datanet(let record):
                    datanets.append(record)
                case .listing(let terms, let signed):
                    listings.append((terms, signed))
                }
            }
            for (position, body) in commit.receipts.enumerated() {
                receipts.entry.append(sequence)
                receipts.position.append(Int32(position))
                receipts.body.append(PostgresLedgerStore.buffer(body))
            }
            for e in commit.earnings {
                earnings.account.append(PostgresLedgerStore.buffer(e.account.bytes))
                earnings.entry.append(sequence)
                earnings.role.append(Int16(e.role.rawValue))
                earnings.model.append(PostgresLedgerStore.buffer(e.model.digest.bytes))
                earnings.datanet.append(PostgresLedgerStore.buffer(e.datanet?.digest.bytes ?? []))
                earnings.amount.append(e.amount.units)
            }
            previous = commit.head
        }

        func exec(_ sql: String, _ fill: (inout PostgresBindings) -> Void) async throws -> [PostgresRow] {
            var binds = PostgresBindings()
            fill(&binds)
            return try await store.rows(sql, binds, on: connection)
        }

        _ = try await exec("INSERT INTO entries (sequence, timestamp, kind, hash, body) SELECT * FROM unnest($1::int8[], $2::int8[], $3::int2[], $4::bytea[], $5::bytea[])") {
            $0.append(entries.sequence); $0.append(entries.timestamp); $0.append(entries.kind); $0.append(entries.hash); $0.append(entries.body)
        }
        if !postings.entry.isEmpty {
            _ = try await exec("INSERT INTO postings (entry, account, delta) SELECT * FROM unnest($1::int8[], $2::bytea[], $3::int8[])") {
                $0.append(postings.entry); $0.append(postings.account); $0.append(postings.delta)
            }
        }
        let changed = balances.filter { $0.value != 0 }
        if !changed.isEmpty {
            // The CHECK (balance >= 0) refuses an overdraft and rolls the whole run back. Not an
            // upsert: PostgreSQL checks the row it would insert (a bare negative delta) before it
            // finds the conflict, so existing rows are updated and only new ones inserted.
            _ = try await exec("""
                WITH u AS (SELECT * FROM unnest($1::bytea[], $2::int8[]) AS u(account, delta)),
                     changed AS (UPDATE balances AS b SET balance = b.balance + u.delta FROM u WHERE b.account = u.account RETURNING b.account)
                INSERT INTO balances (account, balance) SELECT account, delta FROM u WHERE account NOT IN (SELECT account FROM changed)
                """) {
                $0.append(changed.keys.map { PostgresLedgerStore.buffer($0.bytes) }); $0.append(Array(changed.values))
            }
        }
        try await writeNonces(nonces, exec)
        try await writeFolded(channels, table: "channels", stateColumn: "status", stateType: "int2", bytes: \.recordBytes, id: { $0.digest.bytes }, exec)
        try await writeFolded(contributions, table: "contributions", stateColumn: "state", stateType: "int4", bytes: \.recordBytes,
                              id: { $0.digest.bytes }, exec)
        if !datanets.isEmpty {
            _ = try await exec("INSERT INTO datanets (id, record, entry) SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::int8[])") {
                $0.append(datanets.map { PostgresLedgerStore.buffer($0.datanet.digest.bytes) })
                $0.append(datanets.map { PostgresLedgerStore.buffer($0.recordBytes) })
                $0.append(datanets.map { Int64($0.entry) })
            }
        }
        try await writeListings(listings, exec)
        if !receipts.entry.isEmpty {
            _ = try await exec("INSERT INTO receipts (entry, position, body) SELECT * FROM unnest($1::int8[], $2::int4[], $3::bytea[])") {
                $0.append(receipts.entry); $0.append(receipts.position); $0.append(receipts.body)
            }
        }
        if !earnings.entry.isEmpty {
            _ = try await exec("""
                INSERT INTO earnings (account, entry, role, model, datanet, amount)
                SELECT account, entry, role, model, NULLIF(datanet, ''::bytea), amount
                FROM unnest($1::bytea[], $2::int8[], $3::int2[], $4::bytea[], $5::bytea[], $6::int8[]) AS u(account, entry, role, model, datanet, amount)
                """) {
                $0.append(earnings.account); $0.append(earnings.entry); $0.append(earnings.role)
                $0.append(earnings.model); $0.append(earnings.datanet); $0.append(earnings.amount)
            }
        }
        let newHead = last.head
        _ = try await exec("UPDATE head SET sequence = $1, hash = $2, timestamp = $3 WHERE id = 1") {
            $0.append(Int64(newHead.sequence)); $0.append(PostgresLedgerStore.buffer(newHead.hash.bytes)); $0.append(Int64(bitPattern: newHead.timestamp))
        }
    }
}
