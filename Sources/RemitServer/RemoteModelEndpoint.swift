import Foundation
public import RemitChannels
public import RemitCore
public import RemitInference
public import RemitRuntime

/// A priced model on a `remit serve` node, as a ``ModelEndpoint``: the listing from the
/// directory, channel registration with the payee, and paid queries (the payment in
/// `X-Remit-Payment`, the receipt back in `X-Remit-Receipt`, docs/PROTOCOL.md §12).
public struct RemoteModelEndpoint: ModelEndpoint {
    /// The HTTP client.
    public let client: RemitHTTPClient
    /// The model.
    public let model: ModelID

    /// The endpoint of `model` on the server `client` talks to.
    public init(client: RemitHTTPClient, model: ModelID) {
        self.client = client
        self.model = model
    }

    public func listing() async throws(RemitError) -> Signed<Listing> {
        try await client.call("GET", "/v1/models/\(model.hex)", as: HTTPBodies.ModelCard.self).listing
    }

    public func register(channel open: Signed<ChannelOpen>) async throws(RemitError) {
        _ = try await client.call("POST", "/v1/channels", body: open.jsonBytes(pretty: false), as: HTTPBodies.ChannelView.self)
    }

    public func register(topUp: Signed<ChannelTopUp>) async throws(RemitError) {
        _ = try await client.call("POST", "/v1/channels/\(topUp.message.channel.hex)/top-up", body: topUp.jsonBytes(pretty: false),
                                  as: HTTPBodies.ChannelView.self)
    }

    public func query(_ request: ModelRequest, payment: PayerBook.PaymentMessage) async throws(RemitError) -> PaidAnswer {
        let path = "/v1/models/\(model.hex)/query"
        let reply = try await client.send("POST", path, body: MessageJSON.encode(HTTPBodies.Query(request: request), pretty: false),
                                          headers: [(HTTPWire.paymentHeader, HTTPWire.encode(payment: payment))])
        guard reply.status == 200 else { throw RemitHTTPClient.error(reply, method: "POST", path: path) }
        let answer: HTTPBodies.Answer
        do {
            answer = try MessageJSON.decode(HTTPBodies.Answer.self, from: reply.body)
        } catch {
            throw RemitError(.httpBadResponse, "POST \(path): the answer does not decode: \(error.message)")
        }
        return PaidAnswer(answer: answer.answer, receipt: try HTTPWire.decodeReceipt { reply.header($0) })
    }

    public func close(channel: ChannelID) async throws(RemitError) {
        _ = try await client.call("POST", "/v1/channels/\(channel.hex)/close", as: HTTPBodies.ChannelView.self)
    }

    /// A run of queries paid by ticks (`POST /v1/models/{id}/stream`): the answers and one signed
    /// receipt batch for the run; the wallet checks them as it checks an in-process run.
    public func queryStream(_ requests: [ModelRequest], ticks: [Tick]) async throws(RemitError) -> StreamAnswer {
        let body = MessageJSON.encode(HTTPBodies.StreamQuery(requests: requests, ticks: ticks), pretty: false)
        return try await client.call("POST", "/v1/models/\(model.hex)/stream", body: body, as: HTTPBodies.StreamResult.self).decoded()
    }
}

/// A `remit serve` node seen from a client: its ledger and every model it lists.
public struct RemoteMarket: Sendable {
    /// The HTTP client (shut it down when done).
    public let client: RemitHTTPClient
    /// The ledger behind the node.
    public let ledger: RemoteLedgerAccess
    /// One endpoint per listed model.
    public let endpoints: [RemoteModelEndpoint]
    /// The models as the directory shows them.
    public let models: [HTTPBodies.ModelCard]

    /// Connects to the node at `url` (e.g. `http://127.0.0.1:8402`) and lists its models.
    public static func connect(_ url: String, connections: Int = 64) async throws(RemitError) -> RemoteMarket {
        let client = RemitHTTPClient(baseURL: url, connections: connections)
        do {
            let ledger = try await RemoteLedgerAccess.connect(client)
            let models = try await client.call("GET", "/v1/models", as: [HTTPBodies.ModelCard].self)
            return RemoteMarket(client: client, ledger: ledger, endpoints: models.map { RemoteModelEndpoint(client: client, model: $0.id) },
                                models: models)
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
