public import RemitCore
public import RemitCrypto

/// What ``LedgerVerifier`` found: either every check passed, or the first failure with the entry
/// (or checkpoint, or state row) it concerns.
public struct VerificationReport: Hashable, Sendable, Codable {
    /// True when every check passed.
    public var ok: Bool
    /// The ledger checked.
    public var ledger: LedgerID?
    /// Entries that replayed correctly.
    public var entries: UInt64 = 0
    /// Checkpoints whose signature, range, chain head and Merkle root checked out.
    public var checkpoints: Int = 0
    /// The sum of all balances after replay (the supply when ok).
    public var supply: Amount?
    /// The hash of the last good entry.
    public var head: Digest32?
    /// The first entry that failed, when an entry failed.
    public var firstBadEntry: UInt64?
    /// The failure's code.
    public var code: RemitError.Code?
    /// The failure, naming the value and the rule.
    public var message: String?

    /// A passing report.
    public init(ledger: LedgerID, entries: UInt64, checkpoints: Int, supply: Amount, head: Digest32) {
        ok = true
        self.ledger = ledger
        self.entries = entries
        self.checkpoints = checkpoints
        self.supply = supply
        self.head = head
    }

    /// A failing report.
    public init(failure: RemitError, ledger: LedgerID? = nil, entries: UInt64 = 0, badEntry: UInt64? = nil) {
        ok = false
        self.ledger = ledger
        self.entries = entries
        firstBadEntry = badEntry
        code = failure.code
        message = failure.message
    }

    /// One line for people: `OK …` or `FAILED …`.
    public var text: String {
        if ok {
            return "OK  ledger \(ledger!.hex): \(entries) entries replayed (hash chain, signatures, postings, balances), \(checkpoints) checkpoints checked, supply \(supply!) credits, head \(head!.hex)"
        }
        let at = firstBadEntry.map { "first bad entry \($0): " } ?? ""
        return "FAILED  \(at)\(message ?? "") [\(code?.rawValue ?? "?")]"
    }
}
