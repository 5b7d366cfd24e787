import RemitCore
import RemitCrypto

/// Replays a journal from genesis and checks everything anyone could doubt: each entry's hash
/// chain link, that it decodes and names this ledger, that its time never goes back, every
/// signature it carries, that rebuilding it from its messages (and stored receipts) against the
/// replayed state gives exactly its bytes (so its postings, split and state changes follow the
/// rules), that the postings and earnings tables agree with it, that the supply never changes,
/// that the state tables equal the replayed state, and every checkpoint.
public struct LedgerVerifier: Sendable {
    /// The store checked.
    public let store: any LedgerStore
    /// Entries read per page.
    public var pageSize = 2_048

    /// Creates a verifier for `store`.
    public init(store: any LedgerStore) { self.store = store }

    /// Runs every check; stops at the first failure.
    public func run() async -> VerificationReport {
        let genesis: LedgerGenesis
        do throws(RemitError) {
            guard let found = try await store.genesis() else {
                return VerificationReport(failure: RemitError(.ledgerNotInitialised, "the store holds no ledger"))
            }
            genesis = found
        } catch {
            return VerificationReport(failure: error)
        }
        var replay = Replay(genesis: genesis)
        do throws(RemitError) {
            try await replayEntries(&replay)
        } catch {
            return VerificationReport(failure: error, ledger: genesis.ledger, entries: replay.good, badEntry: replay.current)
        }
        do throws(RemitError) {
            try await compareState(replay.state)
            let checkpoints = try await checkCheckpoints(replay)
            return VerificationReport(ledger: genesis.ledger, entries: replay.good, checkpoints: checkpoints,
                                      supply: try Amount(units: replay.total), head: replay.state.head.hash)
        } catch {
            return VerificationReport(failure: error, ledger: genesis.ledger, entries: replay.good)
        }
    }

    /// The replayed state and what was checked so far.
    struct Replay {
        var state: LedgerState
        let builder: EntryBuilder
        var total: Int64 = 0
        var good: UInt64 = 0
        var current: UInt64?
        var hashes: [Digest32] = []

        init(genesis: LedgerGenesis) {
            state = LedgerState(genesis: genesis)
            builder = EntryBuilder(genesis: genesis)
        }
    }

    private func bad(_ sequence: UInt64, _ message: String) -> RemitError {
        RemitError(.ledgerVerificationFailed, "entry \(sequence): \(message)")
    }

    private func replayEntries(_ replay: inout Replay) async throws(RemitError) {
        var next: UInt64 = 1
        while true {
            let page = try await store.entries(from: next, limit: pageSize)
            guard let last = page.last else { break }
            let postings = try await store.postings(entries: page[0].sequence...last.sequence)
            for stored in page {
                replay.current = replay.state.head.sequence + 1
                try await check(stored, tablePostings: postings[stored.sequence] ?? [], &replay)
                replay.good += 1
            }
            next = last.sequence + 1
        }
        replay.current = nil
        guard replay.good > 0 else { throw RemitError(.ledgerVerificationFailed, "the journal holds no genesis entry") }
        guard replay.total == replay.state.genesis.supply.units else {
            throw RemitError(.ledgerSupplyBroken, "balances sum to \(replay.total) units after replay; the supply is \(replay.state.genesis.supply.units)")
        }
    }

    private func check(_ stored: StoredEntry, tablePostings: [Posting], _ replay: inout Replay) async throws(RemitError) {
        // Read the replayed state through `replay` (no local copy): a second reference would make
        // the apply below copy every table (copy-on-write) for every entry.
        let expected = replay.state.head.sequence + 1
        let head = replay.state.head
        let genesis = replay.state.genesis
        guard stored.sequence == expected else {
            throw bad(expected, "missing: the journal jumps from entry \(head.sequence) to \(stored.sequence)")
        }
        let computed = LedgerEntry.hash(previous: head.hash, canonicalBytes: stored.body)
        guard computed == stored.hash else {
            throw bad(expected, "its bytes hash to \(computed) on the previous hash, but the stored hash is \(stored.hash): the entry or the chain was altered")
        }
        let entry: LedgerEntry
        do throws(RemitError) {
            entry = try LedgerEntry(canonicalBytes: stored.body)
        } catch {
            throw bad(expected, "does not decode: \(error.message)")
        }
        guard entry.ledger == genesis.ledger, entry.sequence == stored.sequence, entry.timestamp == stored.timestamp,
              entry.kind.rawValue == stored.kind else {
            throw bad(expected, "its columns (sequence \(stored.sequence), time \(stored.timestamp), kind \(stored.kind)) disagree with its bytes (ledger \(entry.ledger), sequence \(entry.sequence), time \(entry.timestamp), kind \(entry.kind.rawValue))")
        }
        guard expected == 1 || entry.timestamp >= head.timestamp else {
            throw bad(expected, "time \(entry.timestamp) is before the previous entry's \(head.timestamp)")
        }
        let commit: EntryCommit
        if case .genesis(let recorded) = entry.payload {
            guard expected == 1, recorded == genesis else { throw bad(expected, "a genesis entry may only be entry 1 and must match the ledger's genesis") }
            commit = replay.builder.genesisCommit()
        } else {
            guard expected > 1 else { throw bad(1, "entry 1 must be the genesis entry") }
            let operation = try await self.operation(for: entry)
            do throws(RemitError) {
                try operation.authenticate(ledger: genesis.ledger)
                commit = try replay.builder.build(operation, state: replay.state, timestamp: entry.timestamp)
            } catch {
                throw bad(expected, "its \(entry.kind) is refused on replay: \(error.message) [\(error.code)]")
            }
        }
        guard commit.bytes == stored.body else {
            throw bad(expected, "its postings or settlement are not what its messages produce on replay (the \(entry.kind) entry was altered)")
        }
        guard tablePostings.sorted(by: { $0.account < $1.account }) == entry.postings else {
            throw bad(expected, "the postings table disagrees with the entry (\(tablePostings.count) rows, \(entry.postings.count) postings in the entry)")
        }
        if !commit.earnings.isEmpty || entry.kind == .channelSettle || entry.kind == .channelFinalize {
            let rows = try await store.earnings(entry: expected).sorted(by: Settlement.earningOrder)
            guard rows == commit.earnings else {
                throw bad(expected, "the earnings table disagrees with the settlement's split")
            }
        }
        replay.total += try Posting.sum(entry.postings)
        guard replay.total == genesis.supply.units else {
            throw RemitError(.ledgerSupplyBroken, "entry \(expected): balances sum to \(replay.total) units; the supply is \(genesis.supply.units)")
        }
        replay.state.apply(commit)
        replay.hashes.append(commit.hash)
    }

    /// The operation an entry records, with a claim's receipts read from the store.
    private func operation(for entry: LedgerEntry) async throws(RemitError) -> LedgerOperation {
        switch entry.payload {
        case .genesis: throw bad(entry.sequence, "a second genesis")
        case .transfer(let s): return .transfer(s)
        case .channelOpen(let s): return .openChannel(s)
        case .channelTopUp(let s): return .topUp(s)
        case .channelSettle(let bundle), .channelDispute(let bundle):
            var receipts: [Receipt] = []
            for bytes in try await store.receipts(entry: entry.sequence) {
                do throws(RemitError) {
                    receipts.append(try Receipt(canonicalBytes: bytes))
                } catch {
                    throw bad(entry.sequence, "a stored receipt does not decode: \(error.message)")
                }
            }
            return .claim(bundle.claim, voucher: bundle.voucher, receipts: receipts)
        case .channelCloseStart(let s), .channelReclaim(let s): return .close(s)
        case .channelFinalize(let channel, _): return .finalize(channel)
        case .datanetCreate(let s): return .createDatanet(s)
        case .contributionRegister(let s): return .registerContribution(s)
        case .bondRelease(let contribution): return .releaseBond(contribution)
        case .contributionRemoval(let s): return .removeContribution(s)
        case .listingRegister(let s): return .registerListing(s)
        }
    }

    /// The store's state tables must equal the replayed state.
    private func compareState(_ replayed: LedgerState) async throws(RemitError) {
        let stored = try await store.loadState()
        func fail(_ what: String) -> RemitError { RemitError(.ledgerVerificationFailed, "the \(what) disagrees with the replayed journal") }
        guard stored.head == replayed.head else { throw fail("journal head") }
        let keys = Set(stored.balances.keys).union(replayed.balances.keys)
        for account in keys.sorted() where stored.balance(of: account) != replayed.balance(of: account) {
            throw RemitError(.ledgerVerificationFailed, "balances table: \(account) holds \(stored.balance(of: account)) units, but replay gives \(replayed.balance(of: account))")
        }
        guard stored.nonces == replayed.nonces else { throw fail("nonces table") }
        for (id, channel) in replayed.channels where stored.channels[id] != channel {
            throw RemitError(.ledgerVerificationFailed, "channels table: channel \(id) disagrees with the replayed journal")
        }
        guard stored.channels.count == replayed.channels.count else { throw fail("channels table") }
        guard stored.datanets == replayed.datanets else { throw fail("datanets table") }
        guard stored.contributions == replayed.contributions else { throw fail("contributions table") }
        guard stored.listings == replayed.listings else { throw fail("listings table") }
    }

    /// Every checkpoint: operator signature, contiguous ranges, chain head, Merkle root, link to the previous one, supply.
    private func checkCheckpoints(_ replay: Replay) async throws(RemitError) -> Int {
        let genesis = replay.state.genesis
        var previousDigest = Digest32.zero
        var previousLast: UInt64 = 0
        let checkpoints = try await store.checkpoints()
        for (index, signed) in checkpoints.enumerated() {
            let cp = signed.message
            func fail(_ message: String) -> RemitError { RemitError(.ledgerVerificationFailed, "checkpoint \(cp.sequence): \(message)") }
            do throws(RemitError) {
                try signed.verify(ledger: genesis.ledger, signer: genesis.operatorKey)
            } catch {
                throw fail("\(error.message) [\(error.code)]")
            }
            guard cp.sequence == UInt64(index + 1), cp.firstEntry == previousLast + 1, cp.lastEntry <= UInt64(replay.hashes.count) else {
                throw fail("covers entries \(cp.firstEntry)...\(cp.lastEntry); expected checkpoint \(index + 1) from entry \(previousLast + 1) within the \(replay.hashes.count) entries")
            }
            guard cp.previous == previousDigest else { throw fail("does not link to the previous checkpoint") }
            let hashes = Array(replay.hashes[Int(cp.firstEntry - 1)..<Int(cp.lastEntry)])
            guard cp.chainHead == hashes.last, cp.merkleRoot == MerkleTree.root(of: hashes) else {
                throw fail("its chain head or Merkle root is not that of entries \(cp.firstEntry)...\(cp.lastEntry)")
            }
            guard cp.supply == genesis.supply else { throw fail("states supply \(cp.supply), not \(genesis.supply)") }
            previousDigest = signed.message.digest
            previousLast = cp.lastEntry
        }
        return checkpoints.count
    }
}
