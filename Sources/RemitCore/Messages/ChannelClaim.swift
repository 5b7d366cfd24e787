public import RemitCrypto

/// The payee's claim on a channel: the newest voucher and/or tick it holds and the receipts it
/// issued, committed by their Merkle root. On an open channel the claim closes and settles it at
/// once (cooperative close); during a challenge window it replaces any older claim.
/// Signed by the channel's payee. Tag `remit/channel-claim/v1`.
public struct ChannelClaim: SignableMessage {
    public static let messageType = MessageType(name: "channel-claim", version: 1)

    /// The ledger.
    public var ledger: LedgerID
    /// The channel claimed from.
    public var channel: ChannelID
    /// The channel's payee (signer).
    public var payee: PublicKey
    /// The newest voucher the payee holds, by sequence, cumulative amount and digest of its canonical bytes.
    public var voucher: VoucherReference?
    /// The newest tick the payee holds.
    public var tick: TickReference?
    /// Merkle root (docs/PROTOCOL.md §1.2) over the digests of the receipts, in ascending sequence order.
    public var receiptsRoot: Digest32
    /// Number of receipts.
    public var receiptCount: UInt64
    /// Sum of the receipts' prices: what the payee is paid.
    public var charged: Amount
    /// Unix time of the claim.
    public var claimedAt: UInt64

    /// Creates a claim.
    public init(
        ledger: LedgerID, channel: ChannelID, payee: PublicKey, voucher: VoucherReference?, tick: TickReference?,
        receiptsRoot: Digest32, receiptCount: UInt64, charged: Amount, claimedAt: UInt64
    ) {
        self.ledger = ledger
        self.channel = channel
        self.payee = payee
        self.voucher = voucher
        self.tick = tick
        self.receiptsRoot = receiptsRoot
        self.receiptCount = receiptCount
        self.charged = charged
        self.claimedAt = claimedAt
    }

    public var requiredSigner: PublicKey? { payee }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(channel)
        w.write(payee)
        w.writeOptional(voucher) { w, v in
            w.write(v.sequence)
            w.write(v.cumulative)
            w.write(v.digest)
        }
        w.writeOptional(tick) { w, t in
            w.write(t.index)
            w.write(t.link)
        }
        w.write(receiptsRoot)
        w.write(receiptCount)
        w.write(charged)
        w.write(claimedAt)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        channel = try r.readID("channel")
        payee = try r.readPublicKey("payee")
        voucher = try r.readOptional("voucher") { r throws(RemitError) in
            VoucherReference(sequence: try r.readUInt64("voucher.sequence"), cumulative: try r.readAmount("voucher.cumulative"),
                             digest: try r.readDigest("voucher.digest"))
        }
        tick = try r.readOptional("tick") { r throws(RemitError) in
            TickReference(index: try r.readUInt64("tick.index"), link: try r.readDigest("tick.link"))
        }
        receiptsRoot = try r.readDigest("receiptsRoot")
        receiptCount = try r.readUInt64("receiptCount")
        charged = try r.readAmount("charged")
        claimedAt = try r.readUInt64("claimedAt")
    }

    public func validate() throws(RemitError) {
        if let voucher { try require(voucher.sequence >= 1, "voucher.sequence", "starts at 1") }
        if let tick { try require(tick.index >= 1, "tick.index", "starts at 1") }
        if receiptCount == 0 {
            try require(charged == .zero, "charged", "must be 0 without receipts")
            try require(receiptsRoot == MerkleTree.emptyRoot, "receiptsRoot", "must be the empty root without receipts")
        }
        if charged > .zero {
            try require(voucher != nil || tick != nil, "voucher", "a claim that charges must name a voucher or a tick")
        }
    }
}

/// Names a voucher inside a claim.
public struct VoucherReference: Hashable, Sendable, Codable {
    /// The voucher's sequence.
    public var sequence: UInt64
    /// Its cumulative amount.
    public var cumulative: Amount
    /// BLAKE2b-256 of its canonical bytes.
    public var digest: Digest32

    /// Creates a reference.
    public init(sequence: UInt64, cumulative: Amount, digest: Digest32) {
        self.sequence = sequence
        self.cumulative = cumulative
        self.digest = digest
    }

    /// The reference to `voucher`.
    public init(_ voucher: Voucher) {
        self.init(sequence: voucher.sequence, cumulative: voucher.cumulative, digest: voucher.digest)
    }
}

/// Names a tick inside a claim.
public struct TickReference: Hashable, Sendable, Codable {
    /// Units paid in total.
    public var index: UInt64
    /// The chain link for that index.
    public var link: Digest32

    /// Creates a reference.
    public init(index: UInt64, link: Digest32) {
        self.index = index
        self.link = link
    }
}
