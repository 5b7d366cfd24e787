public import RemitCore
public import RemitCrypto

/// The payer's side of one channel as a pure state machine. It decides what the next voucher or
/// tick is and checks each receipt; the book around it signs, persists before sending, and
/// talks to the network. A refused event leaves the state unchanged.
///
/// One payment is in flight at a time: the next one waits for the receipt (or for the payment to
/// be abandoned), so the prepaid credit is always known exactly.
public struct PayerChannel: Sendable, Hashable {
    /// The signed open.
    public let open: Signed<ChannelOpen>
    /// Deposit after top-ups.
    public private(set) var deposit: Amount
    /// Expiry after top-ups.
    public private(set) var expiresAt: UInt64
    /// Where the channel is in its life.
    public private(set) var phase: ChannelPhase = .open
    /// Vouchers or ticks, once the first payment chose.
    public private(set) var scheme: PaymentScheme?
    /// Sequence of the last voucher signed.
    public private(set) var sequence: UInt64 = 0
    /// Cumulative amount of the last voucher signed.
    public private(set) var cumulative: Amount = .zero
    /// Index of the last tick revealed.
    public private(set) var tickIndex: UInt64 = 0
    /// Sum of the prices of receipts accepted.
    public private(set) var charged: Amount = .zero
    /// The payment awaiting its receipt.
    public private(set) var pending: Pending?

    /// A payment sent (or about to be) whose receipt has not been checked.
    public struct Pending: Sendable, Hashable, Codable {
        /// Voucher sequence or tick index.
        public var sequence: UInt64
        /// The request paid for.
        public var requestDigest: Digest32
        /// The most the receipt may charge.
        public var maxPrice: Amount
        /// Which scheme paid.
        public var scheme: PaymentScheme
    }

    /// The channel's terms.
    public var terms: ChannelOpen { open.message }

    /// Everything signed over: the voucher total plus ticks × unit.
    public var authorized: Amount {
        Amount(uncheckedUnits: cumulative.units + (terms.hashChain?.unit.units ?? 0) * Int64(tickIndex))
    }

    /// Prepaid credit: authorized less charged, less the in-flight payment's maximum.
    public var credit: Amount {
        Amount(uncheckedUnits: max(0, authorized.units - charged.units - (pending?.maxPrice.units ?? 0)))
    }

    /// What is left to spend: the deposit less what is authorized.
    public var remaining: Amount { Amount(uncheckedUnits: deposit.units - authorized.units) }

    /// Starts the payer's state for a channel it opened.
    public init(open: Signed<ChannelOpen>) {
        self.open = open
        deposit = open.message.deposit
        expiresAt = open.message.expiresAt
    }

    /// The payer's events.
    public enum Event: Sendable {
        /// Pay for a request with a voucher; `limit` caps the channel's cumulative amount (policy).
        case payVoucher(requestDigest: Digest32, maxPrice: Amount, now: UInt64, limit: Amount?)
        /// Pay for a request with ticks (fixed units).
        case payTick(requestDigest: Digest32, maxPrice: Amount, now: UInt64, limit: Amount?)
        /// A receipt came back for the payment in flight; `signatureChecked` says the caller
        /// already verified it under the channel's payee.
        case receipt(Signed<Receipt>, signatureChecked: Bool = false)
        /// A receipt body that arrived with a batch proof already checked by the caller.
        case batchedReceipt(Receipt)
        /// The payment in flight will get no receipt (timeout, payee gone): its amount stays as credit.
        case abandon
        /// The ledger applied a top-up.
        case toppedUp(newDeposit: Amount, newExpiresAt: UInt64)
        /// The ledger started a close.
        case closeStarted(deadline: UInt64)
        /// The ledger settled the channel.
        case settled
    }

    /// What the payer should do.
    public enum Action: Sendable, Equatable {
        /// Sign this voucher, persist it, then send it.
        case signVoucher(Voucher)
        /// Persist this tick, then send it (the link comes from the payer's chain).
        case revealTick(index: UInt64)
        /// The receipt is good: record it; `price` was charged.
        case accepted(price: Amount)
        /// Nothing more to do.
        case updated
        /// Refuse, with the rule broken; the state is unchanged.
        case refuse(RemitError)

        public static func == (lhs: Action, rhs: Action) -> Bool {
            switch (lhs, rhs) {
            case (.signVoucher(let a), .signVoucher(let b)): a == b
            case (.revealTick(let a), .revealTick(let b)): a == b
            case (.accepted(let a), .accepted(let b)): a == b
            case (.updated, .updated): true
            case (.refuse(let a), .refuse(let b)): a.code == b.code
            default: false
            }
        }
    }

    /// Applies an event; a refusal leaves the state unchanged.
    public mutating func handle(_ event: Event) -> Action {
        switch event {
        case .payVoucher(let digest, let maxPrice, let now, let limit):
            return payVoucher(requestDigest: digest, maxPrice: maxPrice, now: now, limit: limit)
        case .payTick(let digest, let maxPrice, let now, let limit):
            return payTick(requestDigest: digest, maxPrice: maxPrice, now: now, limit: limit)
        case .receipt(let signed, let checked):
            if !checked, let error = PayerChannel.checkSignature(signed, payee: terms.payee, ledger: terms.ledger) { return .refuse(error) }
            return acceptReceipt(signed.message)
        case .batchedReceipt(let receipt):
            do {
                try receipt.validate()
            } catch {
                return .refuse(RemitError(.channelReceiptInvalid, "receipt refused: \(error.message)", cause: error))
            }
            return acceptReceipt(receipt)
        case .abandon:
            pending = nil
            return .updated
        case .toppedUp(let newDeposit, let newExpiresAt):
            deposit = newDeposit
            expiresAt = max(expiresAt, newExpiresAt)
            return .updated
        case .closeStarted(let deadline):
            phase = .closing(deadline: deadline)
            return .updated
        case .settled:
            phase = .closed
            pending = nil
            return .updated
        }
    }

    private func checkCanPay(now: UInt64, scheme wanted: PaymentScheme) -> RemitError? {
        if let pending {
            return RemitError(.channelPaymentPending, "payment \(pending.sequence) on channel \(terms.channel) still awaits its receipt")
        }
        switch phase {
        case .closed: return RemitError(.channelClosed, "channel \(terms.channel) is settled")
        case .closing: return RemitError(.channelClosing, "channel \(terms.channel) is closing")
        case .open: break
        }
        if now >= expiresAt { return RemitError(.channelExpired, "channel \(terms.channel) expired at \(expiresAt)") }
        if let scheme, scheme != wanted {
            return RemitError(.channelSchemeMismatch, "channel \(terms.channel) is paid by \(scheme.rawValue)s")
        }
        return nil
    }

    private func required(_ maxPrice: Amount) -> Amount { Amount(uncheckedUnits: max(0, maxPrice.units - credit.units)) }

    private func checkLimits(newAuthorized: Int64, limit: Amount?) -> RemitError? {
        if newAuthorized > deposit.units {
            return RemitError(.channelOverDeposit, "paying would authorise \(Amount(uncheckedUnits: newAuthorized)) credits, past the deposit \(deposit)")
        }
        if let limit, newAuthorized > limit.units {
            return RemitError(.channelOverLimit, "paying would authorise \(Amount(uncheckedUnits: newAuthorized)) credits, past the policy limit \(limit)")
        }
        return nil
    }

    private mutating func payVoucher(requestDigest: Digest32, maxPrice: Amount, now: UInt64, limit: Amount?) -> Action {
        if let error = checkCanPay(now: now, scheme: .voucher) { return .refuse(error) }
        let rise = required(maxPrice)
        let (newCumulative, overflow) = cumulative.units.addingReportingOverflow(rise.units)
        if overflow { return .refuse(RemitError(.channelOverDeposit, "voucher amount overflows")) }
        let newAuthorized = authorized.units + rise.units
        if let error = checkLimits(newAuthorized: newAuthorized, limit: limit) { return .refuse(error) }
        scheme = .voucher
        sequence += 1
        cumulative = Amount(uncheckedUnits: newCumulative)
        pending = Pending(sequence: sequence, requestDigest: requestDigest, maxPrice: maxPrice, scheme: .voucher)
        return .signVoucher(Voucher(ledger: terms.ledger, channel: terms.channel, sequence: sequence, cumulative: cumulative, requestDigest: requestDigest))
    }

    private mutating func payTick(requestDigest: Digest32, maxPrice: Amount, now: UInt64, limit: Amount?) -> Action {
        if let error = checkCanPay(now: now, scheme: .tick) { return .refuse(error) }
        guard let chain = terms.hashChain else {
            return .refuse(RemitError(.channelTicksUnavailable, "channel \(terms.channel) has no hash chain"))
        }
        let rise = required(maxPrice)
        let steps = (rise.units + chain.unit.units - 1) / chain.unit.units
        // A query whose price the credit covers still reveals one link, so every payment has its own index.
        let advance = UInt64(max(steps, 1))
        guard tickIndex + advance <= chain.length else {
            return .refuse(RemitError(.channelTicksUnavailable, "the chain has \(chain.length - tickIndex) links left; this payment needs \(advance)"))
        }
        let newAuthorized = authorized.units + steps * chain.unit.units
        if let error = checkLimits(newAuthorized: newAuthorized, limit: limit) { return .refuse(error) }
        scheme = .tick
        tickIndex += advance
        pending = Pending(sequence: tickIndex, requestDigest: requestDigest, maxPrice: maxPrice, scheme: .tick)
        return .revealTick(index: tickIndex)
    }

    private mutating func acceptReceipt(_ receipt: Receipt) -> Action {
        guard let pending else {
            return .refuse(RemitError(.channelReceiptMismatch, "receipt \(receipt.sequence) arrived but no payment awaits one"))
        }
        guard receipt.ledger == terms.ledger, receipt.channel == terms.channel else {
            return .refuse(RemitError(.channelWrongChannel, "receipt names channel \(receipt.channel), expected \(terms.channel)"))
        }
        guard receipt.sequence == pending.sequence, receipt.requestDigest == pending.requestDigest else {
            return .refuse(RemitError(
                .channelReceiptMismatch,
                "receipt for sequence \(receipt.sequence), request \(receipt.requestDigest) does not answer payment \(pending.sequence), request \(pending.requestDigest)"
            ))
        }
        guard receipt.price <= pending.maxPrice else {
            return .refuse(RemitError(.channelReceiptOvercharge, "receipt charges \(receipt.price) credits; the quoted maximum was \(pending.maxPrice)"))
        }
        charged = Amount(uncheckedUnits: charged.units + receipt.price.units)
        self.pending = nil
        return .accepted(price: receipt.price)
    }

    /// Verifies a receipt's signature and field rules under the channel's payee; nil when it is good.
    public static func checkSignature(_ signed: Signed<Receipt>, payee: PublicKey, ledger: LedgerID) -> RemitError? {
        do {
            try signed.verify(ledger: ledger, signer: payee)
            return nil
        } catch {
            let code: RemitError.Code = error.code == .messageInvalidField ? .channelReceiptInvalid : .channelBadSignature
            return RemitError(code, "receipt refused: \(error.message)", cause: error)
        }
    }

    /// Counts a streamed tick payment at its quote until its receipt arrives.
    package mutating func chargeStreamed(_ amount: Amount) {
        charged = Amount(uncheckedUnits: charged.units + amount.units)
        pending = nil
    }

    /// Lowers what is counted as charged by `amount` (a streamed run counted payments at their
    /// quote; the receipts charged less).
    package mutating func refund(_ amount: Amount) {
        charged = Amount(uncheckedUnits: max(0, charged.units - amount.units))
    }

    /// Rebuilds the state of a payer book after a restart.
    package mutating func restore(
        deposit: Amount, expiresAt: UInt64, phase: ChannelPhase, sequence: UInt64, cumulative: Amount,
        tickIndex: UInt64, charged: Amount, pending: Pending?
    ) {
        self.deposit = deposit
        self.expiresAt = expiresAt
        self.phase = phase
        self.sequence = sequence
        self.cumulative = cumulative
        self.tickIndex = tickIndex
        self.charged = charged
        self.pending = pending
        scheme = sequence > 0 ? .voucher : (tickIndex > 0 ? .tick : nil)
    }
}
