public import RemitCore

/// One line of a journal entry: an account and the signed change of its balance in base units.
/// An entry's postings sum to zero (only genesis mints: its postings sum to the supply).
public struct Posting: Hashable, Sendable, Codable {
    /// The account whose balance changes.
    public var account: LedgerAccount
    /// The change in base units: positive credits the account, negative debits it. Never zero.
    public var delta: Int64

    /// Creates a posting.
    public init(account: LedgerAccount, delta: Int64) {
        self.account = account
        self.delta = delta
    }

    /// Aggregates postings per account (checked), drops zero sums and sorts by account: the one
    /// form an entry's postings are written and compared in.
    public static func normalised(_ postings: [Posting]) throws(RemitError) -> [Posting] {
        let sorted = postings.sorted { $0.account < $1.account }
        var out: [Posting] = []
        out.reserveCapacity(sorted.count)
        for posting in sorted {
            if let last = out.last, last.account == posting.account {
                let (sum, overflow) = last.delta.addingReportingOverflow(posting.delta)
                guard !overflow else {
                    throw RemitError(.amountOverflow, "postings to \(posting.account) overflow a 64-bit balance change")
                }
                out[out.count - 1].delta = sum
            } else {
                out.append(posting)
            }
        }
        out.removeAll { $0.delta == 0 }
        return out
    }

    /// The checked sum of the deltas.
    public static func sum(_ postings: [Posting]) throws(RemitError) -> Int64 {
        var total: Int64 = 0
        for posting in postings {
            let (next, overflow) = total.addingReportingOverflow(posting.delta)
            guard !overflow else { throw RemitError(.amountOverflow, "the postings' sum overflows 64 bits") }
            total = next
        }
        return total
    }
}
