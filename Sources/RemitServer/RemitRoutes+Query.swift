import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitRuntime

extension RemitRoutes {
    /// `POST /v1/models/{id}/query`: without a payment, 402 and the payment requirement; with
    /// one, the payee book checks it, the model answers, the receipt is signed, payment and
    /// receipt are durable, then 200 with the answer and the receipt headers. A refused payment
    /// changes nothing (402 with the refusal's code and the requirement again).
    func query(_ request: Request, model text: String) async throws -> Response {
        let started = ContinuousClock.now
        let (id, owner) = try model(text)
        let body = try await request.bytes(limit: settings.maxBodyBytes)
        let query = try MessageJSON.decodeBody(HTTPBodies.Query.self, from: body)
        let modelRequest = query.request
        let listing = try await owner.listing(id).message
        try modelRequest.validate()
        guard modelRequest.acceptedKinds.contains(where: { $0.rawValue == listing.kind }) else {
            throw RemitError(.modelBadRequest, "model \(listing.name) is a \(listing.kind) model; it does not take this request")
        }
        guard let header = request.header(HTTPWire.paymentHeader) else {
            metrics.challenged.increment()
            let unpaid = RemitError(.paymentRequired, "model \(listing.name) is priced: pay the quote with a voucher or tick in \(HTTPWire.paymentHeader)")
            return try requirement(unpaid, request: modelRequest, listing: listing)
        }
        let payment = try HTTPWire.decodePayment(header)
        let payer: [UInt8]
        switch payment {
        case .voucher(let voucher): payer = voucher.signer.bytes
        case .tick(let tick): payer = await owner.book.channel(tick.channel)?.terms.payer.bytes ?? tick.channel.digest.bytes
        }
        guard limiter.take(payer) else {
            let who = (try? PublicKey(bytes: payer)).map { AccountID($0).description } ?? "of channel \(Hex.encode(payer))"
            throw RemitError(.httpRateLimited, "payer \(who) is above \(settings.ratePerPayer) paid queries per second; retry later (nothing was taken)")
        }
        let paid: PaidAnswer
        do {
            paid = try await owner.serve(model: id, request: modelRequest, payment: payment)
        } catch {
            metrics.refused(error.code)
            let status = HTTPStatusMap.status(for: error.code, paying: true)
            if status == HTTPStatusMap.paymentRequired { throw Decided(response: try requirement(error, request: modelRequest, listing: listing)) }
            if status == .internalServerError || error.code == .modelFailed { metrics.failed(id) }
            throw Decided(response: Reply.failure(error, status: status))
        }
        var headers = HTTPFields()
        for (name, value) in HTTPWire.receiptHeaders(paid.receipt) { headers[HTTPField.Name(name)!] = value }
        metrics.answered(id, nanoseconds: nanoseconds(since: started))
        return Reply.json(HTTPBodies.Answer(answer: paid.answer), headers: headers)
    }

    /// The 402 response: the requirement with `error` saying why.
    func requirement(_ error: RemitError, request: ModelRequest, listing: Listing) throws -> Response {
        let quote = try Pricing.quote(request, listing: listing)
        let body = HTTPBodies.PaymentRequirement(
            error: HTTPBodies.Detail(code: error.code.rawValue, message: error.message), protocol: "remit/\(RemitVersion.protocolVersion)",
            accepts: ["voucher", "tick"], paymentHeader: HTTPWire.paymentHeader, quote: quote, pricePerQuery: listing.pricePerQuery,
            pricePerOutputToken: listing.pricePerOutputToken, tokenBound: Pricing.tokenBound(request, listing: listing), ledger: listing.ledger,
            model: listing.model, modelName: listing.name, listingSequence: listing.listingSequence, payee: AccountID(listing.owner).description,
            payeeKey: listing.owner, requestDigest: request.digest,
            channel: HTTPBodies.ChannelTerms(open: "POST /v1/ledger/channels", register: "POST /v1/channels", minimumDeposit: quote,
                                             challengePeriod: RemitRoutes.challengePeriod, tickUnit: quote)
        )
        return Reply.json(body, status: HTTPStatusMap.paymentRequired)
    }

    func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }
}
