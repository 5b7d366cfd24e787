import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RemitChannels
import RemitCore
import RemitCrypto
import RemitLedger
import RemitRuntime
import Synchronization
import HummingbirdCore

/// The routes of `remit serve` (docs/PROTOCOL.md §12 and `/openapi.yaml`): the directory and
/// paid queries, channel registration with the payee, the ledger API and admin routes.
struct RemitRoutes: Sendable {
    let market: ServedMarket
    let settings: MarketConfig.Server
    let models: [ModelID: (owner: ModelOwner, name: String)]
    let names: [String: ModelID]
    let metrics: ServerMetrics
    let limiter: PayerRateLimiter
    let admin: AdminGuard
    let logger: Logger
    let draining: DrainFlag
    /// Cuts off requests past the timeout (its sweeper runs as a service of the server).
    let deadlines: RequestTimeout

    /// The challenge period the payee asks channel opens for (seconds).
    static let challengePeriod: UInt32 = 600

    init(market: ServedMarket, settings: MarketConfig.Server, models: [ModelID: (owner: ModelOwner, name: String)], metrics: ServerMetrics,
         rateClock: @escaping @Sendable () -> Double, logger: Logger) {
        self.market = market
        self.settings = settings
        self.models = models
        var names: [String: ModelID] = [:]
        for (id, model) in models.sorted(by: { $0.key < $1.key }) where names[model.name] == nil { names[model.name] = id }
        self.names = names
        self.metrics = metrics
        limiter = PayerRateLimiter(rate: settings.ratePerPayer, clock: rateClock)
        admin = AdminGuard(operatorKey: market.ledger.genesis.operatorKey, ledger: market.ledger.id)
        self.logger = logger
        draining = DrainFlag()
        deadlines = RequestTimeout(timeout: .seconds(settings.requestTimeoutSeconds))
    }

    /// Builds the router: every route of the API, behind the error and guard middleware.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorMiddleware(metrics: metrics, logger: logger))
        router.add(middleware: BodyLimitMiddleware(maxBodyBytes: settings.maxBodyBytes))
        get(router, "/healthz") { _, _ in health() }
        get(router, "/metrics") { _, _ in Reply.bytes(metrics.exposition(), contentType: "text/plain; version=0.0.4") }
        get(router, "/openapi.yaml") { _, _ in Reply.bytes(Array(OpenAPIDocument.yaml.utf8), contentType: "application/yaml") }
        get(router, "/v1/models") { _, _ in try await listModels() }
        get(router, "/v1/models/{id}") { _, context in try await showModel(try context.parameters.require("id")) }
        post(router, "/v1/models/{id}/query") { request, context in try await query(request, model: try context.parameters.require("id")) }
        post(router, "/v1/models/{id}/stream") { request, context in try await stream(request, model: try context.parameters.require("id")) }
        post(router, "/v1/channels") { request, _ in try await registerChannel(request) }
        get(router, "/v1/channels/{id}") { _, context in try await payeeChannel(try context.parameters.require("id")) }
        post(router, "/v1/channels/{id}/top-up") { request, context in try await registerTopUp(request, channel: try context.parameters.require("id")) }
        post(router, "/v1/channels/{id}/close") { _, context in try await closeChannel(try context.parameters.require("id")) }
        if settings.ledgerAPI { addLedgerRoutes(to: router) }
        post(router, "/v1/admin/faucet") { request, _ in try await faucet(request) }
        post(router, "/v1/admin/checkpoint") { request, _ in try await checkpoint(request) }
        return router
    }

    /// Registers a GET route whose handler runs under the request timeout.
    func get(_ router: Router<BasicRequestContext>, _ path: RouterPath, _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response) {
        on(router, path, .get, handler)
    }

    /// Registers a POST route whose handler runs under the request timeout.
    func post(_ router: Router<BasicRequestContext>, _ path: RouterPath, _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response) {
        on(router, path, .post, handler)
    }

    func on(_ router: Router<BasicRequestContext>, _ path: RouterPath, _ method: HTTPRequest.Method,
            _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response) {
        let deadlines = deadlines
        router.on(path, method: method) { request, context in try await deadlines.run { try await handler(request, context) } }
    }

    func health() -> Response {
        Reply.json(HTTPBodies.Health(status: draining.isDraining ? "draining" : "ok", ledger: market.ledger.id, models: models.count))
    }

    /// A model by hex id or by name.
    func model(_ text: String) throws(RemitError) -> (id: ModelID, owner: ModelOwner) {
        if let id = try? ModelID(hex: text), let model = models[id] { return (id, model.owner) }
        if let id = names[text], let model = models[id] { return (id, model.owner) }
        throw RemitError(.directoryNoModel, "this server hosts no model \(text); GET /v1/models lists them")
    }

    func channelID(_ text: String) throws(RemitError) -> ChannelID {
        do {
            return try ChannelID(hex: text)
        } catch {
            throw RemitError(.httpBadRequest, "channel id \"\(text.prefix(80))\" is not 64 hex digits")
        }
    }

    /// The owner whose payee book holds `channel`.
    func owner(of channel: ChannelID) async throws(RemitError) -> ModelOwner {
        for owner in market.owners where await owner.book.channel(channel) != nil { return owner }
        throw RemitError(.channelUnknown, "no model owner on this server holds channel \(channel); register it with POST /v1/channels")
    }

    func card(_ listing: Signed<Listing>) -> HTTPBodies.ModelCard {
        let message = listing.message
        return HTTPBodies.ModelCard(
            id: message.model, name: message.name, kind: message.kind, owner: AccountID(message.owner).description,
            pricing: HTTPBodies.Pricing(perQuery: message.pricePerQuery, perOutputToken: message.pricePerOutputToken,
                                        maxOutputTokens: message.maxOutputTokens, split: message.split),
            datanets: message.datanets, attributionMethod: message.attributionMethod, tags: message.tags, modelVersion: message.modelVersion,
            listingSequence: message.listingSequence, validUntil: message.validUntil, queryPath: "/v1/models/\(message.model.hex)/query",
            observed: metrics.observed(message.model), listing: listing
        )
    }

    func listModels() async throws -> Response {
        var cards: [HTTPBodies.ModelCard] = []
        for owner in market.owners {
            for listing in await owner.listings() { cards.append(card(listing)) }
        }
        return Reply.json(cards.sorted { $0.name < $1.name })
    }

    func showModel(_ text: String) async throws -> Response {
        let (id, owner) = try model(text)
        return Reply.json(card(try await owner.listing(id)))
    }
}
