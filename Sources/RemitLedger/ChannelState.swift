public import RemitCore
public import RemitCrypto

/// Where a channel is in its life.
public enum ChannelStatus: UInt8, Hashable, Sendable, Codable {
    /// Escrow held; vouchers and ticks may be spent; top-ups, claims and closes accepted.
    case open = 1
    /// A unilateral close started: the payee may submit newer claims until the deadline.
    case closing = 2
    /// Settled, finalised or reclaimed: the escrow is empty and nothing more is accepted.
    case closed = 3
}

/// A claim held during a challenge window, with the split computed when it was accepted.
public struct HeldClaim: Hashable, Sendable, Codable {
    /// The dispute entry that recorded the claim (its receipts are stored with it).
    public var entry: UInt64
    /// Sequence of the claim's voucher (0 without one).
    public var voucherSequence: UInt64
    /// Index of the claim's tick (0 without one).
    public var tickIndex: UInt64
    /// What finalisation will pay.
    public var settlement: SettlementResult

    /// Creates a held claim.
    public init(entry: UInt64, voucherSequence: UInt64, tickIndex: UInt64, settlement: SettlementResult) {
        self.entry = entry
        self.voucherSequence = voucherSequence
        self.tickIndex = tickIndex
        self.settlement = settlement
    }
}

/// A payment channel as the ledger holds it.
public struct ChannelState: Hashable, Sendable, Codable {
    /// The channel id.
    public var channel: ChannelID
    /// Who pays (signs vouchers, gets refunds).
    public var payer: PublicKey
    /// Who is paid (signs receipts and claims; must own the models its receipts name).
    public var payee: PublicKey
    /// What the escrow holds: the opening deposit plus top-ups.
    public var deposit: Amount
    /// Unix seconds after which the payer may reclaim a channel never settled.
    public var expiresAt: UInt64
    /// Seconds of the challenge window after a unilateral close.
    public var challengePeriod: UInt32
    /// The committed hash chain for ticks, if any.
    public var hashChain: HashChainCommitment?
    /// Open, closing or closed.
    public var status: ChannelStatus
    /// End of the challenge window (closing channels).
    public var closingDeadline: UInt64?
    /// Entry that opened the channel.
    public var openedEntry: UInt64
    /// Entry that closed it (settle, finalize or reclaim).
    public var closedEntry: UInt64?
    /// The newest claim held during the challenge window.
    public var held: HeldClaim?

    /// Creates a channel state.
    public init(
        channel: ChannelID, payer: PublicKey, payee: PublicKey, deposit: Amount, expiresAt: UInt64, challengePeriod: UInt32,
        hashChain: HashChainCommitment?, status: ChannelStatus, closingDeadline: UInt64?, openedEntry: UInt64,
        closedEntry: UInt64?, held: HeldClaim?
    ) {
        self.channel = channel
        self.payer = payer
        self.payee = payee
        self.deposit = deposit
        self.expiresAt = expiresAt
        self.challengePeriod = challengePeriod
        self.hashChain = hashChain
        self.status = status
        self.closingDeadline = closingDeadline
        self.openedEntry = openedEntry
        self.closedEntry = closedEntry
        self.held = held
    }

    /// The canonical encoding a store persists (no domain tag; never hashed or signed).
    public var recordBytes: [UInt8] {
        var w = CanonicalWriter(capacity: 256)
        w.write(channel)
        w.write(payer)
        w.write(payee)
        w.write(deposit)
        w.write(expiresAt)
        w.write(challengePeriod)
        w.writeOptional(hashChain) { w, c in
            w.write(c.root)
            w.write(c.unit)
            w.write(c.length)
        }
        w.write(status.rawValue)
        w.writeOptional(closingDeadline) { w, d in w.write(d) }
        w.write(openedEntry)
        w.writeOptional(closedEntry) { w, e in w.write(e) }
        w.writeOptional(held) { w, h in
            w.write(h.entry)
            w.write(h.voucherSequence)
            w.write(h.tickIndex)
            h.settlement.write(to: &w)
        }
        return w.bytes
    }

    /// Decodes ``recordBytes``.
    public init(recordBytes bytes: [UInt8]) throws(RemitError) {
        var r = CanonicalReader(bytes)
        channel = try r.readID("channel")
        payer = try r.readPublicKey("payer")
        payee = try r.readPublicKey("payee")
        deposit = try r.readAmount("deposit")
        expiresAt = try r.readUInt64("expiresAt")
        challengePeriod = try r.readUInt32("challengePeriod")
        hashChain = try r.readOptional("hashChain") { r throws(RemitError) in
            HashChainCommitment(root: try r.readDigest("root"), unit: try r.readAmount("unit"), length: try r.readUInt64("length"))
        }
        let raw = try r.readUInt8("status")
        guard let status = ChannelStatus(rawValue: raw) else {
            throw RemitError(.ledgerStore, "channel record holds unknown status \(raw)")
        }
        self.status = status
        closingDeadline = try r.readOptional("closingDeadline") { r throws(RemitError) in try r.readUInt64("closingDeadline") }
        openedEntry = try r.readUInt64("openedEntry")
        closedEntry = try r.readOptional("closedEntry") { r throws(RemitError) in try r.readUInt64("closedEntry") }
        held = try r.readOptional("held") { r throws(RemitError) in
            HeldClaim(entry: try r.readUInt64("held.entry"), voucherSequence: try r.readUInt64("held.voucherSequence"),
                      tickIndex: try r.readUInt64("held.tickIndex"), settlement: try SettlementResult(reading: &r))
        }
        try r.expectEnd("channel record")
    }
}
