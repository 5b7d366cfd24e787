import PostgresNIO
import RemitCore
import RemitCrypto
import RemitLedger

extension PostgresAppend {
    typealias Exec = (String, (inout PostgresBindings) -> Void) async throws -> [PostgresRow]

    /// Folds one channel or contribution update into the run: a row the run already touched must
    /// be in the state the update expects (the builder chained them; this is a cheap re-check).
    static func fold<ID: Hashable & CustomStringConvertible, Record>(
        _ rows: inout [ID: Folded<Record>], _ id: ID, record: Record, state: Int, expected: Int?, entry: UInt64, what: String
    ) throws {
        guard var row = rows[id] else {
            rows[id] = Folded(expected: expected, record: record, state: state, entry: entry)
            return
        }
        guard let expected, expected == row.state else {
            throw conflict("\(what) \(id) changes twice in one run from state \(row.state), but the second change expects \(expected.map(String.init) ?? "a new row")")
        }
        row.record = record
        row.state = state
        row.entry = entry
        rows[id] = row
    }

    /// Inserts the rows the run creates (refusing ids that exist) and updates the others only where
    /// the stored state is the expected one: a channel settles once, a bond is released once.
    func writeFolded<ID: Hashable & CustomStringConvertible, Record>(
        _ rows: [ID: Folded<Record>], table: String, stateColumn: String, stateType: String, bytes: KeyPath<Record, [UInt8]>,
        id idBytes: (ID) -> [UInt8], _ exec: Exec
    ) async throws {
        let inserts = rows.filter { $0.value.expected == nil }
        let updates = rows.filter { $0.value.expected != nil }
        if !inserts.isEmpty {
            let ids = inserts.keys.map { PostgresLedgerStore.buffer(idBytes($0)) }
            let inserted = try await exec("""
                INSERT INTO \(table) (id, \(stateColumn), record, entry) SELECT * FROM unnest($1::bytea[], $2::\(stateType)[], $3::bytea[], $4::int8[])
                ON CONFLICT (id) DO NOTHING RETURNING id
                """) { binds in
                binds.append(ids)
                PostgresAppend.appendStates(inserts.values.map(\.state), type: stateType, to: &binds)
                binds.append(inserts.values.map { PostgresLedgerStore.buffer($0.record[keyPath: bytes]) })
                binds.append(inserts.values.map { Int64($0.entry) })
            }
            guard inserted.count == inserts.count else {
                throw PostgresAppend.conflict("\(inserts.count - inserted.count) of the \(table) this run creates already exist: another writer got there first")
            }
        }
        if !updates.isEmpty {
            let ids = updates.keys.map { PostgresLedgerStore.buffer(idBytes($0)) }
            let updated = try await exec("""
                UPDATE \(table) AS t SET \(stateColumn) = u.state, record = u.record, entry = u.entry
                FROM unnest($1::bytea[], $2::\(stateType)[], $3::bytea[], $4::int8[], $5::\(stateType)[]) AS u(id, state, record, entry, expected)
                WHERE t.id = u.id AND t.\(stateColumn) = u.expected RETURNING t.id
                """) { binds in
                binds.append(ids)
                PostgresAppend.appendStates(updates.values.map(\.state), type: stateType, to: &binds)
                binds.append(updates.values.map { PostgresLedgerStore.buffer($0.record[keyPath: bytes]) })
                binds.append(updates.values.map { Int64($0.entry) })
                PostgresAppend.appendStates(updates.values.map { $0.expected ?? 0 }, type: stateType, to: &binds)
            }
            guard updated.count == updates.count else {
                let changed = Set(updated.map { PostgresLedgerStore.bytes((try? $0.decode(ByteBuffer.self)) ?? ByteBuffer()) })
                let stale = updates.keys.first { !changed.contains(idBytes($0)) }.map(\.description) ?? "?"
                throw PostgresAppend.conflict("\(table.dropLast()) \(stale) is no longer in the state this entry expects: another entry changed it first (a channel settles once)")
            }
        }
    }

    private static func appendStates(_ states: [Int], type: String, to binds: inout PostgresBindings) {
        if type == "int2" { binds.append(states.map { Int16($0) }) } else { binds.append(states.map { Int32($0) }) }
    }

    /// Nonces must rise: the run's lowest nonce per sender must be above the stored one (compared unsigned).
    func writeNonces(_ nonces: [PublicKey: (low: UInt64, high: UInt64, entry: UInt64)], _ exec: Exec) async throws {
        guard !nonces.isEmpty else { return }
        let keys = Array(nonces.keys)
        let stored = try await exec("SELECT account, nonce FROM nonces WHERE account = ANY($1::bytea[])") { binds in
            binds.append(keys.map { PostgresLedgerStore.buffer($0.bytes) })
        }
        for row in stored {
            let (account, nonce) = try row.decode((ByteBuffer, Int64).self)
            let key = try PublicKey(bytes: PostgresLedgerStore.bytes(account))
            guard let range = nonces[key], UInt64(bitPattern: nonce) < range.low else {
                throw PostgresAppend.conflict("transfer nonce \(nonces[key]?.low ?? 0) of \(AccountID(key)) is not above the stored nonce \(UInt64(bitPattern: nonce)): a replay, or another writer got there first")
            }
        }
        _ = try await exec("""
            INSERT INTO nonces (account, nonce, entry) SELECT * FROM unnest($1::bytea[], $2::int8[], $3::int8[])
            ON CONFLICT (account) DO UPDATE SET nonce = excluded.nonce, entry = excluded.entry
            """) { binds in
            binds.append(keys.map { PostgresLedgerStore.buffer($0.bytes) })
            binds.append(keys.map { Int64(bitPattern: nonces[$0]!.high) })
            binds.append(keys.map { Int64(nonces[$0]!.entry) })
        }
    }

    /// Listing versions are kept forever and must rise per model.
    func writeListings(_ listings: [(ListingTerms, Signed<Listing>)], _ exec: Exec) async throws {
        guard !listings.isEmpty else { return }
        let models = Array(Set(listings.map(\.0.model)))
        let stored = try await exec("SELECT model, sequence FROM listings WHERE model = ANY($1::bytea[])") { binds in
            binds.append(models.map { PostgresLedgerStore.buffer($0.digest.bytes) })
        }
        var highest: [ModelID: UInt64] = [:]
        for row in stored {
            let (model, sequence) = try row.decode((ByteBuffer, Int64).self)
            let id = ModelID(try Digest32(bytes: PostgresLedgerStore.bytes(model)))
            highest[id] = max(highest[id] ?? 0, UInt64(bitPattern: sequence))
        }
        for (terms, _) in listings where (highest[terms.model] ?? 0) >= terms.listingSequence {
            throw PostgresAppend.conflict("model \(terms.model) already has listing sequence \(highest[terms.model] ?? 0), not below \(terms.listingSequence)")
        }
        let inserted = try await exec("""
            INSERT INTO listings (model, sequence, owner, owner_bps, contributors_bps, treasury_bps, entry, body)
            SELECT * FROM unnest($1::bytea[], $2::int8[], $3::bytea[], $4::int4[], $5::int4[], $6::int4[], $7::int8[], $8::bytea[])
            ON CONFLICT (model, sequence) DO NOTHING RETURNING model
            """) { binds in
            binds.append(listings.map { PostgresLedgerStore.buffer($0.0.model.digest.bytes) })
            binds.append(listings.map { Int64(bitPattern: $0.0.listingSequence) })
            binds.append(listings.map { PostgresLedgerStore.buffer($0.0.owner.bytes) })
            binds.append(listings.map { Int32($0.0.split.ownerBps) })
            binds.append(listings.map { Int32($0.0.split.contributorsBps) })
            binds.append(listings.map { Int32($0.0.split.treasuryBps) })
            binds.append(listings.map { Int64($0.0.entry) })
            binds.append(listings.map { PostgresLedgerStore.buffer($0.1.wireBytes) })
        }
        guard inserted.count == listings.count else { throw PostgresAppend.conflict("a listing version this run registers exists already") }
    }
}
