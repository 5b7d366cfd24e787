public import RemitCore
public import RemitCrypto

/// A payee's claim as it sits in an entry: the signed claim and, when the claim names one, the
/// payer-signed voucher it references.
public struct ClaimBundle: Hashable, Sendable {
    /// The payee's signed claim.
    public var claim: Signed<ChannelClaim>
    /// The voucher the claim references (its digest is `claim.voucher.digest`).
    public var voucher: Signed<Voucher>?

    /// Creates a bundle.
    public init(claim: Signed<ChannelClaim>, voucher: Signed<Voucher>?) {
        self.claim = claim
        self.voucher = voucher
    }
}

/// What a settlement paid, recorded in settle and finalize entries.
public struct SettlementSummary: Hashable, Sendable, Codable {
    /// Merkle root over the receipts' digests (the claim's `receiptsRoot`).
    public var receiptsRoot: Digest32
    /// Number of receipts.
    public var receiptCount: UInt64
    /// Paid out of escrow to the payee side (owner, contributors, treasury): the sum of the receipts' prices.
    public var charged: Amount
    /// Returned to the payer: deposit − charged.
    public var refund: Amount

    /// Creates a summary.
    public init(receiptsRoot: Digest32, receiptCount: UInt64, charged: Amount, refund: Amount) {
        self.receiptsRoot = receiptsRoot
        self.receiptCount = receiptCount
        self.charged = charged
        self.refund = refund
    }
}

/// The authorisation an entry carries: the signed messages (or, for the few unsigned operations,
/// the ids) that a verifier needs to rebuild the entry's postings.
public enum EntryPayload: Hashable, Sendable {
    /// The ledger's creation: its id, operator key, supply, time and nonce.
    case genesis(LedgerGenesis)
    /// The sender's signed transfer.
    case transfer(Signed<Transfer>)
    /// The payer's signed channel open.
    case channelOpen(Signed<ChannelOpen>)
    /// The payer's signed top-up.
    case channelTopUp(Signed<ChannelTopUp>)
    /// The payee's claim (and voucher) that settled an open channel.
    case channelSettle(ClaimBundle)
    /// A unilateral close that started the challenge window.
    case channelCloseStart(Signed<ChannelClose>)
    /// A claim held during the challenge window.
    case channelDispute(ClaimBundle)
    /// The channel and the entry of the claim it settles on (0: none held, everything refunded).
    case channelFinalize(ChannelID, claimEntry: UInt64)
    /// The payer's reclaim of an expired channel.
    case channelReclaim(Signed<ChannelClose>)
    /// The curator's datanet registration.
    case datanetCreate(Signed<DatanetCreate>)
    /// The contributor's signed contribution.
    case contributionRegister(Signed<Contribution>)
    /// The contribution whose bond was returned.
    case bondRelease(ContributionID)
    /// The curator's signed removal.
    case contributionRemoval(Signed<ContributionRemoval>)
    /// The owner's signed listing version.
    case listingRegister(Signed<Listing>)

    /// The entry kind this payload belongs to.
    public var kind: EntryKind {
        switch self {
        case .genesis: .genesis
        case .transfer: .transfer
        case .channelOpen: .channelOpen
        case .channelTopUp: .channelTopUp
        case .channelSettle: .channelSettle
        case .channelCloseStart: .channelCloseStart
        case .channelDispute: .channelDispute
        case .channelFinalize: .channelFinalize
        case .channelReclaim: .channelReclaim
        case .datanetCreate: .datanetCreate
        case .contributionRegister: .contributionRegister
        case .bondRelease: .bondRelease
        case .contributionRemoval: .contributionRemoval
        case .listingRegister: .listingRegister
        }
    }

    func write(to w: inout CanonicalWriter) {
        switch self {
        case .genesis(let genesis): genesis.write(to: &w)
        case .transfer(let signed): w.writeBytes(signed.wireBytes)
        case .channelOpen(let signed): w.writeBytes(signed.wireBytes)
        case .channelTopUp(let signed): w.writeBytes(signed.wireBytes)
        case .channelSettle(let bundle), .channelDispute(let bundle):
            w.writeBytes(bundle.claim.wireBytes)
            w.writeOptional(bundle.voucher) { w, voucher in w.writeBytes(voucher.wireBytes) }
        case .channelCloseStart(let signed), .channelReclaim(let signed): w.writeBytes(signed.wireBytes)
        case .channelFinalize(let channel, let claimEntry):
            w.write(channel)
            w.write(claimEntry)
        case .datanetCreate(let signed): w.writeBytes(signed.wireBytes)
        case .contributionRegister(let signed): w.writeBytes(signed.wireBytes)
        case .bondRelease(let contribution): w.write(contribution)
        case .contributionRemoval(let signed): w.writeBytes(signed.wireBytes)
        case .listingRegister(let signed): w.writeBytes(signed.wireBytes)
        }
    }

    private static func signed<M: SignableMessage>(_ r: inout CanonicalReader, _ field: String) throws(RemitError) -> Signed<M> {
        try Signed<M>(wireBytes: try r.readBytes(field))
    }

    init(kind: EntryKind, reading r: inout CanonicalReader) throws(RemitError) {
        switch kind {
        case .genesis: self = .genesis(try LedgerGenesis(reading: &r))
        case .transfer: self = .transfer(try Self.signed(&r, "transfer"))
        case .channelOpen: self = .channelOpen(try Self.signed(&r, "channelOpen"))
        case .channelTopUp: self = .channelTopUp(try Self.signed(&r, "channelTopUp"))
        case .channelSettle, .channelDispute:
            let claim: Signed<ChannelClaim> = try Self.signed(&r, "claim")
            let voucher: Signed<Voucher>? = try r.readOptional("voucher") { r throws(RemitError) in try Self.signed(&r, "voucher") }
            let bundle = ClaimBundle(claim: claim, voucher: voucher)
            self = kind == .channelSettle ? .channelSettle(bundle) : .channelDispute(bundle)
        case .channelCloseStart: self = .channelCloseStart(try Self.signed(&r, "close"))
        case .channelReclaim: self = .channelReclaim(try Self.signed(&r, "close"))
        case .channelFinalize: self = .channelFinalize(try r.readID("channel"), claimEntry: try r.readUInt64("claimEntry"))
        case .datanetCreate: self = .datanetCreate(try Self.signed(&r, "datanetCreate"))
        case .contributionRegister: self = .contributionRegister(try Self.signed(&r, "contribution"))
        case .bondRelease: self = .bondRelease(try r.readID("contribution"))
        case .contributionRemoval: self = .contributionRemoval(try Self.signed(&r, "removal"))
        case .listingRegister: self = .listingRegister(try Self.signed(&r, "listing"))
        }
    }
}
