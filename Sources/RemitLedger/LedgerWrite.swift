public import RemitCore

/// What a writer's build step hands a store's ``LedgerStore/write(_:_:)``: the commits to
/// append, what to answer the caller, and optionally the state after the commits when the build
/// step computed it anyway (so the store need not apply them again).
public struct LedgerWrite<Output: Sendable>: Sendable {
    /// The entries to append, in order, chained on the state the build step saw.
    public var commits: [EntryCommit]
    /// What the write answers once the commits are stored.
    public var output: Output
    /// The state with `commits` applied, or nil to let the store apply them.
    public var after: LedgerState?

    /// Creates a write.
    public init(commits: [EntryCommit], output: Output, after: LedgerState? = nil) {
        self.commits = commits
        self.output = output
        self.after = after
    }
}

extension LedgerStore {
    /// How many times the default ``write(_:_:)`` builds again after another writer moved the head.
    public static var maxWriteAttempts: Int { 8 }

    /// True for refusals a store raises when the writer's state was stale: rebuild and try again.
    static func isStale(_ error: RemitError) -> Bool {
        error.code == .ledgerConflict || error.code == .ledgerInsufficientFunds
    }

    /// Optimistic writing for a store with one writer process at a time: build against `state`,
    /// append, and on a conflict reload the state from the store and build again.
    public func write<Output: Sendable>(
        _ state: inout LedgerState, _ build: @Sendable (LedgerState) throws(RemitError) -> LedgerWrite<Output>
    ) async throws(RemitError) -> Output {
        var attempt = 0
        while true {
            attempt += 1
            let write = try build(state)
            do throws(RemitError) {
                try await append(write.commits)
            } catch {
                guard Self.isStale(error), attempt < Self.maxWriteAttempts else { throw error }
                state = try await loadState()
                continue
            }
            if let after = write.after {
                state = after
            } else {
                for commit in write.commits { state.apply(commit) }
            }
            return write.output
        }
    }
}
