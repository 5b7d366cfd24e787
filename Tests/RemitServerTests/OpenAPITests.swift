import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitRuntime
import RemitServer
import Testing
import Yams

/// `/openapi.yaml` documents every route the router has, and nothing else; docs/PROTOCOL.md §12
/// examples are what the code produces.
@Suite("HTTP API document")
struct OpenAPITests {
    @Test("every registered route is documented and every documented route is registered")
    func routesMatchDocument() async throws {
        let market = try await TestMarket.make()
        let server = try await market.start()
        let yaml = String(decoding: try await server.client.send("GET", "/openapi.yaml").body, as: UTF8.self)
        let document = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys { documented.insert("\(method.uppercased()) \(path)") }
        }
        let routes = Set(await RemitHTTPServer(market: try ServedMarket(server.market), settings: market.config.server).routeList())
        #expect(routes.count >= 28)
        #expect(routes.subtracting(documented).isEmpty, "not documented: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented but not routed: \(documented.subtracting(routes).sorted())")
        try await server.stop()
    }

    @Test("PROTOCOL.md §12 examples match the encoder")
    func protocolExamples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
        let section = try #require(text.range(of: "## 12. HTTP API").map { String(text[$0.lowerBound...]) })
        let payment = HTTPWire.encode(payment: .voucher(Signed(signing: ProtocolVectors.voucher, with: ProtocolVectors.key(0x02))))
        #expect(section.contains("X-Remit-Payment: \(payment)"), "payment header example")
        let bytes = AdminSignature.signedBytes(ledger: ProtocolVectors.ledger, method: "POST", path: "/v1/admin/faucet",
                                               body: Array(#"{"account":"rm1example","credits":"5"}"#.utf8), timestamp: ProtocolVectors.time)
        #expect(section.contains(Hex.encode(bytes)), "admin signed bytes")
        let signature = AdminSignature.sign(ledger: ProtocolVectors.ledger, method: "POST", path: "/v1/admin/faucet",
                                            body: Array(#"{"account":"rm1example","credits":"5"}"#.utf8), timestamp: ProtocolVectors.time,
                                            key: ProtocolVectors.key(0x01))
        #expect(section.contains("X-Remit-Admin: \(signature.headerValue)"), "admin header example")
        let decoded = try HTTPWire.decodePayment(payment)
        #expect(decoded == .voucher(Signed(signing: ProtocolVectors.voucher, with: ProtocolVectors.key(0x02))))
    }
}
