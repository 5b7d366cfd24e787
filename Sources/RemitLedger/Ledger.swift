import Foundation
public import RemitCore
public import RemitCrypto

/// A Remit ledger: the double-entry, hash-chained journal where channels settle and contributors
/// and model owners are paid. One `Ledger` value is a writer for its store; its writes are
/// serialised (in arrival order) and every one is checked against the ledger's state by
/// ``EntryBuilder`` before the store applies it atomically. Several `Ledger` values (in one
/// process or on several nodes) may write to one store: ``LedgerStore/write(_:_:)`` brings each
/// writer's state up to date before it builds.
///
/// ```swift
/// let store = try SQLiteLedgerStore(path: "remit.ledger")
/// let ledger = try await Ledger.create(store: store, operatorKey: operatorKey.publicKey, supply: try Amount(credits: 1_000_000_000))
/// try await ledger.transfer(Signed(signing: Transfer(ledger: ledger.id, from: op, to: alice, amount: a, nonce: 1), with: operatorKey))
/// ```
public actor Ledger {
    /// The ledger's genesis (id, operator key, supply).
    public nonisolated let genesis: LedgerGenesis
    /// Where the journal lives.
    public nonisolated let store: any LedgerStore
    /// The source of entry timestamps.
    public nonisolated let clock: any LedgerClock
    let builder: EntryBuilder
    /// The writer's copy of the state tables; replaced from the store after a conflict.
    var state: LedgerState
    private var writing = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(store: any LedgerStore, state: LedgerState, clock: any LedgerClock) {
        genesis = state.genesis
        self.store = store
        self.clock = clock
        builder = EntryBuilder(genesis: state.genesis)
        self.state = state
    }

    /// The ledger id.
    public nonisolated var id: LedgerID { genesis.ledger }

    /// Creates a ledger in an empty store: derives the id from the operator key, supply, time and a
    /// random nonce, and writes the genesis entry that mints `supply` to the operator's account (the treasury).
    public static func create(
        store: any LedgerStore, operatorKey: PublicKey, supply: Amount, clock: any LedgerClock = SystemClock(),
        nonce: Digest32 = SecureRandom.digest()
    ) async throws(RemitError) -> Ledger {
        guard supply > .zero else {
            throw RemitError(.messageInvalidField, "a ledger's supply must be above zero")
        }
        let genesis = LedgerGenesis(operatorKey: operatorKey, supply: supply, createdAt: clock.now(), nonce: nonce)
        let commit = EntryBuilder(genesis: genesis).genesisCommit()
        try await store.initialise(genesis, commit: commit)
        var state = LedgerState(genesis: genesis)
        state.apply(commit)
        return Ledger(store: store, state: state, clock: clock)
    }

    /// Opens the ledger a store holds.
    public static func open(store: any LedgerStore, clock: any LedgerClock = SystemClock()) async throws(RemitError) -> Ledger {
        Ledger(store: store, state: try await store.loadState(), clock: clock)
    }

    // MARK: - Writing

    func acquire() async {
        if writing {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            writing = true
        }
    }

    func release() {
        if waiters.isEmpty {
            writing = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` with no other write of this ledger in between.
    func exclusively<T: Sendable>(_ body: () async throws(RemitError) -> T) async throws(RemitError) -> T {
        await acquire()
        do throws(RemitError) {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }

    /// The time for an entry after `head`: the clock, but never before the last entry.
    static func timestamp(_ clock: any LedgerClock, after head: ChainHead) -> UInt64 { max(clock.now(), head.timestamp) }

    /// Runs one write through the store (see ``LedgerStore/write(_:_:)``) with no other write of
    /// this ledger in between. While the store works the writer's state tables are lent to it
    /// (moved, not copied); ``head()`` keeps answering the last head meanwhile.
    func write<Output: Sendable>(_ build: @Sendable (LedgerState) throws(RemitError) -> LedgerWrite<Output>) async throws(RemitError) -> Output {
        try await exclusively { () async throws(RemitError) -> Output in
            var working = state
            state = LedgerState(genesis: genesis, head: working.head)
            defer { state = working }
            return try await store.write(&working, build)
        }
    }

    /// Applies one operation: authenticates it, builds its entry against the current state and
    /// appends it. Throws a coded refusal and changes nothing when any rule fails.
    @discardableResult
    public func apply(_ operation: LedgerOperation) async throws(RemitError) -> AppliedEntry {
        try operation.authenticate(ledger: genesis.ledger)
        let builder = self.builder
        let clock = self.clock
        return try await write { (state) throws(RemitError) -> LedgerWrite<AppliedEntry> in
            let commit = try builder.build(operation, state: state, timestamp: Ledger.timestamp(clock, after: state.head))
            return LedgerWrite(commits: [commit], output: AppliedEntry(commit))
        }
    }

    /// Applies many operations in one store transaction: signatures are checked in parallel, then
    /// each operation is built in order against the state left by the ones before it. An operation
    /// that is refused is skipped (its result holds the error); the others commit together or not at all.
    public func submit(_ operations: [LedgerOperation]) async throws(RemitError) -> [Result<AppliedEntry, RemitError>] {
        try await submit(operations, refusals: await Ledger.authenticate(operations, ledger: genesis.ledger))
    }

    /// ``submit(_:)`` with the stateless checks already done (`refusals[i]` nil when operation `i`
    /// passed them). Package-only: benchmarks use it to time the engine without Ed25519.
    package func submit(_ operations: [LedgerOperation], refusals: [RemitError?]) async throws(RemitError) -> [Result<AppliedEntry, RemitError>] {
        precondition(refusals.count == operations.count, "one refusal slot per operation")
        let builder = self.builder
        let clock = self.clock
        return try await write { (state) throws(RemitError) -> LedgerWrite<[Result<AppliedEntry, RemitError>]> in
            var working = state
            var commits: [EntryCommit] = []
            commits.reserveCapacity(operations.count)
            var results: [Result<AppliedEntry, RemitError>] = []
            results.reserveCapacity(operations.count)
            let timestamp = Ledger.timestamp(clock, after: state.head)
            for (index, operation) in operations.enumerated() {
                if let refusal = refusals[index] {
                    results.append(.failure(refusal))
                    continue
                }
                do throws(RemitError) {
                    let commit = try builder.build(operation, state: working, timestamp: timestamp)
                    working.apply(commit)
                    commits.append(commit)
                    results.append(.success(AppliedEntry(commit)))
                } catch {
                    results.append(.failure(error))
                }
            }
            return LedgerWrite(commits: commits, output: results, after: working)
        }
    }

    /// Authenticates operations on all cores; nil where an operation passes.
    static func authenticate(_ operations: [LedgerOperation], ledger: LedgerID) async -> [RemitError?] {
        func check(_ slice: ArraySlice<LedgerOperation>) -> [RemitError?] {
            slice.map { (operation) -> RemitError? in
                do throws(RemitError) {
                    try operation.authenticate(ledger: ledger)
                    return nil
                } catch {
                    return error
                }
            }
        }
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        guard operations.count >= 64, workers > 1 else { return check(operations[...]) }
        let chunk = (operations.count + workers - 1) / workers
        return await withTaskGroup(of: (Int, [RemitError?]).self) { group in
            for start in stride(from: 0, to: operations.count, by: chunk) {
                let slice = operations[start..<min(start + chunk, operations.count)]
                group.addTask { (start, check(slice)) }
            }
            var out = [RemitError?](repeating: nil, count: operations.count)
            for await (start, part) in group {
                out.replaceSubrange(start..<(start + part.count), with: part)
            }
            return out
        }
    }
}
