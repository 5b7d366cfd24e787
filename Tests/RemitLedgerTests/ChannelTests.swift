import RemitCore
import RemitCrypto
@testable import RemitLedger
import Testing

@Suite("ledger: channels")
struct ChannelTests {
    @Test("open escrows the deposit; a cooperative claim pays the split and refunds the rest, exactly", arguments: StoreKind.available)
    func cooperativeSettle(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            let cs = try await f.setUpMarket()
            let open = f.open(deposit: credits("10"))
            try await f.ledger.openChannel(Signed(signing: open, with: f.payer))
            #expect(try await f.ledger.balance(of: .escrow(open.channel)) == credits("10"))
            #expect(try await f.balance(f.payer) == credits("990").units)

            // Two receipts of 0.3 and 0.7 credits; vouchers authorise 1.5 credits in total.
            let r1 = f.receipt(open.channel, sequence: 1, price: credits("0.3"), attribution: [(cs[0], 10_000)])
            let r2 = f.receipt(open.channel, sequence: 2, price: credits("0.7"), coverage: 5_000, attribution: [(cs[1], 2_500), (cs[2], 7_500)])
            let voucher = f.voucher(open.channel, sequence: 2, cumulative: credits("1.5"))
            let applied = try await f.ledger.claim(f.claim(open.channel, voucher: voucher, receipts: [r1, r2]), voucher: voucher, receipts: [r1, r2])
            #expect(applied.kind == .channelSettle)
            #expect(applied.settlement?.charged == credits("1"))
            #expect(applied.settlement?.refund == credits("9"))
            // r1: 0.3 → owner 0.15, contributors 0.12 (all to contributor 0), treasury 0.03.
            // r2: 0.7 → owner 0.35, contributors 0.28 of which 50% covered 0.14 → 0.035 / 0.105, uncovered 0.14 to the owner, treasury 0.07.
            #expect(try await f.balance(f.payee) == credits("0.64").units)
            #expect(try await f.balance(f.contributors[0]) == credits("99.12").units)
            #expect(try await f.balance(f.contributors[1]) == credits("99.035").units)
            #expect(try await f.balance(f.contributors[2]) == credits("99.105").units)
            #expect(try await f.balance(f.payer) == credits("999").units)
            #expect(try await f.ledger.balance(of: .escrow(open.channel)) == .zero)
            let channel = try #require(try await f.ledger.channel(open.channel))
            #expect(channel.status == .closed)
            #expect(channel.closedEntry == applied.sequence)

            let earnings = try await f.ledger.earnings(of: f.contributors[1].publicKey)
            #expect(earnings.total == credits("0.035"))
            #expect(earnings.byDatanet[f.datanetCreate.datanet] == credits("0.035"))
            #expect(earnings.byModel[f.listing().model] == credits("0.035"))
            let owner = try await f.ledger.earnings(of: f.payee.publicKey)
            #expect(owner.total == credits("0.64"))

            // Settles once.
            let twice = await refusal { try await f.ledger.claim(f.claim(open.channel, voucher: voucher, receipts: [r1, r2]), voucher: voucher, receipts: [r1, r2]) }
            #expect(twice?.code == .ledgerChannelState)
            #expect(try await f.supplyHolds())
            #expect(await f.ledger.verify().ok)
        }
    }

    @Test("claims that break a rule are refused with their own code and change nothing", arguments: StoreKind.available)
    func claimRefusals(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            let cs = try await f.setUpMarket()
            let open = f.open(deposit: credits("1"))
            try await f.ledger.openChannel(Signed(signing: open, with: f.payer))
            let head = await f.ledger.head()
            let r1 = f.receipt(open.channel, sequence: 1, price: credits("0.5"), attribution: [(cs[0], 10_000)])
            let v1 = f.voucher(open.channel, sequence: 1, cumulative: credits("0.4"))
            let v2 = f.voucher(open.channel, sequence: 1, cumulative: credits("2"))
            func code(_ claim: Signed<ChannelClaim>, _ voucher: Signed<Voucher>?, _ receipts: [Receipt]) async -> RemitError.Code? {
                await refusal { try await f.ledger.claim(claim, voucher: voucher, receipts: receipts) }?.code
            }
            #expect(await code(f.claim(open.channel, voucher: v1, receipts: [r1]), v1, [r1]) == .ledgerOverAuthorised)
            let big = f.receipt(open.channel, sequence: 1, price: credits("1.5"), attribution: [(cs[0], 10_000)])
            #expect(await code(f.claim(open.channel, voucher: v2, receipts: [big]), v2, [big]) == .ledgerOverDeposit)
            #expect(await code(f.claim(open.channel, voucher: v1, receipts: [r1]), v2, [r1]) == .ledgerVoucherMismatch)
            #expect(await code(f.claim(open.channel, voucher: v1, receipts: [r1]), nil, [r1]) == .ledgerVoucherMismatch)
            let payeeVoucher = Signed(signing: v2.message, with: f.payee)
            #expect(await code(f.claim(open.channel, voucher: payeeVoucher, receipts: [r1]), payeeVoucher, [r1]) == .messageWrongSigner)
            #expect(await code(f.claim(open.channel, voucher: v2, receipts: [r1]), v2, []) == .ledgerReceiptsMismatch)
            let late = f.receipt(open.channel, sequence: 2, price: credits("0.5"), attribution: [(cs[0], 10_000)])
            #expect(await code(f.claim(open.channel, voucher: v2, receipts: [late]), v2, [late]) == .ledgerReceiptInvalid)
            let stranger = Contribution(ledger: f.id, datanet: f.datanetCreate.datanet, contributor: f.payer.publicKey, contentDigest: BLAKE2b.hash([9]),
                                        kind: .text, size: 1, label: "", createdAt: 0)
            let unknown = f.receipt(open.channel, sequence: 1, price: credits("0.5"), attribution: [(stranger, 10_000)])
            #expect(await code(f.claim(open.channel, voucher: v2, receipts: [unknown]), v2, [unknown]) == .ledgerUnknownContribution)
            let impostor = Contribution(ledger: f.id, datanet: cs[0].datanet, contributor: f.payer.publicKey, contentDigest: cs[0].contentDigest,
                                        kind: .text, size: 1, label: "", createdAt: 0)
            let stolen = f.receipt(open.channel, sequence: 1, price: credits("0.5"), attribution: [(impostor, 10_000)])
            #expect(await code(f.claim(open.channel, voucher: v2, receipts: [stolen]), v2, [stolen]) == .ledgerContributorMismatch)
            let unlisted = f.receipt(open.channel, sequence: 1, price: credits("0.5"), attribution: [(cs[0], 10_000)], listingSequence: 9)
            #expect(await code(f.claim(open.channel, voucher: v2, receipts: [unlisted]), v2, [unlisted]) == .ledgerUnknownListing)
            #expect(await code(f.claim(open.channel, voucher: v2, receipts: [r1], by: f.payer), v2, [r1]) == .messageWrongSigner)
            #expect(await code(f.claim(ChannelID(BLAKE2b.hash([7])), voucher: v2, receipts: [r1]), v2, [r1]) == .ledgerUnknownChannel)

            #expect(await f.ledger.head() == head)
            #expect(try await f.ledger.balance(of: .escrow(open.channel)) == credits("1"))
            #expect(try await f.ledger.channel(open.channel)?.status == .open)
        }
    }

    @Test("open and top-up rules: existing id, past expiry, deposit arithmetic, payer only", arguments: StoreKind.available)
    func openAndTopUp(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            try await f.fund(f.payer.publicKey, credits("20"))
            let open = f.open(deposit: credits("10"))
            try await f.ledger.openChannel(Signed(signing: open, with: f.payer))
            #expect(await refusal { try await f.ledger.openChannel(Signed(signing: open, with: f.payer)) }?.code == .ledgerChannelExists)
            let past = f.open(nonce: 2, expiresIn: 0)
            #expect(await refusal { try await f.ledger.openChannel(Signed(signing: past, with: f.payer)) }?.code == .ledgerExpiryNotInFuture)
            let tooBig = f.open(nonce: 3, deposit: credits("11"))
            #expect(await refusal { try await f.ledger.openChannel(Signed(signing: tooBig, with: f.payer)) }?.code == .ledgerInsufficientFunds)

            let topUp = ChannelTopUp(ledger: f.id, channel: open.channel, amount: credits("5"), newDeposit: credits("15"), newExpiresAt: open.expiresAt + 100)
            try await f.ledger.topUp(Signed(signing: topUp, with: f.payer))
            let channel = try #require(try await f.ledger.channel(open.channel))
            #expect(channel.deposit == credits("15"))
            #expect(channel.expiresAt == open.expiresAt + 100)
            #expect(try await f.ledger.balance(of: .escrow(open.channel)) == credits("15"))
            // The same top-up again no longer matches the deposit: it applies once.
            #expect(await refusal { try await f.ledger.topUp(Signed(signing: topUp, with: f.payer)) }?.code == .ledgerTopUpMismatch)
            let earlier = ChannelTopUp(ledger: f.id, channel: open.channel, amount: credits("1"), newDeposit: credits("16"), newExpiresAt: open.expiresAt)
            #expect(await refusal { try await f.ledger.topUp(Signed(signing: earlier, with: f.payer)) }?.code == .ledgerTopUpMismatch)
            let byPayee = ChannelTopUp(ledger: f.id, channel: open.channel, amount: credits("1"), newDeposit: credits("16"), newExpiresAt: open.expiresAt + 100)
            #expect(await refusal { try await f.ledger.topUp(Signed(signing: byPayee, with: f.payee)) }?.code == .messageWrongSigner)
            #expect(try await f.supplyHolds())
        }
    }

    @Test("ticks: the link must hash to the committed root; units count toward what is authorised", arguments: StoreKind.available)
    func ticks(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            let cs = try await f.setUpMarket()
            let chain = HashChain(seed: BLAKE2b.hash(Array("seed".utf8)), length: 100)
            let open = f.open(deposit: credits("1"), chain: chain, unit: credits("0.01"))
            try await f.ledger.openChannel(Signed(signing: open, with: f.payer))
            let receipts = (1...5).map { f.receipt(open.channel, sequence: UInt64($0), price: credits("0.01"), attribution: [(cs[0], 10_000)]) }
            let wrong = TickReference(index: 5, link: chain.link(at: 4))
            #expect(await refusal { try await f.ledger.claim(f.claim(open.channel, voucher: nil, tick: wrong, receipts: receipts), voucher: nil, receipts: receipts) }?.code == .ledgerBadTick)
            let short = TickReference(index: 4, link: chain.link(at: 4))
            #expect(await refusal { try await f.ledger.claim(f.claim(open.channel, voucher: nil, tick: short, receipts: Array(receipts.prefix(4)) + [f.receipt(open.channel, sequence: 4, price: credits("0.02"), attribution: [])]), voucher: nil, receipts: Array(receipts.prefix(3)) + [f.receipt(open.channel, sequence: 4, price: credits("0.02"), attribution: [])]) } != nil)
            let tick = TickReference(index: 5, link: chain.link(at: 5))
            let applied = try await f.ledger.claim(f.claim(open.channel, voucher: nil, tick: tick, receipts: receipts), voucher: nil, receipts: receipts)
            #expect(applied.settlement?.charged == credits("0.05"))
            #expect(try await f.balance(f.payer) == credits("999.95").units)
            #expect(await f.ledger.verify().ok)
        }
    }

    @Test("unilateral close: newer claims replace older ones in the window; finalize pays the newest", arguments: StoreKind.available)
    func dispute(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            let cs = try await f.setUpMarket()
            let open = f.open(deposit: credits("2"), challenge: 600)
            try await f.ledger.openChannel(Signed(signing: open, with: f.payer))
            try await f.ledger.close(f.close(open.channel, by: f.payer, mode: .unilateral))
            #expect(try await f.ledger.channel(open.channel)?.status == .closing)
            let top = ChannelTopUp(ledger: f.id, channel: open.channel, amount: credits("1"), newDeposit: credits("3"), newExpiresAt: open.expiresAt)
            #expect(await refusal { try await f.ledger.topUp(Signed(signing: top, with: f.payer)) }?.code == .ledgerChannelState)
            #expect(await refusal { try await f.ledger.finalize(open.channel) }?.code == .ledgerChallengeRunning)

            let r = (1...3).map { f.receipt(open.channel, sequence: UInt64($0), price: credits("0.1"), attribution: [(cs[0], 10_000)]) }
            let v2 = f.voucher(open.channel, sequence: 2, cumulative: credits("0.2"))
            let v3 = f.voucher(open.channel, sequence: 3, cumulative: credits("0.3"))
            let held = try await f.ledger.claim(f.claim(open.channel, voucher: v2, receipts: Array(r.prefix(2))), voucher: v2, receipts: Array(r.prefix(2)))
            #expect(held.kind == .channelDispute)
            #expect(held.postings.isEmpty)
            let same = await refusal { try await f.ledger.claim(f.claim(open.channel, voucher: v2, receipts: Array(r.prefix(1))), voucher: v2, receipts: Array(r.prefix(1))) }
            #expect(same?.code == .ledgerClaimNotNewer)
            f.clock.advance(by: 300)
            try await f.ledger.claim(f.claim(open.channel, voucher: v3, receipts: r), voucher: v3, receipts: r)
            #expect(try await f.ledger.channel(open.channel)?.held?.voucherSequence == 3)
            f.clock.advance(by: 301)
            let tooLate = await refusal { try await f.ledger.claim(f.claim(open.channel, voucher: v3, receipts: r), voucher: v3, receipts: r) }
            #expect(tooLate?.code == .ledgerChallengeOver)
            let payerBefore = try await f.balance(f.payer)
            let final = try await f.ledger.finalize(open.channel)
            #expect(final.kind == .channelFinalize)
            #expect(final.settlement?.charged == credits("0.3"))
            #expect(try await f.balance(f.payer) == payerBefore + credits("1.7").units)
            #expect(try await f.balance(f.payee) == credits("0.15").units)
            #expect(await refusal { try await f.ledger.finalize(open.channel) }?.code == .ledgerChannelState)
            #expect(try await f.supplyHolds())
            #expect(await f.ledger.verify().ok)
        }
    }

    @Test("finalize without a claim refunds everything; reclaim only after expiry, by the payer", arguments: StoreKind.available)
    func refundAndReclaim(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            try await f.fund(f.payer.publicKey, credits("10"))
            let a = f.open(nonce: 1, deposit: credits("3"), challenge: 10)
            let b = f.open(nonce: 2, deposit: credits("4"), expiresIn: 100)
            try await f.ledger.openChannel(Signed(signing: a, with: f.payer))
            try await f.ledger.openChannel(Signed(signing: b, with: f.payer))
            try await f.ledger.close(f.close(a.channel, by: f.payee, mode: .unilateral))
            f.clock.advance(by: 11)
            let final = try await f.ledger.finalize(a.channel)
            #expect(final.settlement?.refund == credits("3"))
            #expect(await refusal { try await f.ledger.close(f.close(b.channel, by: f.payer, mode: .reclaim)) }?.code == .ledgerNotExpired)
            f.clock.advance(by: 100)
            #expect(await refusal { try await f.ledger.close(f.close(b.channel, by: f.payee, mode: .reclaim)) }?.code == .messageWrongSigner)
            try await f.ledger.close(f.close(b.channel, by: f.payer, mode: .reclaim))
            #expect(try await f.balance(f.payer) == credits("10").units)
            #expect(await refusal { try await f.ledger.close(f.close(b.channel, by: f.payer, mode: .reclaim)) }?.code == .ledgerChannelState)
            #expect(await f.ledger.verify().ok)
        }
    }
}
