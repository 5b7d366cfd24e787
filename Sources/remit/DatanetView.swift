import Foundation
import RemitCore
import RemitCrypto
import RemitInference

/// Text and JSON views of datanets for the CLI.
enum DatanetView {
    struct Summary: Encodable {
        var folder: String
        var name: String
        var datanet: String
        var curator: String
        var ledger: String
        var bondCredits: String
        var holdingPeriodSeconds: UInt64
        var version: String
        var live: Int
        var removed: Int
        var contributors: Int
        var recordedVersions: Int
        var ledgerMessages: Int
        var logSealed: Bool
        var schema: RowSchema?
    }

    static func show(_ datanet: Datanet, json: Bool) async throws {
        let records = await datanet.contributions()
        let live = records.filter(\.isLive)
        let m = datanet.registration.message
        let summary = Summary(
            folder: datanet.folder, name: m.name, datanet: m.datanet.hex, curator: AccountID(m.curator).description, ledger: m.ledger.hex,
            bondCredits: m.bond.formatted, holdingPeriodSeconds: m.holdingPeriod, version: await datanet.currentVersion().hex,
            live: live.count, removed: records.count - live.count, contributors: Set(live.map(\.contribution.message.contributor)).count,
            recordedVersions: await datanet.versions().count, ledgerMessages: await datanet.ledgerMessageCount(), logSealed: datanet.openedFromSeal,
            schema: await datanet.schema()
        )
        if json { return CLI.printJSON(summary) }
        print("""
            datanet      \(summary.name)  (\(summary.datanet))
            folder       \(summary.folder)
            curator      \(summary.curator)
            ledger       \(summary.ledger)\(m.ledger == DatanetKeys.localLedger ? " (local)" : "")
            bond         \(summary.bondCredits) credits per contribution, held \(summary.holdingPeriodSeconds) s
            version      \(summary.version)
            contributions \(summary.live) live, \(summary.removed) removed, from \(summary.contributors) contributors
            versions     \(summary.recordedVersions) recorded
            ledger       \(summary.ledgerMessages) signed messages to register (datanet.json, then log.jsonl in order)
            log          \(summary.logSealed ? "matches its seal: signatures checked when written (remit datanet verify checks them again)" : "does not match its seal: every signature checked on opening (remit datanet verify seals it)")
            """)
        if let schema = summary.schema { print("columns      \(schema.features.joined(separator: ", ")) -> \(schema.target)") }
    }

    struct Row: Encodable {
        var contribution: String
        var contributor: String
        var label: String
        var kind: ContributionKind
        var size: UInt64
        var createdAt: UInt64
        var status: String
        var bond: String
    }

    static func list(_ datanet: Datanet, all: Bool, limit: Int?, json: Bool) async throws {
        let m = datanet.registration.message
        let now = UInt64(Date().timeIntervalSince1970)
        var rows: [Row] = []
        for record in await datanet.contributions() where all || record.isLive {
            let c = record.contribution.message
            let status = record.removal.map { "removed (\($0.message.reason.name))" } ?? "live"
            rows.append(Row(contribution: c.contribution.hex, contributor: AccountID(c.contributor).description, label: c.label, kind: c.kind,
                            size: c.size, createdAt: c.createdAt, status: status,
                            bond: record.bondState(bond: m.bond, holdingPeriod: m.holdingPeriod, now: now).description))
        }
        if let limit { rows = Array(rows.prefix(limit)) }
        if json { return CLI.printJSON(rows) }
        for row in rows {
            print("\(row.contribution.prefix(16))  \(row.status.padding(toLength: 18, withPad: " ", startingAt: 0))  \(row.size) B  \(row.label.prefix(40))  [\(row.bond)]")
        }
        print("\(rows.count) contribution(s)")
    }
}
