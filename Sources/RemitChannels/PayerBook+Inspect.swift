import Foundation
import GRDB
public import RemitCore
import RemitCrypto

extension PayerBook {
    /// What a payer book holds, read without its key (for `remit wallet`).
    public struct Contents: Sendable {
        /// Every channel's state.
        public var channels: [PayerChannel]
        /// Every accepted receipt with the channel it was paid on, oldest first per channel.
        public var receipts: [PaidReceipt]
    }

    /// Reads the book at `path` read-only.
    public static func inspect(path: String) throws(RemitError) -> Contents {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RemitError(.channelUnknown, "no payer book at \(path)")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let database = try DatabaseQueue(path: path, configuration: configuration)
            return try database.read { db in
                let loaded = try PayerBook.load(db)
                var receipts: [PaidReceipt] = []
                for row in try Row.fetchAll(db, sql: "SELECT scheme, receipt FROM payment WHERE state = 1 ORDER BY channel, sequence") {
                    let bytes = (row["receipt"] as Data).byteArray
                    if (row["scheme"] as Int) == 0 {
                        let signed = try Signed<Receipt>(wireBytes: bytes)
                        receipts.append(PaidReceipt(receipt: signed.message, signature: signed.signature))
                    } else {
                        receipts.append(PaidReceipt(receipt: try Receipt(canonicalBytes: bytes), signature: nil))
                    }
                }
                let runs = try receiptsTable(db).map { table in
                    "SELECT channel, first_index, receipts FROM tick_run WHERE state = 1 UNION ALL "
                        + "SELECT channel, first_index, receipts FROM \(table) ORDER BY channel, first_index"
                } ?? "SELECT receipts FROM tick_run WHERE state = 1 ORDER BY channel, first_index"
                for row in try Row.fetchAll(db, sql: runs) {
                    for receipt in try StoredReceipts.decode((row["receipts"] as Data).byteArray) {
                        receipts.append(PaidReceipt(receipt: receipt, signature: nil))
                    }
                }
                return Contents(channels: Array(loaded.channels.values).sorted { $0.terms.nonce < $1.terms.nonce }, receipts: receipts)
            }
        } catch let error as RemitError {
            throw error
        } catch {
            throw RemitError(.channelStorageFailed, "cannot read the payer book \(path): \(error)")
        }
    }
}
