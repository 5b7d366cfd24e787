public import RemitCrypto

/// Opens a unidirectional payment channel: the payer escrows `deposit` for `payee` until `expiresAt`.
/// Signed by the payer. Tag `remit/channel-open/v1`.
public struct ChannelOpen: SignableMessage {
    public static let messageType = MessageType(name: "channel-open", version: 1)

    /// The ledger that holds the escrow.
    public var ledger: LedgerID
    /// The channel's id; must equal ``ChannelID/derive(ledger:payer:payee:nonce:)``.
    public var channel: ChannelID
    /// Who pays (and signs vouchers).
    public var payer: PublicKey
    /// Who is paid (and signs receipts).
    public var payee: PublicKey
    /// Makes channel ids between the same two parties distinct.
    public var nonce: UInt64
    /// Amount moved into escrow at open.
    public var deposit: Amount
    /// Unix time (seconds) after which no voucher is accepted and the payer may reclaim what is left.
    public var expiresAt: UInt64
    /// Seconds the payee has, after a unilateral close, to submit a newer voucher.
    public var challengePeriod: UInt32
    /// Commitment to a hash chain for tick payments, if the channel accepts them.
    public var hashChain: HashChainCommitment?

    /// Creates a channel open; `channel` is derived from the other fields.
    public init(
        ledger: LedgerID, payer: PublicKey, payee: PublicKey, nonce: UInt64, deposit: Amount,
        expiresAt: UInt64, challengePeriod: UInt32, hashChain: HashChainCommitment? = nil
    ) {
        self.ledger = ledger
        channel = ChannelID.derive(ledger: ledger, payer: payer, payee: payee, nonce: nonce)
        self.payer = payer
        self.payee = payee
        self.nonce = nonce
        self.deposit = deposit
        self.expiresAt = expiresAt
        self.challengePeriod = challengePeriod
        self.hashChain = hashChain
    }

    public var requiredSigner: PublicKey? { payer }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(channel)
        w.write(payer)
        w.write(payee)
        w.write(nonce)
        w.write(deposit)
        w.write(expiresAt)
        w.write(challengePeriod)
        w.writeOptional(hashChain) { w, chain in
            w.write(chain.root)
            w.write(chain.unit)
            w.write(chain.length)
        }
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        channel = try r.readID("channel")
        payer = try r.readPublicKey("payer")
        payee = try r.readPublicKey("payee")
        nonce = try r.readUInt64("nonce")
        deposit = try r.readAmount("deposit")
        expiresAt = try r.readUInt64("expiresAt")
        challengePeriod = try r.readUInt32("challengePeriod")
        hashChain = try r.readOptional("hashChain") { r throws(RemitError) in
            HashChainCommitment(root: try r.readDigest("hashChain.root"), unit: try r.readAmount("hashChain.unit"), length: try r.readUInt64("hashChain.length"))
        }
    }

    public func validate() throws(RemitError) {
        try require(channel == ChannelID.derive(ledger: ledger, payer: payer, payee: payee, nonce: nonce),
                    "channel", "\(channel) is not the id derived from ledger, payer, payee and nonce")
        try require(payer != payee, "payee", "a channel cannot pay its own payer")
        try require(deposit > .zero, "deposit", "must be above zero")
        if let chain = hashChain {
            try require(chain.unit > .zero, "hashChain.unit", "must be above zero")
            try require(chain.length >= 1 && chain.length <= 1 << 32, "hashChain.length", "\(chain.length) is outside 1...\(UInt64(1) << 32)")
            try require(chain.unit.units.multipliedReportingOverflow(by: Int64(chain.length)).overflow == false,
                        "hashChain", "unit x length overflows the largest amount")
        }
    }
}

/// The root of a payer's hash chain and what each link pays.
public struct HashChainCommitment: Hashable, Sendable, Codable {
    /// `link(0)` of the chain (see ``HashChain``).
    public var root: Digest32
    /// Amount paid by each link revealed.
    public var unit: Amount
    /// Number of links (units) the chain holds.
    public var length: UInt64

    /// Creates a commitment.
    public init(root: Digest32, unit: Amount, length: UInt64) {
        self.root = root
        self.unit = unit
        self.length = length
    }
}
