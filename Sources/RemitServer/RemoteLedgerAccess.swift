import Foundation
public import RemitChannels
public import RemitCore
public import RemitCrypto
public import RemitLedger
public import RemitRuntime

/// A ledger behind a `remit serve` node's ledger API, as a ``LedgerAccess``: the wallet and
/// agents use it exactly as they use a ledger in their own process. Writes are the signed
/// messages themselves (docs/PROTOCOL.md §12.5); time is the server's, read once at connect and
/// carried forward on this process's monotonic clock (so a query costs no extra round trip).
public struct RemoteLedgerAccess: LedgerAccess {
    /// The HTTP client.
    public let client: RemitHTTPClient
    public let ledgerID: LedgerID
    /// The ledger's operator key (as the server reports it; checkpoints prove it).
    public let operatorKey: PublicKey
    let serverTime: UInt64
    let connected: ContinuousClock.Instant

    /// Connects: reads the ledger's id, operator and time from `GET /v1/ledger`.
    public static func connect(_ client: RemitHTTPClient) async throws(RemitError) -> RemoteLedgerAccess {
        let info = try await client.call("GET", "/v1/ledger", as: HTTPBodies.LedgerInfo.self)
        return RemoteLedgerAccess(client: client, ledgerID: info.ledger, operatorKey: info.operatorKey, serverTime: info.time,
                                  connected: ContinuousClock.now)
    }

    public func now() async -> UInt64 { serverTime + UInt64((ContinuousClock.now - connected).components.seconds) }

    public func balance(of key: PublicKey) async throws(RemitError) -> Amount {
        try await client.call("GET", "/v1/ledger/accounts/\(AccountID(key))", as: HTTPBodies.AccountInfo.self).balance
    }

    public func channel(_ id: ChannelID) async throws(RemitError) -> ChannelState? {
        let reply = try await client.send("GET", "/v1/ledger/channels/\(id.hex)")
        if reply.status == 404 { return nil }
        guard reply.status == 200 else { throw RemitHTTPClient.error(reply, method: "GET", path: "/v1/ledger/channels/\(id.hex)") }
        return try MessageJSON.decode(ChannelState.self, from: reply.body)
    }

    public func listing(model: ModelID, sequence: UInt64?) async throws(RemitError) -> Signed<Listing>? {
        let path = "/v1/ledger/listings/\(model.hex)" + (sequence.map { "?sequence=\($0)" } ?? "")
        let reply = try await client.send("GET", path)
        if reply.status == 404 { return nil }
        guard reply.status == 200 else { throw RemitHTTPClient.error(reply, method: "GET", path: path) }
        return try Signed<Listing>(json: reply.body, ledger: ledgerID)
    }

    public func transfer(_ transfer: Signed<Transfer>) async throws(RemitError) {
        _ = try await client.call("POST", "/v1/ledger/transfers", body: transfer.jsonBytes(pretty: false), as: AppliedEntry.self)
    }

    public func nextNonce(of key: PublicKey) async throws(RemitError) -> UInt64 {
        try await client.call("GET", "/v1/ledger/accounts/\(AccountID(key))", as: HTTPBodies.AccountInfo.self).nonce + 1
    }

    public func openChannel(_ open: Signed<ChannelOpen>) async throws(RemitError) {
        _ = try await client.call("POST", "/v1/ledger/channels", body: open.jsonBytes(pretty: false), as: AppliedEntry.self)
    }

    public func topUp(_ topUp: Signed<ChannelTopUp>) async throws(RemitError) {
        _ = try await client.call("POST", "/v1/ledger/channels/\(topUp.message.channel.hex)/top-up", body: topUp.jsonBytes(pretty: false),
                                  as: AppliedEntry.self)
    }

    public func claim(_ material: ClaimMaterial) async throws(RemitError) {
        let body = HTTPBodies.Claim(claim: material.claim, voucher: material.voucher, receipts: material.receipts)
        _ = try await client.call("POST", "/v1/ledger/channels/\(material.claim.message.channel.hex)/claim",
                                  body: MessageJSON.encode(body, pretty: false), as: AppliedEntry.self)
    }

    public func close(_ close: Signed<ChannelClose>) async throws(RemitError) {
        _ = try await client.call("POST", "/v1/ledger/channels/\(close.message.channel.hex)/close", body: close.jsonBytes(pretty: false),
                                  as: AppliedEntry.self)
    }

    public func finalize(_ channel: ChannelID) async throws(RemitError) {
        _ = try await client.call("POST", "/v1/ledger/channels/\(channel.hex)/finalize", as: AppliedEntry.self)
    }

    public func registerListing(_ listing: Signed<Listing>) async throws(RemitError) {
        _ = try await client.call("POST", "/v1/ledger/listings", body: listing.jsonBytes(pretty: false), as: AppliedEntry.self)
    }

    public func register(datanetMessages messages: [AnyMessage]) async throws(RemitError) -> Int {
        let body = HTTPBodies.DatanetMessages(messages: messages.map { Data($0.wireBytes).base64EncodedString() })
        return try await client.call("POST", "/v1/ledger/datanet-messages", body: MessageJSON.encode(body, pretty: false),
                                     as: HTTPBodies.Registered.self).applied
    }

    /// Asks the server to move `credits` from the treasury to `account` (`POST /v1/admin/faucet`,
    /// signed with the operator key).
    public func faucet(_ account: PublicKey, credits: String, operatorKey: SigningKey) async throws(RemitError) {
        let body = MessageJSON.encode(HTTPBodies.Faucet(account: AccountID(account).description, credits: credits), pretty: false)
        _ = try await client.admin("/v1/admin/faucet", body: body, ledger: ledgerID, operatorKey: operatorKey, as: AppliedEntry.self)
    }
}
