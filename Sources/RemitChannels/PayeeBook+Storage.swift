import Foundation
import GRDB
import RemitCore
import RemitCrypto

extension PayeeBook {
    /// Append-only: never edit a migration that has shipped; add a new one.
    static let migrations: [(String, @Sendable (Database) throws -> Void)] = [
        ("v1-payee-book", { db in
            try db.execute(sql: """
                CREATE TABLE channel (
                    id BLOB PRIMARY KEY NOT NULL,
                    open BLOB NOT NULL,
                    deposit INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    status INTEGER NOT NULL DEFAULT 0,
                    deadline INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE payment (
                    channel BLOB NOT NULL,
                    sequence INTEGER NOT NULL,
                    voucher BLOB,
                    request_digest BLOB NOT NULL,
                    price INTEGER NOT NULL,
                    receipt BLOB NOT NULL,
                    PRIMARY KEY (channel, sequence)
                ) WITHOUT ROWID;
                CREATE TABLE receipt_batch (
                    channel BLOB NOT NULL,
                    first_sequence INTEGER NOT NULL,
                    last_sequence INTEGER NOT NULL,
                    tick_index INTEGER NOT NULL,
                    tick_link BLOB NOT NULL,
                    total INTEGER NOT NULL,
                    header BLOB NOT NULL,
                    receipts BLOB NOT NULL,
                    PRIMARY KEY (channel, first_sequence)
                ) WITHOUT ROWID;
                """)
        }),
        // Payments get an ordinary rowid table with a unique (channel, sequence) index instead of
        // a table clustered on that key: each channel's payments sat in the middle of the tree, so
        // a full leaf there made SQLite rebalance three pages and their parent in the commit. New
        // rows now append at the tree's right edge and only the small index entries land in the
        // middle (WAL writes per paid query: 16 -> 10 in `remit bench channel`).
        ("v2-payment-rowid", { db in
            try ChannelDatabase.moveToRowidTable(db, table: "payment", columns: "channel, sequence, voucher, request_digest, price, receipt", create: """
                CREATE TABLE payment_rowid (
                    channel BLOB NOT NULL,
                    sequence INTEGER NOT NULL,
                    voucher BLOB,
                    request_digest BLOB NOT NULL,
                    price INTEGER NOT NULL,
                    receipt BLOB NOT NULL
                )
                """)
        }),
    ]

    /// Rebuilds every channel's state from disk.
    static func load(_ db: Database, ledger: LedgerID, payee: PublicKey) throws -> [ChannelID: PayeeChannel] {
        var channels: [ChannelID: PayeeChannel] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, open, deposit, expires_at, status, deadline FROM channel") {
            let open = try Signed<ChannelOpen>(wireBytes: (row["open"] as Data).byteArray)
            var state = try PayeeChannel(open: open, ledger: ledger, payee: payee)
            let id = open.message.channel
            let key = Data(id.digest.bytes)
            var newest: Signed<Voucher>?
            var charged: Int64 = 0
            var served: UInt64 = 0
            var requests: [Digest32] = []
            for payment in try Row.fetchAll(db, sql: "SELECT sequence, voucher, request_digest, price FROM payment WHERE channel = ? ORDER BY sequence", arguments: [key]) {
                if let bytes = payment["voucher"] as Data? { newest = try Signed<Voucher>(wireBytes: bytes.byteArray) }
                charged += payment["price"] as Int64
                served += 1
                requests.append(try Digest32(bytes: (payment["request_digest"] as Data).byteArray))
            }
            var tickIndex: UInt64 = 0
            var tickLink: Digest32?
            for batch in try Row.fetchAll(db, sql: "SELECT tick_index, tick_link, total, receipts FROM receipt_batch WHERE channel = ? ORDER BY first_sequence", arguments: [key]) {
                tickIndex = UInt64(batch["tick_index"] as Int64)
                tickLink = try Digest32(bytes: (batch["tick_link"] as Data).byteArray)
                charged += batch["total"] as Int64
                for receipt in try StoredReceipts.decode((batch["receipts"] as Data).byteArray) {
                    requests.append(receipt.requestDigest)
                    served += 1
                }
            }
            state.restore(
                deposit: try Amount(units: row["deposit"]), expiresAt: UInt64(row["expires_at"] as Int64),
                phase: ChannelPhase(storageCode: row["status"], deadline: UInt64(row["deadline"] as Int64)),
                voucher: newest, tickIndex: tickIndex, tickLink: tickLink, charged: Amount(uncheckedUnits: charged),
                served: served, paidRequests: requests
            )
            channels[id] = state
        }
        return channels
    }

    /// The stored receipt of a voucher payment, if `voucher` is exactly the voucher that paid it.
    func storedReceipt(channel: ChannelID, sequence: UInt64, voucher: Signed<Voucher>) throws(RemitError) -> Signed<Receipt> {
        let row: Row?
        do {
            row = try database.read { db in
                try Row.fetchOne(db, sql: "SELECT voucher, receipt FROM payment WHERE channel = ? AND sequence = ?",
                                 arguments: [Data(channel.digest.bytes), Int64(sequence)])
            }
        } catch {
            throw RemitError(.channelStorageFailed, "payee book read failed: \(error)")
        }
        guard let row, let stored = row["voucher"] as Data?, stored.byteArray == voucher.wireBytes else {
            throw RemitError(.channelSequenceNotAbove, "voucher \(sequence) on channel \(channel) is not the voucher that paid that sequence")
        }
        return try Signed<Receipt>(wireBytes: (row["receipt"] as Data).byteArray)
    }

    /// Every receipt of a channel (voucher payments and tick batches), ascending by sequence.
    func storedReceipts(channel: ChannelID) throws(RemitError) -> [Receipt] {
        do {
            let key = Data(channel.digest.bytes)
            return try database.read { db in
                var receipts: [Receipt] = []
                for row in try Row.fetchAll(db, sql: "SELECT receipt FROM payment WHERE channel = ? ORDER BY sequence", arguments: [key]) {
                    receipts.append(try Signed<Receipt>(wireBytes: (row["receipt"] as Data).byteArray).message)
                }
                for row in try Row.fetchAll(db, sql: "SELECT receipts FROM receipt_batch WHERE channel = ? ORDER BY first_sequence", arguments: [key]) {
                    receipts += try StoredReceipts.decode((row["receipts"] as Data).byteArray)
                }
                return receipts.sorted { $0.sequence < $1.sequence }
            }
        } catch let error as RemitError {
            throw error
        } catch {
            throw RemitError(.channelStorageFailed, "payee book read failed: \(error)")
        }
    }
}
