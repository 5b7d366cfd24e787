import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import Testing

/// Seeded random interleavings of paid queries, payer crashes (before sending, before reading the
/// receipt), restarts of either book, top-ups and the three ways a channel ends (cooperative claim,
/// unilateral close answered by the payee's claim, a stale claim superseded in the window), each
/// on durable books (SQLite files) and a real ledger. Whatever the interleaving, the payee side is
/// paid exactly what the payee's receipts charged, the payer gets exactly the rest of everything
/// it deposited, both books agree, and the ledger's supply never moves.
@Suite("Channels: seeded interleavings on a real ledger")
struct ChannelPropertyTests {
    /// One interleaving's payer and payee, with what the test expects of them.
    struct Pair {
        let folder: String
        let payerKey: SigningKey
        let payeeKey: SigningKey
        let ledger: LedgerID
        var payer: PayerBook
        var payee: PayeeBook
        var channel: ChannelID
        /// What the payee's receipts charged so far (counted where the payee completes a query).
        var charged = Amount.zero
        /// Everything the payer moved into the channel.
        var deposited = Amount.zero
        /// The query in flight, if the payer crashed around it: its request, quote and the draft to serve.
        var inFlight: (request: Digest32, quote: Amount, draft: ReceiptDraft)?
        var queries = 0

        mutating func restartPayer() throws {
            payer = try PayerBook(path: "\(folder)/payer.sqlite", key: payerKey, ledger: ledger)
        }

        mutating func restartPayee() throws {
            payee = try PayeeBook(path: "\(folder)/payee.sqlite", key: payeeKey, ledger: ledger)
        }
    }

    static let interleavings = 160

    @Test("payee paid exactly what its receipts charged, payer refunded the rest, books agree, supply unchanged", arguments: [1, 2, 3])
    func interleavings(_ shard: UInt64) async throws {
        let market = try await Market(revenue: Market.revenue(perQuery: "0.01", perToken: "0", maxTokens: 0))
        let contributions = await (try Datanet(folder: "\(market.folder)/quotes")).contributions().map(\.contribution.message)
        let quote = market.qa.message.pricePerQuery
        var random = SplitMix64(seed: 0x5EED_0000 + shard)  // the same seed gives the same interleavings everywhere
        var payers: [SigningKey] = []
        var events = 0
        for n in 0..<ChannelPropertyTests.interleavings {
            let folder = Market.temporaryFolder()
            let payerKey = try SigningKey(seed: BLAKE2b.hash(Array("interleaving \(shard) \(n)".utf8)).bytes)
            let funds = try Amount(credits: "1")
            try await fund(market, payerKey.publicKey, funds)
            payers.append(payerKey)
            let payer = try PayerBook(path: "\(folder)/payer.sqlite", key: payerKey, ledger: market.ledger.id)
            let payee = try PayeeBook(path: "\(folder)/payee.sqlite", key: market.ownerKey, ledger: market.ledger.id)
            let deposit = try Amount(units: quote.units * Int64(2 + random.below(6)))
            let open = try await payer.prepareOpen(payee: market.ownerKey.publicKey, deposit: deposit, expiresAt: market.clock.now() + 30 * 86_400,
                                                   challengePeriod: 600)
            try await market.access.openChannel(open)
            _ = try await payee.register(open)
            var pair = Pair(folder: folder, payerKey: payerKey, payeeKey: market.ownerKey, ledger: market.ledger.id, payer: payer, payee: payee,
                            channel: open.message.channel, deposited: deposit)
            var stale: ClaimMaterial?
            for _ in 0..<(6 + random.below(20)) {
                events += 1
                let roll = random.below(100)
                if roll < 50 {
                    try await query(&pair, market: market, quote: quote, contributions: contributions, random: &random, crash: nil)
                } else if roll < 58 {
                    try await query(&pair, market: market, quote: quote, contributions: contributions, random: &random, crash: .beforeSending)
                } else if roll < 66 {
                    try await query(&pair, market: market, quote: quote, contributions: contributions, random: &random, crash: .beforeReceipt)
                } else if roll < 74 {
                    // A crash with nothing in flight: write-behind receipt records may be lost, in
                    // which case the last payment reloads as in flight and is resent (and paid once).
                    try pair.restartPayer()
                    try await resolveInFlight(&pair, market: market)
                } else if roll < 82 {
                    try pair.restartPayee()
                } else if roll < 92 {
                    let amount = try Amount(units: quote.units * Int64(1 + random.below(3)))
                    let expiry = try #require(await pair.payer.channel(pair.channel)).expiresAt
                    let topUp = try await pair.payer.prepareTopUp(pair.channel, amount: amount, newExpiresAt: expiry)
                    try await market.access.topUp(topUp)
                    try await pair.payer.toppedUp(topUp)
                    try await pair.payee.toppedUp(topUp)
                    pair.deposited = try pair.deposited.adding(amount)
                } else if stale == nil, pair.queries > 0 {
                    stale = try await pair.payee.claim(pair.channel, now: market.clock.now())
                }
            }
            try await resolveInFlight(&pair, market: market)
            try await close(&pair, market: market, stale: stale, random: &random)
            let payerState = try #require(await pair.payer.channel(pair.channel))
            let payeeState = try #require(await pair.payee.channel(pair.channel))
            #expect(payeeState.charged == pair.charged, "interleaving \(shard)/\(n): payee book")
            #expect(payerState.charged == pair.charged, "interleaving \(shard)/\(n): payer book")
            #expect(try await market.ledger.channel(pair.channel)?.status == .closed, "interleaving \(shard)/\(n)")
            #expect(try await market.ledger.balance(of: payerKey.publicKey) == (try funds.subtracting(pair.charged)),
                    "interleaving \(shard)/\(n): the payer gets back all it deposited but what receipts charged")
            #expect(try await market.ledger.balance(of: .escrow(pair.channel)) == .zero)
            try? FileManager.default.removeItem(atPath: folder)
        }
        #expect(events > ChannelPropertyTests.interleavings * 6)
        #expect(await market.ledger.verify().ok)
        let everyone = try await total(market, [market.operatorKey, market.ownerKey] + market.contributors + payers)
        #expect(everyone == Market.supply, "every unit is in a user account again, and the supply is what genesis minted")
    }

    enum Crash { case beforeSending, beforeReceipt }

    /// One paid query; with `crash`, the payer dies before sending the voucher or before reading
    /// the receipt, restarts from its book, and finishes the payment from what it persisted.
    func query(_ pair: inout Pair, market: Market, quote: Amount, contributions: [Contribution], random: inout SplitMix64, crash: Crash?) async throws {
        guard let state = await pair.payer.channel(pair.channel), state.remaining >= quote else { return }
        pair.queries += 1
        let request = BLAKE2b.hash(Array("\(pair.channel) query \(pair.queries)".utf8))
        // The charge is at most the quote; what is left stays as prepaid credit on the channel.
        let charge = try Amount(units: quote.units - Int64(random.below(Int(quote.units / 2))))
        let draft = ChannelPropertyTests.draft(market: market, charge: charge, contributions: contributions, n: pair.queries, random: &random)
        let message = try await pair.payer.pay(channel: pair.channel, requestDigest: request, maxPrice: quote, now: market.clock.now())
        guard case .voucher(let voucher) = message else { throw RemitError(.channelSchemeMismatch, "expected a voucher") }
        pair.inFlight = (request, quote, draft)
        if crash == .beforeSending {
            try pair.restartPayer()
            try await resolveInFlight(&pair, market: market)
            return
        }
        switch try await pair.payee.accept(voucher: voucher, requestDigest: request, maxPrice: quote, now: market.clock.now()) {
        case .serve(let payment):
            let receipt = try await pair.payee.complete(payment, draft: draft)
            pair.charged = try pair.charged.adding(charge)
            if crash == .beforeReceipt {
                try pair.restartPayer()
                try await resolveInFlight(&pair, market: market)
                return
            }
            try await pair.payer.accept(receipt: receipt)
        case .resend:
            Issue.record("a fresh voucher was answered as a repeat")
        }
        pair.inFlight = nil
    }

    /// After a payer restart: sends the payment its book holds in flight again, exactly as
    /// persisted; the payee serves it if it never saw it, or resends its receipt.
    func resolveInFlight(_ pair: inout Pair, market: Market) async throws {
        guard let message = await pair.payer.paymentInFlight(pair.channel) else {
            pair.inFlight = nil
            return
        }
        guard case .voucher(let voucher) = message else { throw RemitError(.channelSchemeMismatch, "expected a voucher") }
        let pending = try #require(await pair.payer.channel(pair.channel)?.pending)
        let draft = pair.inFlight?.request == pending.requestDigest ? pair.inFlight?.draft : nil
        switch try await pair.payee.accept(voucher: voucher, requestDigest: pending.requestDigest, maxPrice: pending.maxPrice, now: market.clock.now()) {
        case .serve(let payment):
            let draft = try #require(draft, "the payee never saw a payment the test did not send")
            let receipt = try await pair.payee.complete(payment, draft: draft)
            pair.charged = try pair.charged.adding(draft.price)
            try await pair.payer.accept(receipt: receipt)
        case .resend(let receipt):
            try await pair.payer.accept(receipt: receipt)
        }
        #expect(await pair.payer.paymentInFlight(pair.channel) == nil)
        pair.inFlight = nil
    }

    /// Ends the channel one of three ways and checks the payee side received exactly what was charged.
    func close(_ pair: inout Pair, market: Market, stale: ClaimMaterial?, random: inout SplitMix64) async throws {
        let payeeSide = [market.ownerKey, market.operatorKey] + market.contributors
        let before = try await total(market, payeeSide)
        let now = market.clock.now()
        switch random.below(3) {
        case 0:
            try await market.access.claim(try await pair.payee.claim(pair.channel, now: now))
        default:
            let close = try await pair.payer.prepareClose(pair.channel, mode: .unilateral, now: now)
            try await market.access.close(close)
            let deadline = try #require(try await market.ledger.channel(pair.channel)?.closingDeadline)
            try await pair.payer.closeStarted(pair.channel, deadline: deadline)
            try await pair.payee.closeStarted(pair.channel, deadline: deadline)
            if let stale {
                // An older claim first: the newer one replaces it in the window, and the older one
                // cannot come back.
                try await market.access.claim(stale)
                let newest = try await pair.payee.claim(pair.channel, now: now)
                if newest.claim.message.charged > stale.claim.message.charged {
                    try await market.access.claim(newest)
                    await #expect(throws: RemitError.self) { try await market.access.claim(stale) }
                }
            } else {
                try await market.access.claim(try await pair.payee.claim(pair.channel, now: now))
            }
            market.clock.advance(to: deadline + 1)
            try await market.access.finalize(pair.channel)
        }
        try await pair.payee.settled(pair.channel)
        try await pair.payer.settled(pair.channel)
        let after = try await total(market, payeeSide)
        #expect(after == (try before.adding(pair.charged)), "the payee side receives exactly what its receipts charged")
    }

    /// A receipt draft for the listed question-answering model crediting one to three registered contributions.
    static func draft(market: Market, charge: Amount, contributions: [Contribution], n: Int, random: inout SplitMix64) -> ReceiptDraft {
        var picked: [Contribution] = []
        for _ in 0..<(1 + random.below(3)) {
            let c = contributions[random.below(contributions.count)]
            if !picked.contains(where: { $0.contribution == c.contribution }) { picked.append(c) }
        }
        picked.sort { $0.contribution < $1.contribution }
        var weights = picked.map { _ in UInt16(1 + random.below(100)) }
        let sum = weights.reduce(0) { $0 + Int($1) }
        weights = weights.map { UInt16(Int($0) * 10_000 / sum) }
        weights[0] += UInt16(10_000 - weights.reduce(0) { $0 + Int($1) })
        let listing = market.qa.message
        return ReceiptDraft(
            responseDigest: BLAKE2b.hash(Array("answer \(n)".utf8)), model: listing.model, modelVersion: listing.modelVersion,
            listingSequence: listing.listingSequence, price: charge, outputTokens: 0, coverageBps: 10_000,
            attribution: zip(picked, weights).map { AttributionEntry(contribution: $0.contribution, contributor: $0.contributor, weightBps: $1) }
        )
    }

    func fund(_ market: Market, _ account: PublicKey, _ amount: Amount) async throws {
        let nonce = try await market.ledger.nonce(of: market.operatorKey.publicKey) + 1
        let transfer = Transfer(ledger: market.ledger.id, from: market.operatorKey.publicKey, to: account, amount: amount, nonce: nonce, memo: "fund")
        try await market.access.transfer(Signed(signing: transfer, with: market.operatorKey))
    }

    func total(_ market: Market, _ keys: [SigningKey]) async throws -> Amount {
        var sum = Amount.zero
        for key in keys { sum = try sum.adding(try await market.ledger.balance(of: key.publicKey)) }
        return sum
    }
}

extension SplitMix64 {
    /// A uniform integer in `0..<n`.
    mutating func below(_ n: Int) -> Int { Int(uniform(below: UInt64(n))) }
}
