import RemitChannels
import RemitCore
import RemitCrypto
import Testing

@Suite("Payee state machine")
struct PayeeChannelTests {
    let f = Fixture()

    func fresh() throws -> PayeeChannel { try PayeeChannel(open: f.open, ledger: f.ledger, payee: f.payee.publicKey) }

    /// A channel that has accepted and served voucher 1 (0.1 credits, price 0.1).
    func afterOne() throws -> PayeeChannel {
        var state = try fresh()
        guard case .serve = state.handle(.voucher(f.voucher(1, "0.1", request: f.request(1)), requestDigest: f.request(1), maxPrice: f.credits("0.1"), now: f.now)) else {
            Issue.record("voucher 1 was not accepted")
            return state
        }
        _ = state.handle(.served(sequence: 1, price: f.credits("0.1")))
        return state
    }

    /// Applies `event` and expects a refusal with `code` and an unchanged state.
    func expectRefusal(_ state: PayeeChannel, _ event: PayeeChannel.Event, _ code: RemitError.Code, sourceLocation: SourceLocation = #_sourceLocation) {
        var copy = state
        let action = copy.handle(event)
        guard case .refuse(let error) = action else {
            Issue.record("expected refusal \(code), got \(action)", sourceLocation: sourceLocation)
            return
        }
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        #expect(copy == state, "a refused event changed the state", sourceLocation: sourceLocation)
    }

    @Test("a good voucher is served and charged; credit and totals add up")
    func happyPath() throws {
        var state = try afterOne()
        #expect(state.authorized == f.credits("0.1"))
        #expect(state.charged == f.credits("0.1"))
        #expect(state.credit == .zero)
        let action = state.handle(.voucher(f.voucher(2, "0.3", request: f.request(2)), requestDigest: f.request(2), maxPrice: f.credits("0.2"), now: f.now))
        guard case .serve(let payment) = action else { Issue.record("not served: \(action)"); return }
        #expect(payment.sequence == 2)
        #expect(state.reserved == f.credits("0.2"))
        #expect(state.handle(.served(sequence: 2, price: f.credits("0.15"))) == .record(sequence: 2, price: f.credits("0.15")))
        #expect(state.charged == f.credits("0.25"))
        #expect(state.credit == f.credits("0.05"))
    }

    @Test("rule: a sequence not above the last is refused (channel.sequence_not_above)")
    func sequence() throws {
        let state = try afterOne()
        expectRefusal(state, .voucher(f.voucher(1, "0.2", request: f.request(9)), requestDigest: f.request(9), maxPrice: f.credits("0.1"), now: f.now), .channelSequenceNotAbove)
        expectRefusal(state, .voucher(f.voucher(0 + 1, "0.5", request: f.request(8)), requestDigest: f.request(8), maxPrice: f.credits("0.1"), now: f.now), .channelSequenceNotAbove)
    }

    @Test("rule: a cumulative amount that does not rise by the quoted price is refused (channel.amount_too_low)")
    func amount() throws {
        let state = try afterOne()
        expectRefusal(state, .voucher(f.voucher(2, "0.15", request: f.request(2)), requestDigest: f.request(2), maxPrice: f.credits("0.1"), now: f.now), .channelAmountTooLow)
        expectRefusal(state, .voucher(f.voucher(2, "0.05", request: f.request(2)), requestDigest: f.request(2), maxPrice: f.credits("0.1"), now: f.now), .channelAmountTooLow)
    }

    @Test("prepaid credit from a per-token charge lowers what the next voucher must add")
    func credit() throws {
        var state = try fresh()
        _ = state.handle(.voucher(f.voucher(1, "1", request: f.request(1)), requestDigest: f.request(1), maxPrice: f.credits("1"), now: f.now))
        _ = state.handle(.served(sequence: 1, price: f.credits("0.4")))
        #expect(state.credit == f.credits("0.6"))
        // The next query quotes at most 1 credit: 0.6 is prepaid, so the voucher must add 0.4.
        expectRefusal(state, .voucher(f.voucher(2, "1.3", request: f.request(2)), requestDigest: f.request(2), maxPrice: f.credits("1"), now: f.now), .channelAmountTooLow)
        guard case .serve = state.handle(.voucher(f.voucher(2, "1.4", request: f.request(2)), requestDigest: f.request(2), maxPrice: f.credits("1"), now: f.now)) else {
            Issue.record("voucher with the credit applied was refused")
            return
        }
    }

    @Test("rule: a total past the deposit is refused (channel.over_deposit)")
    func deposit() throws {
        let state = try afterOne()
        expectRefusal(state, .voucher(f.voucher(2, "10.000000001", request: f.request(2)), requestDigest: f.request(2), maxPrice: f.credits("0.1"), now: f.now), .channelOverDeposit)
    }

    @Test("rule: an expired, closing or closed channel takes no payment")
    func lifecycle() throws {
        let state = try afterOne()
        let voucher = f.voucher(2, "0.2", request: f.request(2))
        expectRefusal(state, .voucher(voucher, requestDigest: f.request(2), maxPrice: f.credits("0.1"), now: f.now + 86_400), .channelExpired)
        var closing = state
        #expect(closing.handle(.closeStarted(deadline: f.now + 3_600)) == .claimBefore(deadline: f.now + 3_600))
        expectRefusal(closing, .voucher(voucher, requestDigest: f.request(2), maxPrice: f.credits("0.1"), now: f.now), .channelClosing)
        var closed = state
        _ = closed.handle(.settled)
        expectRefusal(closed, .voucher(voucher, requestDigest: f.request(2), maxPrice: f.credits("0.1"), now: f.now), .channelClosed)
    }

    @Test("rule: a wrong channel, ledger or payee is refused")
    func addressing() throws {
        let state = try afterOne()
        let otherChannel = ChannelID(BLAKE2b.hash([1]))
        expectRefusal(state, .voucher(f.voucher(2, "0.2", request: f.request(2), channel: otherChannel), requestDigest: f.request(2), maxPrice: f.credits("0.1"), now: f.now), .channelWrongChannel)
        let otherLedger = LedgerID(BLAKE2b.hash([2]))
        expectRefusal(state, .voucher(f.voucher(2, "0.2", request: f.request(2), ledger: otherLedger), requestDigest: f.request(2), maxPrice: f.credits("0.1"), now: f.now), .channelWrongLedger)
        let wrongPayee = #expect(throws: RemitError.self) { try PayeeChannel(open: f.open, ledger: f.ledger, payee: ProtocolVectors.key(0x09).publicKey) }
        #expect(wrongPayee?.code == .channelWrongPayee)
        let wrongLedger = #expect(throws: RemitError.self) { try PayeeChannel(open: f.open, ledger: otherLedger, payee: f.payee.publicKey) }
        #expect(wrongLedger?.code == .channelWrongLedger)
    }

    @Test("rule: a bad signature is refused (channel.bad_signature)")
    func signature() throws {
        let state = try afterOne()
        let forged = f.voucher(2, "0.2", request: f.request(2), signer: ProtocolVectors.key(0x09))
        expectRefusal(state, .voucher(forged, requestDigest: f.request(2), maxPrice: f.credits("0.1"), now: f.now), .channelBadSignature)
        let good = f.voucher(2, "0.2", request: f.request(2))
        var tampered = good.message
        tampered.cumulative = f.credits("0.3")
        let altered = Signed(message: tampered, signer: good.signer, signature: good.signature)
        expectRefusal(state, .voucher(altered, requestDigest: f.request(2), maxPrice: f.credits("0.1"), now: f.now), .channelBadSignature)
    }

    @Test("rule: a replayed request digest is refused (channel.replayed_request); a mismatched one too")
    func replay() throws {
        let state = try afterOne()
        expectRefusal(state, .voucher(f.voucher(2, "0.2", request: f.request(1)), requestDigest: f.request(1), maxPrice: f.credits("0.1"), now: f.now), .channelReplayedRequest)
        expectRefusal(state, .voucher(f.voucher(2, "0.2", request: f.request(2)), requestDigest: f.request(3), maxPrice: f.credits("0.1"), now: f.now), .channelRequestMismatch)
    }

    @Test("an exact repeat of the newest voucher asks for its receipt to be sent again")
    func retry() throws {
        var state = try afterOne()
        let before = state
        #expect(state.handle(.voucher(f.voucher(1, "0.1", request: f.request(1)), requestDigest: f.request(1), maxPrice: f.credits("0.1"), now: f.now)) == .resend(sequence: 1))
        #expect(state == before)
    }

    @Test("rule: a tick that does not hash to the last link is refused (channel.bad_tick); good ticks pay units")
    func ticks() throws {
        var state = try fresh()
        let unit = f.open.message.hashChain!.unit
        let price = try unit.multiplied(by: 2)
        let good = Tick(ledger: f.ledger, channel: f.channel, index: 2, link: f.chain.link(at: 2))
        guard case .serve = state.handle(.tick(good, requestDigest: f.request(1), maxPrice: price, now: f.now)) else {
            Issue.record("good tick refused")
            return
        }
        _ = state.handle(.served(sequence: 2, price: price))
        #expect(state.authorized == price)
        let forged = Tick(ledger: f.ledger, channel: f.channel, index: 4, link: BLAKE2b.hash([4]))
        expectRefusal(state, .tick(forged, requestDigest: f.request(2), maxPrice: price, now: f.now), .channelBadTick)
        let replayed = Tick(ledger: f.ledger, channel: f.channel, index: 2, link: f.chain.link(at: 2))
        expectRefusal(state, .tick(replayed, requestDigest: f.request(2), maxPrice: price, now: f.now), .channelSequenceNotAbove)
        let short = Tick(ledger: f.ledger, channel: f.channel, index: 3, link: f.chain.link(at: 3))
        expectRefusal(state, .tick(short, requestDigest: f.request(2), maxPrice: price, now: f.now), .channelAmountTooLow)
        expectRefusal(state, .voucher(f.voucher(1, "0.1", request: f.request(3)), requestDigest: f.request(3), maxPrice: f.credits("0.1"), now: f.now), .channelSchemeMismatch)
        let beyond = Tick(ledger: f.ledger, channel: f.channel, index: 5_001, link: BLAKE2b.hash([5]))
        expectRefusal(state, .tick(beyond, requestDigest: f.request(2), maxPrice: price, now: f.now), .channelTicksUnavailable)
    }

    @Test("a served price above the quote is refused; top-ups must follow the deposit")
    func serveAndTopUp() throws {
        var state = try fresh()
        _ = state.handle(.voucher(f.voucher(1, "0.1", request: f.request(1)), requestDigest: f.request(1), maxPrice: f.credits("0.1"), now: f.now))
        expectRefusal(state, .served(sequence: 1, price: f.credits("0.2")), .channelReceiptOvercharge)
        expectRefusal(state, .served(sequence: 7, price: f.credits("0.1")), .channelReceiptMismatch)
        let bad = Signed(signing: ChannelTopUp(ledger: f.ledger, channel: f.channel, amount: f.credits("1"), newDeposit: f.credits("12"), newExpiresAt: f.now + 86_400), with: f.payer)
        expectRefusal(state, .toppedUp(bad), .channelBadTopUp)
        let good = Signed(signing: ChannelTopUp(ledger: f.ledger, channel: f.channel, amount: f.credits("1"), newDeposit: f.credits("11"), newExpiresAt: f.now + 2 * 86_400), with: f.payer)
        #expect(state.handle(.toppedUp(good)) == .updated)
        #expect(state.deposit == f.credits("11"))
        expectRefusal(state, .toppedUp(good), .channelBadTopUp)
    }
}
