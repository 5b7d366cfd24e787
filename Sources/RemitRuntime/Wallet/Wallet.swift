import Foundation
public import Logging
public import RemitChannels
public import RemitCore
public import RemitCrypto
public import RemitInference

/// An agent's wallet: it finds the model, enforces the spending policy before anything is signed,
/// opens, reuses and tops up payment channels, pays, checks every receipt, and records it. Agent
/// code never touches a channel.
///
/// A receipt is checked for its signature, that it answers the payment (sequence, request
/// digest), its price (within the quote and equal to the listing's price for the output it
/// states), the model and listing it names, that its attribution weights sum to 10000, that its
/// response digest is the answer's, and the policy's minimum coverage. A model whose receipt
/// fails any check is not paid again.
public actor Wallet {
    /// The agent's key (payer).
    public nonisolated let key: SigningKey
    /// The ledger channels are opened on.
    public nonisolated let ledger: any LedgerAccess
    /// The payer's channel book.
    public nonisolated let book: PayerBook
    /// The spending policy, enforced.
    public nonisolated let policy: PolicyEngine
    /// Listings known to this wallet.
    public nonisolated let directory: Directory
    /// Where events go.
    public nonisolated let events: EventSink
    /// How channels are paid.
    public nonisolated let scheme: PaymentScheme
    private let logger: Logger
    var endpoints: [ModelID: any ModelEndpoint] = [:]
    var untrusted: [ModelID: String] = [:]
    var lastUse: [ChannelID: UInt64] = [:]
    let locks = KeyedLocks<PublicKey>()

    /// A wallet for `key` over the payer book at `bookPath` (nil: in memory, for simulations).
    public init(
        key: SigningKey, ledger: any LedgerAccess, bookPath: String?, policy: SpendingPolicy, directory: Directory,
        events: EventSink, scheme: PaymentScheme = .voucher, chainSeeds: PayerBook.ChainSeeds = .random,
        logger: Logger = Logger(label: "remit.wallet")
    ) async throws {
        self.key = key
        self.ledger = ledger
        self.directory = directory
        self.events = events
        self.scheme = scheme
        self.logger = logger
        book = try PayerBook(path: bookPath, key: key, ledger: ledger.ledgerID, chainSeeds: chainSeeds)
        var spent = Amount.zero
        for channel in await book.allChannels() { spent = try spent.adding(channel.charged) }
        self.policy = PolicyEngine(policy: policy, spent: spent)
    }

    /// Makes a model reachable: fetches and checks its listing and adds it to the directory.
    @discardableResult
    public func add(endpoint: any ModelEndpoint) async throws(RemitError) -> Signed<Listing> {
        let listing = try await endpoint.listing()
        try await directory.add(listing, now: await ledger.now())
        endpoints[listing.message.model] = endpoint
        return listing
    }

    /// Models refused after a bad receipt, with the reason.
    public func untrustedModels() -> [ModelID: String] { untrusted }

    /// The wallet's balance on the ledger (outside channels).
    public func balance() async throws(RemitError) -> Amount { try await ledger.balance(of: key.publicKey) }

    /// Asks `model` and pays for the answer. Throws ``RemitError/Code/policyRefused`` (nothing
    /// signed), a channel or ledger error, or ``RemitError/Code/walletBadReceipt`` (the model is
    /// then not paid again).
    public nonisolated func query(model: ModelID, request: ModelRequest) async throws(RemitError) -> PaidAnswer {
        let now = await ledger.now()
        let (endpoint, listing) = try await resolve(model, now: now)
        let quote = try Pricing.quote(request, listing: listing.message)
        let name = listing.message.name
        events.emit(AgentEvent(time: now, agent: events.agent, kind: .quote, model: name, amount: quote))
        let reservation: PolicyEngine.Reservation
        do {
            reservation = try await policy.authorize(listing: listing.message, maxPrice: quote, now: now)
        } catch {
            events.emit(AgentEvent(time: now, agent: events.agent, kind: .refusal, model: name, amount: quote, code: error.code.rawValue, message: error.message))
            throw error
        }
        // One payment at a time per payee: its channels' credit is then always known exactly.
        do {
            return try await locks.withLock(listing.message.owner) { () async throws(RemitError) -> PaidAnswer in
                try await self.pay(request, endpoint: endpoint, listing: listing, quote: quote, reservation: reservation)
            }
        } catch {
            events.emit(AgentEvent(time: await ledger.now(), agent: events.agent, kind: .refusal, model: name, amount: quote,
                                   code: error.code.rawValue, message: error.message))
            throw error
        }
    }

    private func resolve(_ model: ModelID, now: UInt64) async throws(RemitError) -> (any ModelEndpoint, Signed<Listing>) {
        if let reason = untrusted[model] {
            throw RemitError(.walletUntrustedModel, "model \(model) is not paid any more: \(reason)")
        }
        guard let endpoint = endpoints[model] else {
            throw RemitError(.directoryNoModel, "the wallet knows no endpoint for model \(model); add it first")
        }
        if let listing = await directory.listing(model, now: now) { return (endpoint, listing) }
        // Stale in the directory: fetch the owner's current listing.
        let listing = try await endpoint.listing()
        try await directory.add(listing, now: now)
        return (endpoint, listing)
    }

    /// The paid part of a query, with the payee's lock held.
    private nonisolated func pay(
        _ request: ModelRequest, endpoint: any ModelEndpoint, listing: Signed<Listing>, quote: Amount, reservation: PolicyEngine.Reservation
    ) async throws(RemitError) -> PaidAnswer {
        let channel: ChannelID
        do {
            channel = try await channelFor(payee: listing.message.owner, quote: quote, endpoint: endpoint, model: listing.message.name)
        } catch {
            await policy.release(reservation)
            throw error
        }
        let digest = request.digest
        let now = await ledger.now()
        let payment: PayerBook.PaymentMessage
        do {
            payment = try await book.pay(channel: channel, requestDigest: digest, maxPrice: quote, now: now, scheme: scheme)
        } catch {
            await policy.release(reservation)
            throw error
        }
        let sequence: UInt64 = switch payment {
        case .voucher(let v): v.message.sequence
        case .tick(let t): t.index
        }
        events.emit(AgentEvent(time: now, agent: events.agent, kind: .payment, model: listing.message.name, channel: channel.hex,
                               sequence: sequence, amount: quote))
        let started = ContinuousClock.now
        let paid: PaidAnswer
        do {
            paid = try await endpoint.query(request, payment: payment)
        } catch {
            // No receipt: the payment's amount stays authorised and becomes credit for the next query.
            try? await book.abandon(channel)
            await policy.release(reservation)
            await directory.record(model: listing.message.model, latencyMilliseconds: milliseconds(since: started), goodReceipt: false)
            throw error
        }
        do {
            try await check(paid, request: request, listing: listing.message, quote: quote)
            switch paid.receipt {
            case .signed(let signed): try await book.accept(receipt: signed)
            case .batched(let batched): try await book.accept(batched: batched)
            }
        } catch {
            await distrust(listing.message, channel: channel, reason: error.message)
            try? await book.abandon(channel)
            // The payee may still claim up to the quote with what it holds: count it as spent.
            await policy.settle(reservation, charged: quote)
            await directory.record(model: listing.message.model, latencyMilliseconds: milliseconds(since: started), goodReceipt: false)
            throw RemitError(.walletBadReceipt, "receipt from \(listing.message.name) refused: \(error.message)", cause: error)
        }
        let receipt = paid.receipt.receipt
        await policy.settle(reservation, charged: receipt.price)
        await directory.record(model: listing.message.model, latencyMilliseconds: milliseconds(since: started), goodReceipt: true)
        await touch(channel, now: now)
        events.emit(AgentEvent(time: now, agent: events.agent, kind: .receipt, model: listing.message.name, channel: channel.hex,
                               sequence: receipt.sequence, amount: receipt.price, contributors: ContributorCredit.of(receipt)))
        return paid
    }

    /// Asks `model` many queries paid by one run of ticks (the wallet must pay by ticks): each
    /// request's quote is reserved under the policy in order (the run stops at the first the
    /// policy refuses), the run is paid, answered and receipted under one signed batch root,
    /// and every receipt is checked as for single queries. Returns the paid answers in order.
    public nonisolated func queryStream(model: ModelID, requests: [ModelRequest]) async throws(RemitError) -> [PaidAnswer] {
        guard scheme == .tick else { throw RemitError(.modelStreamUnsupported, "streamed runs are paid by ticks; this wallet pays by vouchers") }
        guard !requests.isEmpty else { return [] }
        let now = await ledger.now()
        let (endpoint, listing) = try await resolve(model, now: now)
        let name = listing.message.name
        var quotes: [Amount] = []
        var reservations: [PolicyEngine.Reservation] = []
        for request in requests {
            let quote = try Pricing.quote(request, listing: listing.message)
            do {
                reservations.append(try await policy.authorize(listing: listing.message, maxPrice: quote, now: now))
                quotes.append(quote)
            } catch {
                events.emit(AgentEvent(time: now, agent: events.agent, kind: .refusal, model: name, amount: quote, code: error.code.rawValue, message: error.message))
                if reservations.isEmpty { throw error }
                break
            }
        }
        let paid = Array(requests.prefix(quotes.count))
        let total = try Amount.sum(quotes)
        let reserved = reservations
        let quoted = quotes
        events.emit(AgentEvent(time: now, agent: events.agent, kind: .quote, model: name, amount: total, message: "stream of \(paid.count)"))
        do {
            return try await locks.withLock(listing.message.owner) { () async throws(RemitError) -> [PaidAnswer] in
                try await self.payStream(paid, quotes: quoted, reservations: reserved, endpoint: endpoint, listing: listing)
            }
        } catch {
            if error.code != .walletBadReceipt {
                for reservation in reserved { await policy.release(reservation) }
            }
            events.emit(AgentEvent(time: await ledger.now(), agent: events.agent, kind: .refusal, model: name, amount: total,
                                   code: error.code.rawValue, message: error.message))
            throw error
        }
    }

    private nonisolated func payStream(
        _ requests: [ModelRequest], quotes: [Amount], reservations: [PolicyEngine.Reservation], endpoint: any ModelEndpoint, listing: Signed<Listing>
    ) async throws(RemitError) -> [PaidAnswer] {
        let total = try Amount.sum(quotes)
        let unit = quotes.min() ?? total
        let channel = try await channelFor(payee: listing.message.owner, quote: total, endpoint: endpoint, model: listing.message.name, tickUnit: unit)
        let now = await ledger.now()
        let ticks = try await book.payTicks(channel: channel, requests: zip(requests, quotes).map { ($0.digest, $1) }, now: now)
        guard ticks.count == requests.count else {
            throw RemitError(.channelOverDeposit, "the channel paid \(ticks.count) of \(requests.count) streamed requests")
        }
        events.emit(AgentEvent(time: now, agent: events.agent, kind: .payment, model: listing.message.name, channel: channel.hex,
                               sequence: ticks.last?.index, amount: total))
        let started = ContinuousClock.now
        let streamed = try await endpoint.queryStream(requests, ticks: ticks)
        let answered = streamed.run.receipts.count
        var answers: [PaidAnswer] = []
        do throws(RemitError) {
            guard answered == streamed.answers.count, answered <= requests.count else {
                throw RemitError(.walletBadReceipt, "the run holds \(answered) receipts for \(streamed.answers.count) answers")
            }
            for index in 0..<answered {
                let batched = BatchedReceipt(receipt: streamed.run.receipts[index], proof: MerkleProof(leafIndex: 0, treeSize: 0, path: []), batch: streamed.run.batch)
                let paid = PaidAnswer(answer: streamed.answers[index], receipt: .batched(batched))
                try await check(paid, request: requests[index], listing: listing.message, quote: quotes[index])
                answers.append(paid)
            }
            try await book.accept(run: streamed.run)
        } catch {
            await distrust(listing.message, channel: channel, reason: error.message)
            for (reservation, quote) in zip(reservations, quotes) { await policy.settle(reservation, charged: quote) }
            await directory.record(model: listing.message.model, latencyMilliseconds: milliseconds(since: started), goodReceipt: false)
            throw RemitError(.walletBadReceipt, "receipts from \(listing.message.name) refused: \(error.message)", cause: error)
        }
        for (index, reservation) in reservations.enumerated() {
            await policy.settle(reservation, charged: index < answered ? streamed.run.receipts[index].price : .zero)
        }
        await directory.record(model: listing.message.model, latencyMilliseconds: milliseconds(since: started), goodReceipt: true)
        await touch(channel, now: now)
        events.emit(AgentEvent(time: now, agent: events.agent, kind: .receipt, model: listing.message.name, channel: channel.hex,
                               sequence: streamed.run.batch.message.lastSequence, amount: streamed.run.batch.message.total,
                               message: "\(answered) receipts under one batch"))
        return answers
    }

    /// The wallet's own checks of a receipt, before the channel book's (signature, sequence, request).
    private nonisolated func check(_ paid: PaidAnswer, request: ModelRequest, listing: Listing, quote: Amount) async throws(RemitError) {
        let receipt = paid.receipt.receipt
        func refuse(_ rule: String) -> RemitError { RemitError(.walletBadReceipt, rule) }
        guard receipt.model == listing.model else { throw refuse("it names model \(receipt.model), not \(listing.model)") }
        guard receipt.modelVersion == listing.modelVersion else { throw refuse("it names model version \(receipt.modelVersion), the listing \(listing.modelVersion)") }
        guard receipt.listingSequence == listing.listingSequence else {
            throw refuse("it is priced under listing \(receipt.listingSequence), the listing paid is \(listing.listingSequence)")
        }
        guard receipt.requestDigest == request.digest else { throw refuse("it answers request \(receipt.requestDigest), not the request sent") }
        guard receipt.responseDigest == paid.answer.responseDigest, receipt.outputTokens == paid.answer.outputTokens else {
            throw refuse("its response digest or token count does not match the answer received")
        }
        let expected = try Pricing.charge(request, listing: listing, outputTokens: receipt.outputTokens)
        guard receipt.price == expected else {
            throw refuse("it charges \(receipt.price) credits; the listing's price for \(receipt.outputTokens) output tokens is \(expected)")
        }
        guard receipt.price <= quote else { throw refuse("it charges \(receipt.price), above the quote \(quote)") }
        do {
            try receipt.validate()
        } catch {
            throw refuse(error.message)
        }
        try await policy.check(coverageBps: receipt.coverageBps, model: listing.name)
    }

    private func distrust(_ listing: Listing, channel: ChannelID, reason: String) {
        untrusted[listing.model] = reason
        logger.warning("model distrusted", metadata: ["model.name": "\(listing.name)", "reason": "\(reason)"])
    }

    private func touch(_ channel: ChannelID, now: UInt64) { lastUse[channel] = now }

    private nonisolated func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
    }
}

extension RemitError.Code {
    /// A receipt failed the wallet's checks; the model is not paid again.
    public static let walletBadReceipt = Self("wallet.bad_receipt")
    /// A model refused after an earlier bad receipt.
    public static let walletUntrustedModel = Self("wallet.untrusted_model")
    /// Not enough credits on the ledger to open or top up a channel.
    public static let walletInsufficientFunds = Self("wallet.insufficient_funds")
}
