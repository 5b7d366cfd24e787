public import RemitCore
public import RemitCrypto

/// The payee's side of one channel as a pure state machine: it takes events (a voucher, a tick,
/// a served query, a top-up, a close) and returns what to do, with no I/O. A refused event leaves
/// the state exactly as it was.
///
/// Accounting: `authorized` is what the payer has signed over (newest voucher's cumulative
/// amount plus ticks × unit); `charged` is what receipts have charged; `reserved` is the quoted
/// maximum of queries accepted but not yet served. The rest, `credit`, is prepaid: the next
/// query's payment needs to rise only by its quoted price less that credit. Settlement pays the
/// payee exactly `charged`.
public struct PayeeChannel: Sendable, Hashable {
    /// The signed open, as the payer sent it.
    public let open: Signed<ChannelOpen>
    /// Deposit after top-ups.
    public private(set) var deposit: Amount
    /// Expiry after top-ups (Unix seconds).
    public private(set) var expiresAt: UInt64
    /// Where the channel is in its life.
    public private(set) var phase: ChannelPhase = .open
    /// Vouchers or ticks, once the first payment chose.
    public private(set) var scheme: PaymentScheme?
    /// The newest accepted voucher.
    public private(set) var voucher: Signed<Voucher>?
    /// Units paid by ticks so far.
    public private(set) var tickIndex: UInt64 = 0
    /// The newest tick link held (the chain root before any tick).
    public private(set) var tickLink: Digest32
    /// Sum of the prices receipts have charged.
    public private(set) var charged: Amount = .zero
    /// Quoted maxima of accepted queries not yet served.
    public private(set) var reserved: Amount = .zero
    /// Number of queries served.
    public private(set) var served: UInt64 = 0
    /// The quoted maximum of each accepted payment awaiting its receipt, by sequence. Only the
    /// quote is kept: it is all a receipt is checked against, and a whole ``Payment`` (a few
    /// hundred bytes with its voucher or tick) copied in and out per payment showed in profiles.
    public private(set) var inFlight: [UInt64: Amount] = [:]
    /// Request digests paid for on this channel.
    private var paidRequests = DigestSet()

    /// The channel's terms.
    public var terms: ChannelOpen { open.message }

    /// A payment the payee accepted: serve the query, then report it with ``Event/served(sequence:price:)``.
    public struct Payment: Sendable, Hashable {
        /// The channel paid on.
        public var channel: ChannelID
        /// The voucher sequence or tick index that paid; the receipt carries it.
        public var sequence: UInt64
        /// Digest of the request paid for.
        public var requestDigest: Digest32
        /// The most this query may charge.
        public var maxPrice: Amount
        /// The voucher, for voucher payments.
        public var voucher: Signed<Voucher>?
        /// The tick, for tick payments.
        public var tick: Tick?
    }

    /// What happens to the channel.
    public enum Event: Sendable {
        /// A voucher arrives with a request whose digest and quoted maximum price the payee computed.
        /// `signatureChecked` says the caller already verified it under the channel's payer (the
        /// books do that outside their actor so signature checks run in parallel).
        case voucher(Signed<Voucher>, requestDigest: Digest32, maxPrice: Amount, now: UInt64, signatureChecked: Bool = false)
        /// A tick arrives with a request.
        case tick(Tick, requestDigest: Digest32, maxPrice: Amount, now: UInt64)
        /// The query paid with `sequence` was answered and charged `price` (at most its maximum; 0 when it failed).
        case served(sequence: UInt64, price: Amount)
        /// The ledger applied a top-up.
        case toppedUp(Signed<ChannelTopUp>)
        /// The ledger started a unilateral close.
        case closeStarted(deadline: UInt64)
        /// The ledger settled the channel.
        case settled
    }

    /// What the payee should do.
    public enum Action: Sendable, Equatable {
        /// Answer the query, sign a receipt, make the payment durable, then release the answer.
        case serve(Payment)
        /// The exact voucher already accepted came again (a retry): send the stored receipt again.
        case resend(sequence: UInt64)
        /// Record the served query (receipt issued).
        case record(sequence: UInt64, price: Amount)
        /// Nothing to pay: the state changed (top-up, settle).
        case updated
        /// The close started: submit a claim before the deadline.
        case claimBefore(deadline: UInt64)
        /// Refuse, with the rule broken; the state is unchanged.
        case refuse(RemitError)

        public static func == (lhs: Action, rhs: Action) -> Bool {
            switch (lhs, rhs) {
            case (.serve(let a), .serve(let b)): a == b
            case (.resend(let a), .resend(let b)): a == b
            case (.record(let a, let p), .record(let b, let q)): a == b && p == q
            case (.updated, .updated): true
            case (.claimBefore(let a), .claimBefore(let b)): a == b
            case (.refuse(let a), .refuse(let b)): a.code == b.code
            default: false
            }
        }
    }

    /// Starts the payee's state for a channel, checking the open: signed by its payer, for this
    /// ledger, paying this payee.
    public init(open: Signed<ChannelOpen>, ledger: LedgerID, payee: PublicKey) throws(RemitError) {
        do {
            try open.verify(ledger: ledger)
        } catch {
            let code: RemitError.Code = error.code == .messageWrongLedger ? .channelWrongLedger : .channelBadSignature
            throw RemitError(code, "channel open refused: \(error.message)", cause: error)
        }
        guard open.message.payee == payee else {
            throw RemitError(.channelWrongPayee, "channel \(open.message.channel) pays \(AccountID(open.message.payee)), not this payee \(AccountID(payee))")
        }
        self.open = open
        deposit = open.message.deposit
        expiresAt = open.message.expiresAt
        tickLink = open.message.hashChain?.root ?? .zero
    }

    /// Voucher total plus tick total: everything the payer has signed over.
    public var authorized: Amount {
        let tickTotal = (terms.hashChain?.unit).map { Amount(uncheckedUnits: $0.units &* Int64(tickIndex)) } ?? .zero
        return Amount(uncheckedUnits: (voucher?.message.cumulative.units ?? 0) + tickTotal.units)
    }

    /// Prepaid credit: authorized, less what receipts charged and what in-flight queries reserved.
    public var credit: Amount { Amount(uncheckedUnits: max(0, authorized.units - charged.units - reserved.units)) }

    /// True once `digest` has been paid for on this channel.
    public func hasPaid(request digest: Digest32) -> Bool { paidRequests.contains(digest) }

    /// Applies an event; a refusal leaves the state unchanged.
    public mutating func handle(_ event: Event) -> Action {
        switch event {
        case .voucher(let voucher, let requestDigest, let maxPrice, let now, let checked):
            return acceptVoucher(voucher, requestDigest: requestDigest, maxPrice: maxPrice, now: now, signatureChecked: checked)
        case .tick(let tick, let requestDigest, let maxPrice, let now):
            return acceptTick(tick, requestDigest: requestDigest, maxPrice: maxPrice, now: now)
        case .served(let sequence, let price):
            return serve(sequence: sequence, price: price)
        case .toppedUp(let topUp):
            return applyTopUp(topUp)
        case .closeStarted(let deadline):
            guard phase == .open else { return .refuse(RemitError(.channelClosed, "channel \(terms.channel) is already \(phase)")) }
            phase = .closing(deadline: deadline)
            return .claimBefore(deadline: deadline)
        case .settled:
            phase = .closed
            return .updated
        }
    }

    private func checkOpen(now: UInt64) -> RemitError? {
        switch phase {
        case .closed: return RemitError(.channelClosed, "channel \(terms.channel) is settled; it takes no more payments")
        case .closing(let deadline):
            return RemitError(.channelClosing, "channel \(terms.channel) is closing (claims until \(deadline)); it takes no more payments")
        case .open: break
        }
        if now >= expiresAt {
            return RemitError(.channelExpired, "channel \(terms.channel) expired at \(expiresAt); it is now \(now)")
        }
        return nil
    }

    private func checkAddress(ledger: LedgerID, channel: ChannelID) -> RemitError? {
        if ledger != terms.ledger {
            return RemitError(.channelWrongLedger, "payment is for ledger \(ledger), but channel \(terms.channel) is on ledger \(terms.ledger)")
        }
        if channel != terms.channel {
            return RemitError(.channelWrongChannel, "payment names channel \(channel), but it came on channel \(terms.channel)")
        }
        return nil
    }

    private func required(maxPrice: Amount) -> Amount {
        Amount(uncheckedUnits: max(0, maxPrice.units - credit.units))
    }

    private mutating func acceptVoucher(_ signed: Signed<Voucher>, requestDigest: Digest32, maxPrice: Amount, now: UInt64, signatureChecked: Bool) -> Action {
        let v = signed.message
        if let error = checkOpen(now: now) ?? checkAddress(ledger: v.ledger, channel: v.channel) { return .refuse(error) }
        if scheme == .tick {
            return .refuse(RemitError(.channelSchemeMismatch, "channel \(terms.channel) is paid by ticks; a voucher is refused"))
        }
        if signed == voucher { return .resend(sequence: v.sequence) }
        if !signatureChecked, let error = PayeeChannel.checkSignature(signed, payer: terms.payer, ledger: terms.ledger) { return .refuse(error) }
        if v.requestDigest != requestDigest {
            return .refuse(RemitError(.channelRequestMismatch, "voucher \(v.sequence) pays for request \(v.requestDigest), but the request's digest is \(requestDigest)"))
        }
        let lastSequence = voucher?.message.sequence ?? 0
        if v.sequence <= lastSequence {
            return .refuse(RemitError(.channelSequenceNotAbove, "voucher sequence \(v.sequence) is not above the last accepted \(lastSequence)"))
        }
        if paidRequests.contains(requestDigest) {
            return .refuse(RemitError(.channelReplayedRequest, "request \(requestDigest) was already paid for on channel \(terms.channel)"))
        }
        let lastCumulative = voucher?.message.cumulative ?? .zero
        let tickTotal = authorized.units - lastCumulative.units
        if v.cumulative.units > deposit.units - tickTotal {
            return .refuse(RemitError(.channelOverDeposit, "voucher cumulative \(v.cumulative) credits is past the deposit \(deposit) credits"))
        }
        let need = required(maxPrice: maxPrice)
        if v.cumulative.units < lastCumulative.units || v.cumulative.units - lastCumulative.units < need.units {
            return .refuse(RemitError(
                .channelAmountTooLow,
                "voucher cumulative \(v.cumulative) does not rise by at least \(need) over the last \(lastCumulative) (price \(maxPrice), prepaid credit \(credit))"
            ))
        }
        scheme = .voucher
        voucher = signed
        return reserve(Payment(channel: terms.channel, sequence: v.sequence, requestDigest: requestDigest, maxPrice: maxPrice, voucher: signed, tick: nil))
    }

    /// ``handle(_:)`` of a ``Event/tick(_:requestDigest:maxPrice:now:)`` whose link's hash the
    /// book already computed, with the other ticks of its stream, four per compression
    /// (`linkHash` must be BLAKE2b-256 of `tick.link`). Every rule and refusal is the same.
    mutating func acceptStreamedTick(_ tick: Tick, linkHash: Digest32, requestDigest: Digest32, maxPrice: Amount, now: UInt64) -> Action {
        acceptTick(tick, requestDigest: requestDigest, maxPrice: maxPrice, now: now, linkHash: linkHash)
    }

    private mutating func acceptTick(_ tick: Tick, requestDigest: Digest32, maxPrice: Amount, now: UInt64, linkHash: Digest32? = nil) -> Action {
        if let error = checkOpen(now: now) ?? checkAddress(ledger: tick.ledger, channel: tick.channel) { return .refuse(error) }
        guard let chain = terms.hashChain else {
            return .refuse(RemitError(.channelTicksUnavailable, "channel \(terms.channel) committed no hash chain; pay it with vouchers"))
        }
        if scheme == .voucher {
            return .refuse(RemitError(.channelSchemeMismatch, "channel \(terms.channel) is paid by vouchers; a tick is refused"))
        }
        if tick.index <= tickIndex {
            return .refuse(RemitError(.channelSequenceNotAbove, "tick index \(tick.index) is not above the last accepted \(tickIndex)"))
        }
        if tick.index > chain.length {
            return .refuse(RemitError(.channelTicksUnavailable, "tick index \(tick.index) is past the chain's \(chain.length) links"))
        }
        // The digest goes into the replay set now (one hash instead of a lookup and an insert per
        // tick); a rule that refuses after this takes it out again, so a refusal changes nothing.
        guard paidRequests.insert(requestDigest) else {
            return .refuse(RemitError(.channelReplayedRequest, "request \(requestDigest) was already paid for on channel \(terms.channel)"))
        }
        func refuse(_ error: RemitError) -> Action {
            paidRequests.remove(requestDigest)
            return .refuse(error)
        }
        let steps = tick.index - tickIndex
        let (rise, overflow) = chain.unit.units.multipliedReportingOverflow(by: Int64(steps))
        let voucherTotal = voucher?.message.cumulative.units ?? 0
        let tickTotal = authorized.units - voucherTotal
        if overflow || rise > deposit.units - voucherTotal - tickTotal {
            return refuse(RemitError(.channelOverDeposit, "tick \(tick.index) pays \(steps) units of \(chain.unit) credits, past the deposit \(deposit) credits"))
        }
        let need = required(maxPrice: maxPrice)
        if rise < need.units {
            return refuse(RemitError(.channelAmountTooLow, "tick \(tick.index) pays \(steps) units (\(Amount(uncheckedUnits: rise)) credits), less than the \(need) credits due"))
        }
        // A one-unit tick whose link was hashed with its stream compares that hash; any other
        // tick walks its steps here.
        let linked = steps == 1 && linkHash != nil ? linkHash == tickLink : HashChain.verify(tick.link, steps: Int(steps), reaches: tickLink)
        guard linked else {
            return refuse(RemitError(.channelBadTick, "tick link for index \(tick.index) does not hash to the link held for index \(tickIndex)"))
        }
        scheme = .tick
        tickIndex = tick.index
        tickLink = tick.link
        return reserve(Payment(channel: terms.channel, sequence: tick.index, requestDigest: requestDigest, maxPrice: maxPrice, voucher: nil, tick: tick), digestRecorded: true)
    }

    private mutating func reserve(_ payment: Payment, digestRecorded: Bool = false) -> Action {
        if !digestRecorded { paidRequests.insert(payment.requestDigest) }
        reserved = Amount(uncheckedUnits: reserved.units + payment.maxPrice.units)
        inFlight[payment.sequence] = payment.maxPrice
        return .serve(payment)
    }

    private mutating func serve(sequence: UInt64, price: Amount) -> Action {
        guard let maxPrice = inFlight[sequence] else {
            return .refuse(RemitError(.channelReceiptMismatch, "no accepted payment with sequence \(sequence) awaits a receipt on channel \(terms.channel)"))
        }
        guard price <= maxPrice else {
            return .refuse(RemitError(.channelReceiptOvercharge, "query \(sequence) cannot charge \(price) credits; its quoted maximum is \(maxPrice)"))
        }
        inFlight[sequence] = nil
        reserved = Amount(uncheckedUnits: reserved.units - maxPrice.units)
        charged = Amount(uncheckedUnits: charged.units + price.units)
        served += 1
        return .record(sequence: sequence, price: price)
    }

    private mutating func applyTopUp(_ signed: Signed<ChannelTopUp>) -> Action {
        let t = signed.message
        if let error = checkAddress(ledger: t.ledger, channel: t.channel) { return .refuse(error) }
        do {
            try signed.verify(ledger: terms.ledger, signer: terms.payer)
        } catch {
            return .refuse(RemitError(.channelBadSignature, "top-up refused: \(error.message)", cause: error))
        }
        guard phase == .open else { return .refuse(RemitError(.channelClosed, "channel \(terms.channel) is \(phase); it cannot be topped up")) }
        guard deposit.units + t.amount.units == t.newDeposit.units, t.newExpiresAt >= expiresAt else {
            return .refuse(RemitError(
                .channelBadTopUp,
                "top-up to \(t.newDeposit) by \(t.amount) does not follow the deposit \(deposit), or its expiry \(t.newExpiresAt) is before \(expiresAt)"
            ))
        }
        deposit = t.newDeposit
        expiresAt = t.newExpiresAt
        return .updated
    }

    /// Verifies a voucher's signature under the channel's payer; nil when it is good.
    public static func checkSignature(_ signed: Signed<Voucher>, payer: PublicKey, ledger: LedgerID) -> RemitError? {
        do {
            try signed.verify(ledger: ledger, signer: payer)
            return nil
        } catch {
            return RemitError(.channelBadSignature, "voucher \(signed.message.sequence) refused: \(error.message)", cause: error)
        }
    }

    /// Rebuilds the state of a payee book after a restart from what it stored (no checks: the
    /// book stored only what this machine accepted).
    package mutating func restore(
        deposit: Amount, expiresAt: UInt64, phase: ChannelPhase, voucher: Signed<Voucher>?, tickIndex: UInt64,
        tickLink: Digest32?, charged: Amount, served: UInt64, paidRequests: some Sequence<Digest32>
    ) {
        self.deposit = deposit
        self.expiresAt = expiresAt
        self.phase = phase
        self.voucher = voucher
        self.tickIndex = tickIndex
        if let tickLink { self.tickLink = tickLink }
        scheme = voucher != nil ? .voucher : (tickIndex > 0 ? .tick : nil)
        self.charged = charged
        self.served = served
        self.paidRequests = DigestSet(paidRequests)
        reserved = .zero
        inFlight = [:]
    }
}
