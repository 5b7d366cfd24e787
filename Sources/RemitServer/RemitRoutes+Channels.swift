import Hummingbird
import RemitChannels
import RemitCore
import RemitCrypto
import RemitLedger
import RemitRuntime

extension RemitRoutes {
    /// `POST /v1/channels`: the payer tells the payee about a channel the ledger holds; the payee
    /// checks the ledger's escrow itself before accepting payments on it.
    func registerChannel(_ request: Request) async throws -> Response {
        let open = try Signed<ChannelOpen>(json: try await request.bytes(limit: settings.maxBodyBytes), ledger: market.ledger.id)
        guard let owner = market.owners.first(where: { $0.key.publicKey == open.message.payee }) else {
            throw RemitError(.channelWrongPayee, "channel \(open.message.channel) pays \(AccountID(open.message.payee)), who serves no model here")
        }
        try await owner.register(channel: open)
        return Reply.json(try await view(open.message.channel, owner: owner), status: .created)
    }

    /// `POST /v1/channels/{id}/top-up`: the payee applies a top-up the ledger shows.
    func registerTopUp(_ request: Request, channel text: String) async throws -> Response {
        let id = try channelID(text)
        let topUp = try Signed<ChannelTopUp>(json: try await request.bytes(limit: settings.maxBodyBytes), ledger: market.ledger.id)
        guard topUp.message.channel == id else {
            throw RemitError(.channelWrongChannel, "the top-up names channel \(topUp.message.channel), the path \(id)")
        }
        let owner = try await owner(of: id)
        try await owner.register(topUp: topUp)
        return Reply.json(try await view(id, owner: owner))
    }

    /// `POST /v1/channels/{id}/close`: cooperative close; the payee claims and the ledger settles.
    func closeChannel(_ text: String) async throws -> Response {
        let id = try channelID(text)
        let owner = try await owner(of: id)
        try await owner.close(channel: id)
        return Reply.json(try await view(id, owner: owner))
    }

    /// `GET /v1/channels/{id}`: the payee's view of a channel.
    func payeeChannel(_ text: String) async throws -> Response {
        let id = try channelID(text)
        return Reply.json(try await view(id, owner: try await owner(of: id)))
    }

    func view(_ id: ChannelID, owner: ModelOwner) async throws(RemitError) -> HTTPBodies.ChannelView {
        guard let channel = await owner.book.channel(id) else { throw RemitError(.channelUnknown, "the payee holds no channel \(id)") }
        return HTTPBodies.ChannelView(channel: id, phase: channel.phase.description, deposit: channel.deposit, charged: channel.charged,
                                      served: channel.served)
    }
}
