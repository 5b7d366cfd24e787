import Foundation
import GRDB
import RemitCore
import RemitCrypto

extension PayerBook {
    /// Append-only: never edit a migration that has shipped; add a new one.
    static let migrations: [(String, @Sendable (Database) throws -> Void)] = [
        ("v1-payer-book", { db in
            try db.execute(sql: """
                CREATE TABLE channel (
                    id BLOB PRIMARY KEY NOT NULL,
                    open BLOB NOT NULL,
                    chain_seed BLOB,
                    deposit INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    status INTEGER NOT NULL DEFAULT 0,
                    deadline INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE payment (
                    channel BLOB NOT NULL,
                    sequence INTEGER NOT NULL,
                    scheme INTEGER NOT NULL,
                    cumulative INTEGER NOT NULL,
                    request_digest BLOB NOT NULL,
                    max_price INTEGER NOT NULL,
                    message BLOB NOT NULL,
                    receipt BLOB,
                    batch BLOB,
                    price INTEGER,
                    state INTEGER NOT NULL,
                    PRIMARY KEY (channel, sequence)
                ) WITHOUT ROWID;
                CREATE TABLE tick_run (
                    channel BLOB NOT NULL,
                    first_index INTEGER NOT NULL,
                    last_index INTEGER NOT NULL,
                    last_tick BLOB NOT NULL,
                    requests BLOB NOT NULL,
                    batch BLOB,
                    receipts BLOB,
                    adjustment INTEGER NOT NULL DEFAULT 0,
                    state INTEGER NOT NULL,
                    PRIMARY KEY (channel, first_index)
                ) WITHOUT ROWID;
                """)
        }),
        // The receipts of a tick run get a row of their own: recording them as an UPDATE of the
        // run's row made SQLite rewrite the run's requests (48 bytes a tick) along with them.
        // A run is answered when it has a row here, or (rows written before) tick_run.state = 1.
        ("v2-tick-run-receipts", { db in
            try db.execute(sql: """
                CREATE TABLE tick_run_receipts (
                    channel BLOB NOT NULL,
                    first_index INTEGER NOT NULL,
                    batch BLOB NOT NULL,
                    receipts BLOB NOT NULL,
                    adjustment INTEGER NOT NULL,
                    PRIMARY KEY (channel, first_index)
                ) WITHOUT ROWID;
                """)
        }),
        // Payments in an ordinary rowid table with a unique (channel, sequence) index, as in the
        // payee book (v2-payment-rowid there): new rows append at the right edge of the tree.
        ("v3-payment-rowid", { db in
            try ChannelDatabase.moveToRowidTable(
                db, table: "payment",
                columns: "channel, sequence, scheme, cumulative, request_digest, max_price, message, receipt, batch, price, state",
                create: """
                    CREATE TABLE payment_rowid (
                        channel BLOB NOT NULL,
                        sequence INTEGER NOT NULL,
                        scheme INTEGER NOT NULL,
                        cumulative INTEGER NOT NULL,
                        request_digest BLOB NOT NULL,
                        max_price INTEGER NOT NULL,
                        message BLOB NOT NULL,
                        receipt BLOB,
                        batch BLOB,
                        price INTEGER,
                        state INTEGER NOT NULL
                    )
                    """
            )
        }),
    ]

    /// The table of answered tick runs' receipts, or nil in a book written before it existed
    /// (``inspect(path:)`` reads books without migrating them).
    static func receiptsTable(_ db: Database) throws -> String? {
        try db.tableExists("tick_run_receipts") ? "tick_run_receipts" : nil
    }

    struct Loaded {
        var channels: [ChannelID: PayerChannel] = [:]
        var seeds: [ChannelID: Digest32] = [:]
        var inFlight: [ChannelID: PaymentMessage] = [:]
        var tickRuns: [ChannelID: [TickRunRecord]] = [:]
    }

    /// Rebuilds every channel's state from disk: the last sequence and cumulative amount signed,
    /// the last tick revealed, what receipts charged, and the payment still in flight.
    static func load(_ db: Database) throws -> Loaded {
        var loaded = Loaded()
        for row in try Row.fetchAll(db, sql: "SELECT id, open, chain_seed, deposit, expires_at, status, deadline FROM channel") {
            let open = try Signed<ChannelOpen>(wireBytes: (row["open"] as Data).byteArray)
            let id = open.message.channel
            if let seed = row["chain_seed"] as Data? { loaded.seeds[id] = try Digest32(bytes: seed.byteArray) }
            var state = PayerChannel(open: open)
            var sequence: UInt64 = 0
            var cumulative: Int64 = 0
            var tickIndex: UInt64 = 0
            var charged: Int64 = 0
            var pending: PayerChannel.Pending?
            for payment in try Row.fetchAll(
                db, sql: "SELECT sequence, scheme, cumulative, request_digest, max_price, message, price, state FROM payment WHERE channel = ? ORDER BY sequence",
                arguments: [Data(id.digest.bytes)]
            ) {
                let seq = UInt64(payment["sequence"] as Int64)
                let isVoucher = (payment["scheme"] as Int) == 0
                if isVoucher {
                    sequence = max(sequence, seq)
                    cumulative = max(cumulative, payment["cumulative"] as Int64)
                } else {
                    tickIndex = max(tickIndex, seq)
                }
                if let price = payment["price"] as Int64? { charged += price }
                if (payment["state"] as Int) == 0 {
                    let digest = try Digest32(bytes: (payment["request_digest"] as Data).byteArray)
                    pending = PayerChannel.Pending(
                        sequence: seq, requestDigest: digest, maxPrice: try Amount(units: payment["max_price"]),
                        scheme: isVoucher ? .voucher : .tick
                    )
                    let bytes = (payment["message"] as Data).byteArray
                    loaded.inFlight[id] = isVoucher ? .voucher(try Signed<Voucher>(wireBytes: bytes)) : .tick(try Tick(canonicalBytes: bytes))
                }
            }
            let answered = try receiptsTable(db).map { table in
                "SELECT t.first_index, t.last_index, t.requests, t.adjustment + COALESCE(r.adjustment, 0) AS adjustment, "
                    + "CASE WHEN r.first_index IS NULL THEN t.state ELSE 1 END AS state "
                    + "FROM tick_run t LEFT JOIN \(table) r ON r.channel = t.channel AND r.first_index = t.first_index "
                    + "WHERE t.channel = ? ORDER BY t.first_index"
            } ?? "SELECT first_index, last_index, requests, adjustment, state FROM tick_run WHERE channel = ? ORDER BY first_index"
            for run in try Row.fetchAll(db, sql: answered, arguments: [Data(id.digest.bytes)]) {
                tickIndex = max(tickIndex, UInt64(run["last_index"] as Int64))
                var record = TickRunRecord(firstIndex: UInt64(run["first_index"] as Int64), lastIndex: UInt64(run["last_index"] as Int64))
                var reader = CanonicalReader((run["requests"] as Data).byteArray)
                while reader.remaining >= 48 {
                    let index = try reader.readUInt64("index")
                    let digest = try reader.readDigest("requestDigest")
                    let maxPrice = try reader.readAmount("maxPrice")
                    record.append(index: index, digest: digest, maxPrice: maxPrice)
                    charged += maxPrice.units
                }
                charged += run["adjustment"] as Int64
                if (run["state"] as Int) == 0 { loaded.tickRuns[id, default: []].append(record) }
            }
            state.restore(
                deposit: try Amount(units: row["deposit"]), expiresAt: UInt64(row["expires_at"] as Int64),
                phase: ChannelPhase(storageCode: row["status"], deadline: UInt64(row["deadline"] as Int64)),
                sequence: sequence, cumulative: Amount(uncheckedUnits: cumulative), tickIndex: tickIndex,
                charged: Amount(uncheckedUnits: charged), pending: pending
            )
            loaded.channels[id] = state
        }
        return loaded
    }
}
