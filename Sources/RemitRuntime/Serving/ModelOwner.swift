import Foundation
public import Logging
public import RemitChannels
public import RemitCore
public import RemitCrypto
public import RemitInference
import RemitLedger

/// A model owner's priced models: their signed listings, the payee book that holds every channel
/// paying the owner, and the host that answers. It serves paid queries (payment checked, answer
/// computed off the cooperative pool, receipt signed, payment and receipt durable, then the
/// answer released) and claims what it was paid on the ledger.
public actor ModelOwner {
    /// The owner's key: signs listings, receipts and claims.
    public nonisolated let key: SigningKey
    /// The ledger payments settle on.
    public nonisolated let ledger: any LedgerAccess
    /// Every channel paying this owner.
    public nonisolated let book: PayeeBook
    /// Answers queries.
    public nonisolated let host: ModelHost
    private let logger: Logger
    private var models: [ModelID: Hosted] = [:]
    private var served: [ModelID: Int] = [:]

    struct Hosted {
        var listing: Signed<Listing>
        var manifest: ModelManifest
        var policy: RevenuePolicy
    }

    /// Opens the owner's payee book at `bookPath` (nil: in memory, for simulations).
    public init(key: SigningKey, ledger: any LedgerAccess, bookPath: String?, host: ModelHost, logger: Logger = Logger(label: "remit.owner")) throws {
        self.key = key
        self.ledger = ledger
        self.host = host
        self.logger = logger
        book = try PayeeBook(path: bookPath, key: key, ledger: ledger.ledgerID)
    }

    /// Lists the model built in `folder` under `policy`: registers it on the host, signs a listing
    /// (the next listing sequence when the model was listed before) and registers it on the ledger.
    ///
    /// Nodes that serve the same owner on one shared ledger list its models at once when they
    /// start: when another node registered the sequence this one signed, the ledger's newest
    /// listing is read again and adopted if it says the same, else superseded by the next sequence.
    @discardableResult
    public func list(
        folder: String, policy: RevenuePolicy, tags: [String], endpoint: String = "local:", validFor: UInt64 = 30 * 86_400
    ) async throws(RemitError) -> Signed<Listing> {
        let manifest = try await host.register(folder: folder, owner: key.publicKey)
        let id = manifest.modelID(owner: key.publicKey)
        var lost = 0
        while true {
            let previous = try await ledger.listing(model: id, sequence: nil)
            let now = await ledger.now()
            if let previous, ModelOwner.same(previous.message, manifest: manifest, policy: policy, tags: tags, endpoint: endpoint),
               previous.message.validUntil > now + 86_400 {
                // Nothing changed since the ledger's listing (or another node just listed the same): keep it rather than re-list.
                models[id] = Hosted(listing: previous, manifest: manifest, policy: policy)
                return previous
            }
            let listing = Signed(signing: Listing(
                ledger: ledger.ledgerID, owner: key.publicKey, name: manifest.name, kind: manifest.kind.rawValue,
                modelVersion: manifest.modelVersion, listingSequence: (previous?.message.listingSequence ?? 0) + 1, issuedAt: now,
                validUntil: now + validFor, pricePerQuery: policy.pricePerQuery, pricePerOutputToken: policy.pricePerOutputToken,
                maxOutputTokens: policy.maxOutputTokens, split: policy.split, datanets: manifest.datanets,
                attributionMethod: manifest.kind.attributionMethod, tags: tags, endpoint: endpoint
            ), with: key)
            do throws(RemitError) {
                try await ledger.registerListing(listing)
            } catch {
                // Another writer registered this sequence between the read above and this write.
                guard error.code == .ledgerListingSequenceNotAbove, lost < ModelOwner.listingRetries else { throw error }
                lost += 1
                logger.info("listing raced another node; reading the ledger's listing again",
                            metadata: ["model.name": "\(manifest.name)", "listing.sequence": "\(listing.message.listingSequence)"])
                continue
            }
            models[id] = Hosted(listing: listing, manifest: manifest, policy: policy)
            logger.info("listed model", metadata: ["model.name": "\(manifest.name)", "model.id": "\(id)", "listing.sequence": "\(listing.message.listingSequence)"])
            return listing
        }
    }

    /// How many times ``list(folder:policy:tags:endpoint:validFor:)`` reads the ledger again after
    /// losing a race for a listing sequence before it gives up.
    static let listingRetries = 8

    static func same(_ listing: Listing, manifest: ModelManifest, policy: RevenuePolicy, tags: [String], endpoint: String) -> Bool {
        listing.modelVersion == manifest.modelVersion && listing.kind == manifest.kind.rawValue && listing.datanets == manifest.datanets
            && listing.pricePerQuery == policy.pricePerQuery && listing.pricePerOutputToken == policy.pricePerOutputToken
            && listing.maxOutputTokens == policy.maxOutputTokens && listing.split == policy.split && listing.tags == tags
            && listing.endpoint == endpoint
    }

    /// Re-lists a model at a new price (a pricing strategy moving the price); the split and
    /// everything else stay. Receipts name the listing sequence they were priced under.
    @discardableResult
    public func reprice(_ model: ModelID, pricePerQuery: Amount, pricePerOutputToken: Amount? = nil) async throws(RemitError) -> Signed<Listing> {
        guard var hosted = models[model] else { throw RemitError(.directoryNoModel, "this owner lists no model \(model)") }
        var message = hosted.listing.message
        let now = await ledger.now()
        message.pricePerQuery = pricePerQuery
        if let pricePerOutputToken { message.pricePerOutputToken = pricePerOutputToken }
        message.listingSequence += 1
        message.issuedAt = now
        message.validUntil = max(message.validUntil, now + 86_400)
        let listing = Signed(signing: message, with: key)
        try await ledger.registerListing(listing)
        hosted.listing = listing
        models[model] = hosted
        return listing
    }

    /// The current listing of a model.
    public func listing(_ model: ModelID) throws(RemitError) -> Signed<Listing> {
        guard let hosted = models[model] else { throw RemitError(.directoryNoModel, "this owner lists no model \(model)") }
        return hosted.listing
    }

    /// Every current listing.
    public func listings() -> [Signed<Listing>] { models.values.map(\.listing).sorted { $0.message.model < $1.message.model } }

    /// Queries served per model since start.
    public func servedCounts() -> [ModelID: Int] { served }

    /// Starts accepting a channel once the ledger holds its escrow for this owner.
    public func register(channel open: Signed<ChannelOpen>) async throws(RemitError) {
        guard let state = try await ledger.channel(open.message.channel), state.status == .open else {
            throw RemitError(.channelUnknown, "the ledger holds no open channel \(open.message.channel); open it on the ledger first")
        }
        guard state.payee == key.publicKey, state.payer == open.message.payer, state.deposit >= open.message.deposit else {
            throw RemitError(.channelWrongPayee, "channel \(open.message.channel) on the ledger does not match the open presented")
        }
        try await book.register(open)
    }

    /// Applies a top-up once the ledger shows it.
    public func register(topUp: Signed<ChannelTopUp>) async throws(RemitError) {
        guard let state = try await ledger.channel(topUp.message.channel), state.deposit >= topUp.message.newDeposit else {
            throw RemitError(.channelBadTopUp, "the ledger does not show channel \(topUp.message.channel) topped up to \(topUp.message.newDeposit)")
        }
        try await book.toppedUp(topUp)
    }

    private func hosted(_ model: ModelID) throws(RemitError) -> Hosted {
        guard let hosted = models[model] else { throw RemitError(.directoryNoModel, "this owner lists no model \(model)") }
        return hosted
    }

    private func countServed(_ model: ModelID) { served[model, default: 0] += 1 }

    /// Serves one paid query: checks the request and the payment, answers, signs the receipt,
    /// makes the payment and receipt durable, and returns them. A query whose model fails is
    /// receipted at price 0 (the payer keeps its payment as credit) and the error is thrown.
    public nonisolated func serve(model: ModelID, request: ModelRequest, payment: PayerBook.PaymentMessage) async throws(RemitError) -> PaidAnswer {
        let hosted = try await hosted(model)
        let listing = hosted.listing.message
        try request.validate()
        guard request.acceptedKinds.contains(hosted.manifest.kind) else {
            throw RemitError(.modelBadRequest, "model \(listing.name) is a \(hosted.manifest.kind.rawValue) model; it does not take this request")
        }
        if case .generate(_, let maxTokens, _) = request.input, listing.pricePerOutputToken > .zero, maxTokens > listing.maxOutputTokens {
            throw RemitError(.modelBadRequest, "maxTokens \(maxTokens) is above the listing's maxOutputTokens \(listing.maxOutputTokens)")
        }
        let quote = try Pricing.quote(request, listing: listing)
        let digest = request.digest
        let now = await ledger.now()
        switch payment {
        case .voucher(let voucher):
            switch try await book.accept(voucher: voucher, requestDigest: digest, maxPrice: quote, now: now) {
            case .resend(let receipt):
                // A retry: the answer is recomputed (models are deterministic), nothing is charged again.
                let answer = try await host.answer(model: listing.name, request: request)
                return PaidAnswer(answer: answer, receipt: .signed(receipt))
            case .serve(let accepted):
                let (answer, draft) = try await answer(request, listing: listing, manifest: hosted.manifest, failed: accepted)
                let receipt = try await book.complete(accepted, draft: draft)
                guard let answer else { throw RemitError(.modelFailed, "model \(listing.name) failed; the payment was receipted at 0") }
                await countServed(model)
                return PaidAnswer(answer: answer, receipt: .signed(receipt))
            }
        case .tick(let tick):
            let accepted = try await book.accept(tick: tick, requestDigest: digest, maxPrice: quote, now: now)
            let (answer, draft) = try await answer(request, listing: listing, manifest: hosted.manifest, failed: accepted)
            let batched: BatchedReceipt
            do {
                batched = try await book.complete(tick: accepted, draft: draft)
            } catch let error as RemitError {
                throw error
            } catch {
                throw RemitError(.channelStorageFailed, "receipt batch failed: \(error)")
            }
            guard let answer else { throw RemitError(.modelFailed, "model \(listing.name) failed; the payment was receipted at 0") }
            await countServed(model)
            return PaidAnswer(answer: answer, receipt: .batched(batched))
        }
    }

    /// Serves a streamed run: checks every request and tick first (ticks in order against the
    /// channel's chain), answers the accepted ones (in one trip off the cooperative pool, spread over the cores), and
    /// signs one receipt batch for the run, durable before returning.
    public nonisolated func serveStream(model: ModelID, requests: [ModelRequest], ticks: [Tick]) async throws(RemitError) -> StreamAnswer {
        guard requests.count == ticks.count, !requests.isEmpty, let channel = ticks.first?.channel, ticks.allSatisfy({ $0.channel == channel }) else {
            throw RemitError(.modelBadRequest, "a stream needs one tick per request, all on one channel (\(requests.count) requests, \(ticks.count) ticks)")
        }
        let hosted = try await hosted(model)
        let listing = hosted.listing.message
        var items: [PayeeBook.StreamedPayment] = []
        items.reserveCapacity(requests.count)
        for (request, tick) in zip(requests, ticks) {
            try request.validate()
            guard request.acceptedKinds.contains(hosted.manifest.kind) else {
                throw RemitError(.modelBadRequest, "model \(listing.name) is a \(hosted.manifest.kind.rawValue) model; it does not take this request")
            }
            items.append(PayeeBook.StreamedPayment(tick: tick, requestDigest: request.digest, maxPrice: try Pricing.quote(request, listing: listing)))
        }
        let (payments, refusal) = try await book.accept(stream: items, channel: channel, now: await ledger.now())
        guard !payments.isEmpty else { throw refusal ?? RemitError(.channelReceiptMismatch, "no payment of the stream was accepted") }
        let accepted = Array(requests.prefix(payments.count))
        // One trip to the host for the whole run; a request the model fails gets no answer.
        let results: [ModelAnswer?]
        do {
            results = try await host.answers(model: listing.name, requests: accepted).map { try? $0.get() }
        } catch {
            results = Array(repeating: nil, count: accepted.count)
        }
        var answers: [ModelAnswer] = []
        var drafts: [ReceiptDraft] = []
        for (request, answer) in zip(accepted, results) {
            let price = try answer.map { a throws(RemitError) in try Pricing.charge(request, listing: listing, outputTokens: a.outputTokens) } ?? .zero
            let output = answer ?? ModelAnswer(output: "", outputTokens: 0, coverageBps: 0, attribution: [], explanation: Explanation())
            answers.append(output)
            drafts.append(ReceiptDraft(
                responseDigest: output.responseDigest, model: listing.model, modelVersion: hosted.manifest.modelVersion,
                listingSequence: listing.listingSequence, price: price, outputTokens: output.outputTokens,
                coverageBps: output.coverageBps, attribution: output.attribution
            ))
        }
        let run = try await book.complete(stream: payments, drafts: drafts, channel: channel)
        await countServed(model, by: payments.count)
        return StreamAnswer(answers: answers, run: run, refusal: refusal?.code)
    }

    private func countServed(_ model: ModelID, by count: Int) { served[model, default: 0] += count }

    /// The answer and its receipt draft; a failed model gives no answer and a zero-price draft.
    private nonisolated func answer(
        _ request: ModelRequest, listing: Listing, manifest: ModelManifest, failed payment: PayeeChannel.Payment
    ) async throws(RemitError) -> (ModelAnswer?, ReceiptDraft) {
        do {
            let answer = try await host.answer(model: listing.name, request: request)
            let price = try Pricing.charge(request, listing: listing, outputTokens: answer.outputTokens)
            return (answer, ReceiptDraft(
                responseDigest: answer.responseDigest, model: listing.model, modelVersion: manifest.modelVersion,
                listingSequence: listing.listingSequence, price: price, outputTokens: answer.outputTokens,
                coverageBps: answer.coverageBps, attribution: answer.attribution
            ))
        } catch {
            return (nil, ReceiptDraft(
                responseDigest: .zero, model: listing.model, modelVersion: manifest.modelVersion, listingSequence: listing.listingSequence,
                price: .zero, outputTokens: 0, coverageBps: 0, attribution: []
            ))
        }
    }

    /// Closes a channel cooperatively: submits the claim (newest voucher or tick and every
    /// receipt) and the ledger settles at once.
    public func close(channel id: ChannelID) async throws(RemitError) {
        guard let state = try await ledger.channel(id) else { throw RemitError(.channelUnknown, "the ledger holds no channel \(id)") }
        if state.status == .closed {
            try await book.settled(id)
            return
        }
        let material = try await book.claim(id, now: await ledger.now())
        try await ledger.claim(material)
        if (try await ledger.channel(id))?.status == .closed { try await book.settled(id) }
    }

    /// Closes every open channel that was paid at least once, cooperatively and in batches of
    /// `batchSize` claims per ledger submission (one commit each). Returns the channels the
    /// ledger settled and those it refused, with why; a refused claim leaves its channel as it was.
    public func closeAll(batchSize: Int = 256, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async -> CloseReport {
        var report = CloseReport()
        let now = await ledger.now()
        let ids = await book.allChannels()
            .filter { $0.phase == .open && $0.served > 0 }
            .map(\.terms.channel)
            .sorted()
        let size = max(1, batchSize)
        let batches = stride(from: 0, to: ids.count, by: size).map { Array(ids[$0..<min($0 + size, ids.count)]) }
        // The book builds (reads, roots, signs) the next batch's claims while the ledger settles
        // this one: the two are different actors, so the work overlaps.
        var prepared = batches.isEmpty ? [] : await claims(batches[0], now: now)
        var done = 0
        for index in batches.indices {
            async let following = index + 1 < batches.count ? claims(batches[index + 1], now: now) : []
            var pending: [(ChannelID, ClaimMaterial)] = []
            for (id, outcome) in prepared {
                switch outcome {
                case .success(let material): pending.append((id, material))
                case .failure(let error): report.refused.append((id, error))
                }
            }
            let results: [RemitError?]
            do {
                results = try await ledger.claims(pending.map(\.1))
            } catch {
                results = Array(repeating: error, count: pending.count)
            }
            for ((id, _), refusal) in zip(pending, results) {
                if let refusal {
                    report.refused.append((id, refusal))
                    continue
                }
                do {
                    try await book.settled(id)
                    report.settled.append(id)
                } catch {
                    report.refused.append((id, error))
                }
            }
            done += batches[index].count
            progress(done, ids.count)
            prepared = await following
        }
        return report
    }

    /// The claims of `ids`, each built by the book or the reason it could not be.
    private func claims(_ ids: [ChannelID], now: UInt64) async -> [(ChannelID, Result<ClaimMaterial, RemitError>)] {
        var out: [(ChannelID, Result<ClaimMaterial, RemitError>)] = []
        out.reserveCapacity(ids.count)
        for id in ids {
            do {
                out.append((id, .success(try await book.claim(id, now: now))))
            } catch {
                out.append((id, .failure(error)))
            }
        }
        return out
    }

    /// What ``closeAll(batchSize:progress:)`` did.
    public struct CloseReport: Sendable {
        /// Channels the ledger settled.
        public var settled: [ChannelID] = []
        /// Channels whose claim was refused, with the reason.
        public var refused: [(ChannelID, RemitError)] = []
    }

    /// Keeps every channel safe: answers a unilateral close with a claim before its deadline,
    /// claims channels about to expire, and records channels the ledger closed. Returns the
    /// channels acted on.
    @discardableResult
    public func maintain(expiryMargin: UInt64 = 600) async -> [ChannelID] {
        var acted: [ChannelID] = []
        let now = await ledger.now()
        for channel in await book.allChannels() where channel.phase != .closed {
            let id = channel.terms.channel
            guard let state = try? await ledger.channel(id) else { continue }
            do {
                switch state.status {
                case .closed:
                    try await book.settled(id)
                case .closing:
                    if case .closing = channel.phase {} else { try await book.closeStarted(id, deadline: state.closingDeadline ?? now) }
                    let held = state.held.map { max($0.voucherSequence, $0.tickIndex) } ?? 0
                    let newest = max(channel.voucher?.message.sequence ?? 0, channel.tickIndex)
                    if newest > held, now < (state.closingDeadline ?? 0) {
                        try await ledger.claim(try await book.claim(id, now: now))
                    } else if now >= (state.closingDeadline ?? 0) {
                        try await ledger.finalize(id)
                        try await book.settled(id)
                    }
                case .open:
                    guard state.expiresAt <= now + expiryMargin, channel.served > 0 else { continue }
                    try await close(channel: id)
                }
                acted.append(id)
            } catch {
                logger.warning("channel maintenance failed", metadata: ["channel.id": "\(id)", "error": "\(error)"])
            }
        }
        return acted
    }
}

extension RemitError.Code {
    /// A model failed to answer (the payment was receipted at 0).
    public static let modelFailed = Self("model.failed")
}

/// A model of an owner in this process, as a ``ModelEndpoint``.
public struct LocalModelEndpoint: ModelEndpoint {
    /// The owner.
    public let owner: ModelOwner
    /// The model.
    public let model: ModelID

    /// The endpoint of `model` at `owner`.
    public init(owner: ModelOwner, model: ModelID) {
        self.owner = owner
        self.model = model
    }

    public func listing() async throws(RemitError) -> Signed<Listing> { try await owner.listing(model) }

    public func register(channel open: Signed<ChannelOpen>) async throws(RemitError) { try await owner.register(channel: open) }

    public func register(topUp: Signed<ChannelTopUp>) async throws(RemitError) { try await owner.register(topUp: topUp) }

    public func query(_ request: ModelRequest, payment: PayerBook.PaymentMessage) async throws(RemitError) -> PaidAnswer {
        try await owner.serve(model: model, request: request, payment: payment)
    }

    public func close(channel: ChannelID) async throws(RemitError) { try await owner.close(channel: channel) }

    public func queryStream(_ requests: [ModelRequest], ticks: [Tick]) async throws(RemitError) -> StreamAnswer {
        try await owner.serveStream(model: model, requests: requests, ticks: ticks)
    }
}
