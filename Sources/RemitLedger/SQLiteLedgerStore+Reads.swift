import Foundation
import GRDB
public import RemitCore
public import RemitCrypto

extension SQLiteLedgerStore {
    private static func bytes(_ row: Row, _ index: Int) -> [UInt8] { Array(row[index] as Data) }

    private static func earning(_ row: Row, account: PublicKey? = nil) throws -> Earning {
        let key = try account ?? PublicKey(bytes: bytes(row, 0))
        let datanet: Data? = row[3]
        guard let role = EarningRole(rawValue: UInt8(row[1] as Int64)) else {
            throw RemitError(.ledgerStore, "earnings row holds unknown role \(row[1] as Int64)")
        }
        return Earning(account: key, role: role, model: ModelID(try Digest32(bytes: bytes(row, 2))),
                       datanet: try datanet.map { DatanetID(try Digest32(bytes: $0)) }, amount: try Amount(units: row[4]))
    }

    public func loadState() async throws(RemitError) -> LedgerState {
        guard let genesis = try await genesis() else {
            throw RemitError(.ledgerNotInitialised, "the ledger database \(path ?? "(in memory)") holds no ledger: create one with `remit ledger init`")
        }
        return try await read { db in
            var state = LedgerState(genesis: genesis, head: try SQLiteLedgerStore.head(db))
            for row in try Row.fetchAll(db, sql: "SELECT account, balance FROM balances") {
                state.balances[try LedgerAccount(bytes: SQLiteLedgerStore.bytes(row, 0))] = row[1]
            }
            for row in try Row.fetchAll(db, sql: "SELECT account, nonce FROM nonces") {
                state.nonces[try PublicKey(bytes: SQLiteLedgerStore.bytes(row, 0))] = UInt64(bitPattern: row[1])
            }
            for row in try Row.fetchAll(db, sql: "SELECT record FROM channels") {
                let channel = try ChannelState(recordBytes: SQLiteLedgerStore.bytes(row, 0))
                state.channels[channel.channel] = channel
            }
            for row in try Row.fetchAll(db, sql: "SELECT record FROM datanets") {
                let record = try DatanetRecord(recordBytes: SQLiteLedgerStore.bytes(row, 0))
                state.datanets[record.datanet] = record
            }
            for row in try Row.fetchAll(db, sql: "SELECT record FROM contributions") {
                let record = try ContributionRecord(recordBytes: SQLiteLedgerStore.bytes(row, 0))
                state.contributions[record.contribution] = record
            }
            for row in try Row.fetchAll(db, sql: "SELECT model, sequence, owner, owner_bps, contributors_bps, treasury_bps, entry FROM listings") {
                let terms = ListingTerms(
                    model: ModelID(try Digest32(bytes: SQLiteLedgerStore.bytes(row, 0))), listingSequence: UInt64(bitPattern: row[1]),
                    owner: try PublicKey(bytes: SQLiteLedgerStore.bytes(row, 2)),
                    split: RevenueSplit(ownerBps: UInt16(row[3] as Int64), contributorsBps: UInt16(row[4] as Int64), treasuryBps: UInt16(row[5] as Int64)),
                    entry: UInt64(row[6] as Int64)
                )
                state.apply(.listing(terms, try Signed<Listing>(wireBytes: try SQLiteLedgerStore.listingBody(db, terms))))
            }
            return state
        }
    }

    private static func listingBody(_ db: Database, _ terms: ListingTerms) throws -> [UInt8] {
        let body = try Data.fetchOne(db, sql: "SELECT body FROM listings WHERE model = ? AND sequence = ?",
                                     arguments: [Data(terms.model.digest.bytes), Int64(bitPattern: terms.listingSequence)])
        return Array(body ?? Data())
    }

    public func balance(of account: LedgerAccount) async throws(RemitError) -> Amount {
        let key = Data(account.bytes)
        let units = try await read { db in try Int64.fetchOne(db, sql: "SELECT balance FROM balances WHERE account = ?", arguments: [key]) }
        return try Amount(units: units ?? 0)
    }

    public func channel(_ id: ChannelID) async throws(RemitError) -> ChannelState? {
        let key = Data(id.digest.bytes)
        let record = try await read { db in try Data.fetchOne(db, sql: "SELECT record FROM channels WHERE id = ?", arguments: [key]) }
        return try record.map { data throws(RemitError) in try ChannelState(recordBytes: Array(data)) }
    }

    public func nonce(of key: PublicKey) async throws(RemitError) -> UInt64 {
        let account = Data(key.bytes)
        let nonce = try await read { db in try Int64.fetchOne(db, sql: "SELECT nonce FROM nonces WHERE account = ?", arguments: [account]) }
        return nonce.map { UInt64(bitPattern: $0) } ?? 0
    }

    public func listing(model: ModelID, sequence: UInt64?) async throws(RemitError) -> Signed<Listing>? {
        let key = Data(model.digest.bytes)
        let bodies = try await read { db in
            try Row.fetchAll(db, sql: "SELECT sequence, body FROM listings WHERE model = ?", arguments: [key])
                .map { (UInt64(bitPattern: $0[0] as Int64), Array($0[1] as Data)) }
        }
        let chosen = sequence.map { wanted in bodies.first { $0.0 == wanted } } ?? bodies.max { $0.0 < $1.0 }
        guard let chosen else { return nil }
        return try Signed<Listing>(wireBytes: chosen.1)
    }

    public func entries(from: UInt64, limit: Int) async throws(RemitError) -> [StoredEntry] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT sequence, timestamp, kind, hash, body FROM entries WHERE sequence >= ? ORDER BY sequence LIMIT ?",
                             arguments: [Int64(from), limit]).map { row in
                StoredEntry(sequence: UInt64(row[0] as Int64), timestamp: UInt64(bitPattern: row[1]), kind: UInt8(truncatingIfNeeded: row[2] as Int64),
                            hash: try Digest32(bytes: SQLiteLedgerStore.bytes(row, 3)), body: SQLiteLedgerStore.bytes(row, 4))
            }
        }
    }

    public func receipts(entry: UInt64) async throws(RemitError) -> [[UInt8]] {
        try await read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM receipts WHERE entry = ? ORDER BY position", arguments: [Int64(entry)]).map { Array($0) }
        }
    }

    public func postings(entries range: ClosedRange<UInt64>) async throws(RemitError) -> [UInt64: [Posting]] {
        try await read { db in
            var out: [UInt64: [Posting]] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT entry, account, delta FROM postings WHERE entry BETWEEN ? AND ? ORDER BY entry, account",
                                           arguments: [Int64(range.lowerBound), Int64(range.upperBound)])
            // Decoding a user account validates its Ed25519 point (costly): once per account per page.
            var accounts: [Data: LedgerAccount] = [:]
            while let row = try rows.next() {
                let key: Data = row[1]
                let account = try accounts[key] ?? LedgerAccount(bytes: Array(key))
                accounts[key] = account
                out[UInt64(row[0] as Int64), default: []].append(Posting(account: account, delta: row[2]))
            }
            return out
        }
    }

    public func earnings(entry: UInt64) async throws(RemitError) -> [Earning] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT account, role, model, datanet, amount FROM earnings WHERE entry = ?", arguments: [Int64(entry)])
                .map { try SQLiteLedgerStore.earning($0) }
        }
    }

    public func history(of account: LedgerAccount, before: UInt64?, limit: Int) async throws(RemitError) -> [HistoryItem] {
        let key = Data(account.bytes)
        let bound = Int64(min(before ?? UInt64(Int64.max), UInt64(Int64.max)))
        return try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.entry, e.timestamp, e.kind, p.delta FROM postings p JOIN entries e ON e.sequence = p.entry
                WHERE p.account = ? AND p.entry < ? ORDER BY p.entry DESC LIMIT ?
                """, arguments: [key, bound, limit]).map { row in
                guard let kind = EntryKind(rawValue: UInt8(truncatingIfNeeded: row[2] as Int64)) else {
                    throw RemitError(.ledgerStore, "entry \(row[0] as Int64) holds unknown kind \(row[2] as Int64)")
                }
                return HistoryItem(entry: UInt64(row[0] as Int64), timestamp: UInt64(bitPattern: row[1]), kind: kind, delta: row[3])
            }
        }
    }

    public func earnings(of account: PublicKey) async throws(RemitError) -> [Earning] {
        let key = Data(account.bytes)
        return try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT account, role, model, datanet, SUM(amount) FROM earnings WHERE account = ?
                GROUP BY role, model, datanet ORDER BY role, model, datanet
                """, arguments: [key]).map { try SQLiteLedgerStore.earning($0, account: account) }
        }
    }

    public func entryHashes(_ range: ClosedRange<UInt64>) async throws(RemitError) -> [Digest32] {
        try await read { db in
            var out: [Digest32] = []
            out.reserveCapacity(range.count)
            let rows = try Row.fetchCursor(db, sql: "SELECT hash FROM entries WHERE sequence BETWEEN ? AND ? ORDER BY sequence",
                                           arguments: [Int64(range.lowerBound), Int64(range.upperBound)])
            while let row = try rows.next() { out.append(try Digest32(bytes: SQLiteLedgerStore.bytes(row, 0))) }
            return out
        }
    }

    public func saveCheckpoint(_ checkpoint: Signed<Checkpoint>) async throws(RemitError) {
        let c = checkpoint.message
        let body = Data(checkpoint.wireBytes)
        try await write { db in
            try db.execute(sql: "INSERT INTO checkpoints (sequence, first_entry, last_entry, body) VALUES (?, ?, ?, ?)",
                           arguments: [Int64(c.sequence), Int64(c.firstEntry), Int64(c.lastEntry), body])
        }
    }

    public func checkpoints() async throws(RemitError) -> [Signed<Checkpoint>] {
        try await read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM checkpoints ORDER BY sequence").map { try Signed<Checkpoint>(wireBytes: Array($0)) }
        }
    }

    public func checkpoint(covering entry: UInt64) async throws(RemitError) -> Signed<Checkpoint>? {
        try await read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM checkpoints WHERE first_entry <= ? AND last_entry >= ? ORDER BY sequence LIMIT 1",
                              arguments: [Int64(entry), Int64(entry)]).map { try Signed<Checkpoint>(wireBytes: Array($0)) }
        }
    }
}
