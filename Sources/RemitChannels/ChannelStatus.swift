/// Where a channel is in its life.
public enum ChannelPhase: Hashable, Sendable, CustomStringConvertible {
    /// Payments are accepted until expiry.
    case open
    /// A unilateral close started; the payee may claim until `deadline` (Unix seconds).
    case closing(deadline: UInt64)
    /// Settled on the ledger; nothing more is paid.
    case closed

    public var description: String {
        switch self {
        case .open: "open"
        case .closing(let deadline): "closing (claims until \(deadline))"
        case .closed: "closed"
        }
    }

    /// Code stored in channel books: 0 open, 1 closing, 2 closed.
    var storageCode: Int {
        switch self {
        case .open: 0
        case .closing: 1
        case .closed: 2
        }
    }

    init(storageCode: Int, deadline: UInt64) {
        switch storageCode {
        case 1: self = .closing(deadline: deadline)
        case 2: self = .closed
        default: self = .open
        }
    }
}

/// How a channel pays: signed vouchers (any price) or hash-chain ticks (fixed units). The first
/// payment on a channel decides; the other scheme is then refused so receipt sequences stay unique.
public enum PaymentScheme: String, Hashable, Sendable, Codable {
    /// Signed cumulative vouchers.
    case voucher
    /// PayWord hash-chain ticks.
    case tick
}
