import Foundation
import Hummingbird
import RemitChannels
import RemitCore
import RemitCrypto
import RemitRuntime

extension RemitRoutes {
    /// `POST /v1/models/{id}/stream`: a run of requests paid by ticks (one per request, one
    /// channel). The payee book checks every tick in order, the accepted requests are answered,
    /// and one receipt batch is signed for the run and made durable before the 200. A run counts
    /// one paid query per request against the payer's rate (a run above the burst is let through
    /// on a full bucket and leaves it in debt). A refused run changes nothing (402).
    func stream(_ request: Request, model text: String) async throws -> Response {
        let started = ContinuousClock.now
        let (id, owner) = try model(text)
        let body = try MessageJSON.decodeBody(HTTPBodies.StreamQuery.self, from: try await request.bytes(limit: settings.maxBodyBytes))
        let ticks = try body.decodedTicks()
        if let channel = ticks.first?.channel {
            let payer = await owner.book.channel(channel)?.terms.payer.bytes ?? channel.digest.bytes
            guard limiter.take(payer, count: ticks.count) else {
                let who = (try? PublicKey(bytes: payer)).map { AccountID($0).description } ?? "of channel \(Hex.encode(payer))"
                throw RemitError(.httpRateLimited, "payer \(who) is above \(settings.ratePerPayer) paid queries per second "
                                 + "(a run of \(ticks.count) counts \(ticks.count)); retry later (nothing was taken)")
            }
        }
        let answer: StreamAnswer
        do {
            answer = try await owner.serveStream(model: id, requests: body.requests, ticks: ticks)
        } catch {
            metrics.refused(error.code)
            let status = HTTPStatusMap.status(for: error.code, paying: true)
            if status == .internalServerError || error.code == .modelFailed { metrics.failed(id) }
            throw Decided(response: Reply.failure(error, status: status))
        }
        let served = answer.run.receipts.count
        let each = nanoseconds(since: started) / Int64(max(1, served))
        for _ in 0..<served { metrics.answered(id, nanoseconds: each) }
        if let refusal = answer.refusal { metrics.refused(refusal) }
        return Reply.json(HTTPBodies.StreamResult(answer))
    }
}
