public import RemitCore
public import RemitCrypto

/// Why an account earned a share of a settlement.
public enum EarningRole: UInt8, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The model owner's share (plus the contributors' share no attribution covered).
    case owner = 1
    /// A contributor's share, by attribution weight.
    case contributor = 2
    /// The protocol treasury's share.
    case treasury = 3

    public var description: String {
        switch self {
        case .owner: "owner"
        case .contributor: "contributor"
        case .treasury: "treasury"
        }
    }
}

/// One account's earnings from one settlement, per model and (for contributors) per datanet.
public struct Earning: Hashable, Sendable, Codable {
    /// Who earned it.
    public var account: PublicKey
    /// As what.
    public var role: EarningRole
    /// The model whose receipts paid it.
    public var model: ModelID
    /// The datanet of the credited contributions (contributors only).
    public var datanet: DatanetID?
    /// How much.
    public var amount: Amount

    /// Creates an earning.
    public init(account: PublicKey, role: EarningRole, model: ModelID, datanet: DatanetID?, amount: Amount) {
        self.account = account
        self.role = role
        self.model = model
        self.datanet = datanet
        self.amount = amount
    }
}

/// What settling a claim pays, computed from its receipts (docs/PROTOCOL.md §9.4).
public struct SettlementResult: Hashable, Sendable, Codable {
    /// Merkle root over the receipts' digests.
    public var receiptsRoot: Digest32
    /// Number of receipts.
    public var receiptCount: UInt64
    /// Sum of the receipts' prices: paid out of escrow to the payee side.
    public var charged: Amount
    /// The charged amount by account, role, model and datanet; sums to ``charged``.
    public var earnings: [Earning]

    /// Creates a result.
    public init(receiptsRoot: Digest32, receiptCount: UInt64, charged: Amount, earnings: [Earning]) {
        self.receiptsRoot = receiptsRoot
        self.receiptCount = receiptCount
        self.charged = charged
        self.earnings = earnings
    }

    /// A settlement of no receipts.
    public static let empty = SettlementResult(receiptsRoot: MerkleTree.emptyRoot, receiptCount: 0, charged: .zero, earnings: [])

    /// The postings paying the earnings, one per account (not yet normalised with the escrow and refund).
    public var payouts: [Posting] {
        earnings.map { Posting(account: .user($0.account), delta: $0.amount.units) }
    }

    func write(to w: inout CanonicalWriter) {
        w.write(receiptsRoot)
        w.write(receiptCount)
        w.write(charged)
        w.writeList(earnings) { w, e in
            w.write(e.account)
            w.write(e.role.rawValue)
            w.write(e.model)
            w.writeOptional(e.datanet) { w, d in w.write(d) }
            w.write(e.amount)
        }
    }

    init(reading r: inout CanonicalReader) throws(RemitError) {
        receiptsRoot = try r.readDigest("receiptsRoot")
        receiptCount = try r.readUInt64("receiptCount")
        charged = try r.readAmount("charged")
        earnings = try r.readList("earnings", maxCount: 1 << 24) { r throws(RemitError) in
            let account = try r.readPublicKey("earning.account")
            let raw = try r.readUInt8("earning.role")
            guard let role = EarningRole(rawValue: raw) else { throw RemitError(.ledgerStore, "earning role \(raw) is unknown") }
            return Earning(account: account, role: role, model: try r.readID("earning.model"),
                           datanet: try r.readOptional("earning.datanet") { r throws(RemitError) in try r.readID("earning.datanet") },
                           amount: try r.readAmount("earning.amount"))
        }
    }
}
