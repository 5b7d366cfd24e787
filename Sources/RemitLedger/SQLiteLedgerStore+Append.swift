import Foundation
import GRDB
import RemitCore
import RemitCrypto

/// Applies a run of commits inside one write transaction, re-checking what another writer could
/// have changed since they were built. Balance changes and nonces are summed over the run and
/// written once per account at the end; the balance column's CHECK refuses a negative result.
struct AppendBatch {
    var head: ChainHead
    var balanceDeltas: [LedgerAccount: Int64] = [:]
    var nonces: [PublicKey: (low: UInt64, high: UInt64)] = [:]
    private let entries: SQLiteInsert
    private let postings: SQLiteInsert
    private var receipts: SQLiteInsert?
    private var earnings: SQLiteInsert?

    init(head: ChainHead, _ db: Database) throws {
        self.head = head
        entries = try SQLiteInsert(db, "INSERT INTO entries (sequence, timestamp, kind, hash, body) VALUES (?, ?, ?, ?, ?)")
        postings = try SQLiteInsert(db, "INSERT INTO postings (entry, account, delta) VALUES (?, ?, ?)")
    }

    static func conflict(_ message: String) -> RemitError { RemitError(.ledgerConflict, message) }

    mutating func append(_ commit: EntryCommit, _ db: Database) throws {
        let entry = commit.entry
        guard entry.sequence == head.sequence + 1, commit.previousHash == head.hash else {
            throw AppendBatch.conflict("entry \(entry.sequence) chains on \(commit.previousHash), but the journal's head is entry \(head.sequence) (\(head.hash)): another writer appended first")
        }
        if entry.kind != .genesis {
            guard try Posting.sum(entry.postings) == 0 else {
                throw RemitError(.ledgerSupplyBroken, "entry \(entry.sequence)'s postings do not sum to zero")
            }
        }
        let sequence = Int64(entry.sequence)
        entries.bind(1, sequence)
        entries.bind(2, Int64(bitPattern: entry.timestamp))
        entries.bind(3, Int64(entry.kind.rawValue))
        entries.bind(4, commit.hash)
        entries.bind(5, commit.bytes)
        try entries.run()
        for line in entry.postings {
            postings.bind(1, sequence)
            postings.bind(2, line.account.bytes)
            postings.bind(3, line.delta)
            try postings.run()
            let (sum, overflow) = balanceDeltas[line.account, default: 0].addingReportingOverflow(line.delta)
            guard !overflow else { throw RemitError(.amountOverflow, "balance changes to \(line.account) overflow 64 bits") }
            balanceDeltas[line.account] = sum
        }
        for update in commit.updates { try apply(update, db) }
        if !commit.receipts.isEmpty {
            if receipts == nil { receipts = try SQLiteInsert(db, "INSERT INTO receipts (entry, position, body) VALUES (?, ?, ?)") }
            for (position, body) in commit.receipts.enumerated() {
                receipts!.bind(1, sequence)
                receipts!.bind(2, Int64(position))
                receipts!.bind(3, body)
                try receipts!.run()
            }
        }
        if !commit.earnings.isEmpty {
            if earnings == nil { earnings = try SQLiteInsert(db, "INSERT INTO earnings (account, entry, role, model, datanet, amount) VALUES (?, ?, ?, ?, ?, ?)") }
            for e in commit.earnings {
                earnings!.bind(1, e.account.bytes)
                earnings!.bind(2, sequence)
                earnings!.bind(3, Int64(e.role.rawValue))
                earnings!.bind(4, e.model.digest)
                if let datanet = e.datanet { earnings!.bind(5, datanet.digest) } else { earnings!.bindNull(5) }
                earnings!.bind(6, e.amount.units)
                try earnings!.run()
            }
        }
        head = commit.head
    }

    mutating func apply(_ update: StateUpdate, _ db: Database) throws {
        switch update {
        case .nonce(let key, let nonce):
            if let range = nonces[key] {
                guard nonce > range.high else { throw AppendBatch.conflict("transfer nonce \(nonce) of \(AccountID(key)) is not above \(range.high)") }
                nonces[key] = (range.low, nonce)
            } else {
                nonces[key] = (nonce, nonce)
            }
        case .channel(let channel, let expected):
            let id = Data(channel.channel.digest.bytes)
            if let expected {
                try db.cachedStatement(sql: "UPDATE channels SET status = ?, record = ? WHERE id = ? AND status = ?")
                    .execute(arguments: [Int64(channel.status.rawValue), Data(channel.recordBytes), id, Int64(expected.rawValue)])
                guard db.changesCount == 1 else {
                    throw AppendBatch.conflict("channel \(channel.channel) is no longer \(expected): another entry changed it first (a channel settles once)")
                }
            } else {
                try db.cachedStatement(sql: "INSERT INTO channels (id, status, record) VALUES (?, ?, ?)")
                    .execute(arguments: [id, Int64(channel.status.rawValue), Data(channel.recordBytes)])
            }
        case .datanet(let record):
            try db.cachedStatement(sql: "INSERT INTO datanets (id, record) VALUES (?, ?)")
                .execute(arguments: [Data(record.datanet.digest.bytes), Data(record.recordBytes)])
        case .contribution(let record, let expected):
            let id = Data(record.contribution.digest.bytes)
            if let expected {
                try db.cachedStatement(sql: "UPDATE contributions SET state = ?, record = ? WHERE id = ? AND state = ?")
                    .execute(arguments: [record.stateCode, Data(record.recordBytes), id, expected])
                guard db.changesCount == 1 else {
                    throw AppendBatch.conflict("contribution \(record.contribution) changed state before this entry: another entry got there first")
                }
            } else {
                try db.cachedStatement(sql: "INSERT INTO contributions (id, state, record) VALUES (?, ?, ?)")
                    .execute(arguments: [id, record.stateCode, Data(record.recordBytes)])
            }
        case .listing(let terms, let signed):
            try db.cachedStatement(sql: """
                INSERT INTO listings (model, sequence, owner, owner_bps, contributors_bps, treasury_bps, entry, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    Data(terms.model.digest.bytes), Int64(bitPattern: terms.listingSequence), Data(terms.owner.bytes), Int64(terms.split.ownerBps),
                    Int64(terms.split.contributorsBps), Int64(terms.split.treasuryBps), Int64(terms.entry), Data(signed.wireBytes),
                ])
            let sequences = try Int64.fetchAll(db, sql: "SELECT sequence FROM listings WHERE model = ?", arguments: [Data(terms.model.digest.bytes)])
            guard !sequences.contains(where: { UInt64(bitPattern: $0) > terms.listingSequence }) else { throw AppendBatch.conflict("model \(terms.model) already has a listing above sequence \(terms.listingSequence)") }
        }
    }

    /// Writes the summed balance changes and nonces; a balance below zero fails the CHECK and rolls everything back.
    func finish(_ db: Database) throws {
        let update = try db.cachedStatement(sql: "UPDATE balances SET balance = balance + ? WHERE account = ?")
        let insert = try db.cachedStatement(sql: "INSERT INTO balances (account, balance) VALUES (?, ?)")
        for (account, delta) in balanceDeltas where delta != 0 {
            let key = Data(account.bytes)
            try update.execute(arguments: [delta, key])
            if db.changesCount == 0 {
                try insert.execute(arguments: [key, delta])
            }
        }
        for (key, range) in nonces {
            let account = Data(key.bytes)
            let stored = try Int64.fetchOne(db, sql: "SELECT nonce FROM nonces WHERE account = ?", arguments: [account])
            if let stored {
                guard UInt64(bitPattern: stored) < range.low else {
                    throw AppendBatch.conflict("transfer nonce \(range.low) of \(AccountID(key)) is not above the stored nonce \(stored): a replay, or another writer got there first")
                }
                try db.cachedStatement(sql: "UPDATE nonces SET nonce = ? WHERE account = ?").execute(arguments: [Int64(bitPattern: range.high), account])
            } else {
                try db.cachedStatement(sql: "INSERT INTO nonces (account, nonce) VALUES (?, ?)").execute(arguments: [account, Int64(bitPattern: range.high)])
            }
        }
    }
}
