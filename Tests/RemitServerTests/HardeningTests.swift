import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import RemitServer
import Synchronization
import Testing

/// Limits, admin signatures, the directory, metrics and health, over a real loopback socket.
@Suite("HTTP hardening")
struct HardeningTests {
    @Test("a body above the limit is refused with 413 before it is parsed")
    func oversizeBody() async throws {
        let market = try await TestMarket.make { $0.maxBodyBytes = 4_096 }
        let server = try await market.start()
        let qa = try await server.model("fortune-qa")
        let big = ModelRequest(.question(String(repeating: "weather ", count: 1_000), topK: 1))
        let reply = try await server.client.send("POST", "/v1/models/\(qa.message.model.hex)/query",
                                                 body: MessageJSON.encode(HTTPBodies.Query(request: big), pretty: false))
        #expect(reply.status == 413)
        #expect(reply.code == "http.body_too_large")
        let small = try await server.client.send("POST", "/v1/models/\(qa.message.model.hex)/query",
                                                   body: MessageJSON.encode(HTTPBodies.Query(request: ModelRequest(.question("weather", topK: 1))), pretty: false))
        #expect(small.status == 402)
        let malformed = try await server.client.send("POST", "/v1/models/\(qa.message.model.hex)/query", body: Array("{\"request\": 7}".utf8))
        #expect(malformed.status == 400)
        #expect(malformed.code == "message.bad_encoding")
        let unknown = try await server.client.send("GET", "/v1/models/no-such-model")
        #expect(unknown.status == 404)
        #expect(unknown.code == "directory.no_model")
        let noRoute = try await server.client.send("GET", "/v2/nothing")
        #expect(noRoute.status == 404)
        #expect(noRoute.code == "http.not_found")
        try await server.stop()
    }

    @Test("a payer above its rate gets 429 and its payment is not taken")
    func rateLimit() async throws {
        let market = try await TestMarket.make { $0.ratePerPayer = 2 }
        let frozen = Mutex<Double>(0)
        let server = try await market.start(rateClock: { frozen.withLock { $0 } })
        let qa = try await server.model("fortune-qa")
        let payer = try await WirePayer.make(server, operatorKey: try market.operatorKey())
        let channel = try await payer.open(to: qa.message.owner, deposit: "1")
        var statuses: [Int] = []
        var last: PayerBook.PaymentMessage?
        for i in 0..<3 {
            let request = ModelRequest(.question("weather \(i)", topK: 1))
            let quote = try Pricing.quote(request, listing: qa.message)
            let payment = try await payer.book.pay(channel: channel, requestDigest: request.digest, maxPrice: quote, now: await payer.ledger.now(), scheme: .voucher)
            let reply = try await payer.send(request, model: qa.message.model, payment: payment)
            statuses.append(reply.status)
            if reply.status == 200, case .signed(let receipt) = try HTTPWire.decodeReceipt({ reply.header($0) }) {
                try await payer.book.accept(receipt: receipt)
            } else {
                #expect(reply.code == "http.rate_limited")
                last = payment
            }
        }
        #expect(statuses == [200, 200, 429])
        #expect(try await payer.view(channel).served == 2)
        // A second later (on the injected clock) the same payment goes through.
        frozen.withLock { $0 = 1 }
        let retry = try await payer.send(ModelRequest(.question("weather 2", topK: 1)), model: qa.message.model, payment: last!)
        #expect(retry.status == 200)
        try await server.stop()
    }

    @Test("admin routes: operator-signed only; forged, expired and replayed signatures refused")
    func admin() async throws {
        let market = try await TestMarket.make()
        let server = try await market.start()
        let operatorKey = try market.operatorKey()
        let ledger = try await RemoteLedgerAccess.connect(server.client)
        let account = SigningKey().publicKey
        let body = MessageJSON.encode(HTTPBodies.Faucet(account: AccountID(account).description, credits: "2"), pretty: false)
        let now = UInt64(Date().timeIntervalSince1970)
        func post(_ signature: AdminSignature?) async throws -> RemitHTTPClient.Reply {
            try await server.client.send("POST", "/v1/admin/faucet", body: body,
                                         headers: signature.map { [(HTTPWire.adminHeader, $0.headerValue)] } ?? [])
        }
        let missing = try await post(nil)
        #expect(missing.status == 401)
        #expect(missing.code == "admin.unauthorized")
        let forged = try await post(AdminSignature.sign(ledger: ledger.ledgerID, method: "POST", path: "/v1/admin/faucet", body: body, timestamp: now, key: SigningKey()))
        #expect(forged.status == 401)
        #expect(forged.code == "admin.unauthorized")
        let expired = try await post(AdminSignature.sign(ledger: ledger.ledgerID, method: "POST", path: "/v1/admin/faucet", body: body, timestamp: now - 3_600, key: operatorKey))
        #expect(expired.status == 401)
        let otherPath = try await post(AdminSignature.sign(ledger: ledger.ledgerID, method: "POST", path: "/v1/admin/checkpoint", body: body, timestamp: now, key: operatorKey))
        #expect(otherPath.status == 401)
        #expect(try await ledger.balance(of: account) == .zero)
        let good = AdminSignature.sign(ledger: ledger.ledgerID, method: "POST", path: "/v1/admin/faucet", body: body, timestamp: now, key: operatorKey)
        #expect(try await post(good).status == 201)
        let replayed = try await post(good)
        #expect(replayed.status == 409)
        #expect(replayed.code == "admin.replayed")
        #expect(try await ledger.balance(of: account) == (try Amount(credits: "2")))
        let checkpoint = try await server.client.admin("/v1/admin/checkpoint", body: [], ledger: ledger.ledgerID, operatorKey: operatorKey, as: Signed<Checkpoint>.self)
        try checkpoint.verify(ledger: ledger.ledgerID, signer: operatorKey.publicKey)
        let latest = try await server.client.call("GET", "/v1/ledger/checkpoints/latest", as: Signed<Checkpoint>.self)
        #expect(latest == checkpoint)
        let proof = try await server.client.call("GET", "/v1/ledger/proofs/\(checkpoint.message.lastEntry)", as: EntryProof.self)
        _ = try proof.verify(operatorKey: operatorKey.publicKey)
        try await server.stop()
    }

    @Test("directory, health and metrics")
    func directory() async throws {
        let market = try await TestMarket.make()
        let server = try await market.start()
        let cards = try await server.client.call("GET", "/v1/models", as: [HTTPBodies.ModelCard].self)
        #expect(Set(cards.map(\.name)) == ["fortune-qa", "fortune-lm", "fortune-trace", "price-direction"])
        for card in cards {
            try card.listing.verify(ledger: server.market.ledger.id, signer: card.listing.message.owner)
            #expect(card.pricing.perQuery == card.listing.message.pricePerQuery)
            #expect(card.queryPath == "/v1/models/\(card.id.hex)/query")
        }
        let byName = try await server.client.call("GET", "/v1/models/fortune-qa", as: HTTPBodies.ModelCard.self)
        #expect(byName.name == "fortune-qa")
        let health = try await server.client.call("GET", "/healthz", as: HTTPBodies.Health.self)
        #expect(health.status == "ok")
        #expect(health.models == 4)
        _ = try await server.client.send("POST", "\(byName.queryPath)", body: MessageJSON.encode(HTTPBodies.Query(request: ModelRequest(.question("cat", topK: 1))), pretty: false))
        let metrics = String(decoding: try await server.client.send("GET", "/metrics").body, as: UTF8.self)
        #expect(metrics.contains("remit_queries_challenged_total 1"))
        #expect(metrics.contains("remit_http_requests_total"))
        try await server.stop()
    }
}
