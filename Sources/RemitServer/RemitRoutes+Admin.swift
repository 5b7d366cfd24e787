import Foundation
import Hummingbird
import RemitCore
import RemitCrypto
import RemitLedger
import RemitRuntime
import Logging

extension RemitRoutes {
    /// Checks the operator signature of an admin request and returns its body and the operator key.
    func authorise(_ request: Request) async throws -> (body: [UInt8], key: SigningKey) {
        let body = try await request.bytes(limit: settings.maxBodyBytes)
        let path = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
        try admin.check(header: request.header(HTTPWire.adminHeader), method: request.method.rawValue, path: path, body: body,
                        now: UInt64(Date().timeIntervalSince1970))
        guard let key = market.operatorKey else {
            throw RemitError(.adminUnavailable, "this server holds no operator key (the market file has no operator: entry)")
        }
        return (body, key)
    }

    /// `POST /v1/admin/faucet`: credits from the treasury, signed by the server's operator key.
    func faucet(_ request: Request) async throws -> Response {
        let (body, key) = try await authorise(request)
        let faucet = try MessageJSON.decodeBody(HTTPBodies.Faucet.self, from: body)
        let account = try AccountID(faucet.account)
        let amount = try Amount(credits: faucet.credits)
        let ledger = market.ledger
        // Concurrent faucet requests race for the treasury's next nonce: the loser signs again with the next one.
        var attempt = 0
        while true {
            let nonce = try await ledger.nonce(of: key.publicKey) + 1
            let transfer = Signed(signing: Transfer(ledger: ledger.id, from: key.publicKey, to: account.publicKey, amount: amount, nonce: nonce,
                                                    memo: "faucet"), with: key)
            do {
                let entry = try await ledger.transfer(transfer)
                logger.info("faucet", metadata: ["account": "\(account)", "payment.amount": "\(amount)"])
                return applied(entry)
            } catch {
                attempt += 1
                guard error.code == .ledgerNonceNotAbove, attempt < 64 else { throw error }
            }
        }
    }

    /// `POST /v1/admin/checkpoint`: the operator signs a checkpoint over the newest entries.
    func checkpoint(_ request: Request) async throws -> Response {
        let (_, key) = try await authorise(request)
        return Reply.json(try await market.ledger.checkpoint(signingWith: key), status: .created)
    }
}
