import Foundation
import Logging
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitRuntime
import RemitServer
import Synchronization
import Testing

/// Every log line the server writes at the most verbose level, through a paid query, refusals,
/// admin calls and a shutdown: none holds a payment header, an admin signature, a body or a key.
@Suite("HTTP logs")
struct LogSecrecyTests {
    /// Keeps every line (message and metadata) in memory.
    struct Capture: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            lines.append("\(event.message) \(all)")
        }
    }

    final class Lines: Sendable {
        let storage = Mutex<[String]>([])
        func append(_ line: String) { storage.withLock { $0.append(line) } }
        var all: [String] { storage.withLock { $0 } }
    }

    @Test("no payment header, signature, body or key in any log line")
    func noSecrets() async throws {
        let lines = Lines()
        let logger = Logger(label: "capture") { _ in Capture(lines: lines) }
        let market = try await TestMarket.make()
        let server = try await market.start(logger: logger)
        let operatorKey = try market.operatorKey()
        let qa = try await server.model("fortune-qa")
        let payer = try await WirePayer.make(server, operatorKey: operatorKey)
        let channel = try await payer.open(to: qa.message.owner, deposit: "1")
        let request = ModelRequest(.question("a secret question about the weather", topK: 1))
        let payment = try await payer.book.pay(channel: channel, requestDigest: request.digest, maxPrice: try Pricing.quote(request, listing: qa.message),
                                               now: await payer.ledger.now(), scheme: .voucher)
        let paid = try await payer.send(request, model: qa.message.model, payment: payment)
        #expect(paid.status == 200)
        let forged = Signed(signing: Voucher(ledger: payer.ledger.ledgerID, channel: channel, sequence: 9, cumulative: try Amount(credits: "0.5"),
                                             requestDigest: request.digest), with: SigningKey())
        #expect(try await payer.send(request, model: qa.message.model, payment: .voucher(forged)).status == 402)
        let body = MessageJSON.encode(HTTPBodies.Faucet(account: AccountID(SigningKey().publicKey).description, credits: "1"), pretty: false)
        let signature = AdminSignature.sign(ledger: payer.ledger.ledgerID, method: "POST", path: "/v1/admin/faucet", body: body,
                                            timestamp: UInt64(Date().timeIntervalSince1970), key: operatorKey)
        _ = try await server.client.send("POST", "/v1/admin/faucet", body: body, headers: [(HTTPWire.adminHeader, signature.headerValue)])
        _ = try await server.client.send("POST", "/v1/admin/faucet", body: body, headers: [(HTTPWire.adminHeader, signature.headerValue)])
        try await server.stop()

        let secrets = [
            HTTPWire.encode(payment: payment), HTTPWire.encode(payment: .voucher(forged)), signature.signature.hex,
            paid.header(HTTPWire.receiptHeader) ?? "-", "a secret question", "\"credits\":\"1\"",
        ]
        let logged = lines.all
        #expect(!logged.isEmpty)
        for line in logged {
            for secret in secrets { #expect(!line.contains(secret), "log line holds a secret: \(line.prefix(200))") }
        }
    }
}
