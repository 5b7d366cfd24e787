import Foundation
import Hummingbird
import RemitChannels
import RemitCore
import RemitCrypto
import RemitLedger
import RemitRuntime

extension RemitRoutes {
    /// The ledger API: reads, and the self-authorising signed writes (each message carries its
    /// signer's signature, so these routes need no other authorisation).
    func addLedgerRoutes(to router: Router<BasicRequestContext>) {
        let ledger = market.ledger
        get(router, "/v1/ledger") { _, _ in
            Reply.json(HTTPBodies.LedgerInfo(ledger: ledger.id, operator: AccountID(ledger.genesis.operatorKey).description,
                                             operatorKey: ledger.genesis.operatorKey, supply: ledger.genesis.supply,
                                             time: ledger.clock.now(), head: await ledger.head()))
        }
        get(router, "/v1/ledger/accounts/{account}") { _, context in
            let text = try context.parameters.require("account")
            let account = try LedgerAccount(parsing: text)
            var nonce: UInt64 = 0
            if case .user(let key) = account { nonce = try await ledger.nonce(of: key) }
            return Reply.json(HTTPBodies.AccountInfo(account: account.description, balance: try await ledger.balance(of: account), nonce: nonce))
        }
        get(router, "/v1/ledger/accounts/{account}/entries") { request, context in
            let account = try LedgerAccount(parsing: try context.parameters.require("account"))
            let limit = try request.integer("limit", as: Int.self) ?? 50
            guard (1...1_000).contains(limit) else { throw RemitError(.httpBadRequest, "limit \(limit) is outside 1...1000") }
            let items = try await ledger.history(of: account, before: try request.integer("before"), limit: limit)
            return Reply.json(HTTPBodies.History(account: account.description, items: items, next: items.count == limit ? items.last?.entry : nil))
        }
        get(router, "/v1/ledger/entries") { request, _ in
            let from = try request.integer("from", as: UInt64.self) ?? 1
            let limit = try request.integer("limit", as: Int.self) ?? 100
            guard (1...1_000).contains(limit) else { throw RemitError(.httpBadRequest, "limit \(limit) is outside 1...1000") }
            let stored = try await ledger.store.entries(from: max(1, from), limit: limit)
            let entries = stored.map { entry in
                HTTPBodies.Entry(sequence: entry.sequence, timestamp: entry.timestamp, kind: EntryKind(rawValue: entry.kind)?.name ?? "\(entry.kind)",
                                 hash: entry.hash, body: Hex.encode(entry.body))
            }
            return Reply.json(HTTPBodies.Entries(entries: entries, next: stored.count == limit ? (stored.last?.sequence).map { $0 + 1 } : nil))
        }
        get(router, "/v1/ledger/channels/{id}") { _, context in
            let id = try channelID(try context.parameters.require("id"))
            guard let state = try await ledger.channel(id) else { throw RemitError(.ledgerUnknownChannel, "the ledger holds no channel \(id)") }
            return Reply.json(state)
        }
        get(router, "/v1/ledger/listings/{model}") { request, context in
            let text = try context.parameters.require("model")
            guard let id = try? ModelID(hex: text) else { throw RemitError(.httpBadRequest, "model id \"\(text.prefix(80))\" is not 64 hex digits") }
            guard let listing = try await ledger.listing(model: id, sequence: try request.integer("sequence")) else {
                throw RemitError(.ledgerUnknownListing, "the ledger holds no listing of model \(id)")
            }
            return Reply.json(listing)
        }
        get(router, "/v1/ledger/checkpoints/latest") { _, _ in
            guard let latest = try await ledger.store.checkpoints().last else {
                throw RemitError(.ledgerNotCheckpointed, "the ledger has no checkpoint yet (POST /v1/admin/checkpoint, or remit ledger checkpoint)")
            }
            return Reply.json(latest)
        }
        get(router, "/v1/ledger/proofs/{entry}") { _, context in
            let text = try context.parameters.require("entry")
            guard let entry = UInt64(text) else { throw RemitError(.httpBadRequest, "entry \"\(text.prefix(40))\" is not a sequence number") }
            return Reply.json(try await ledger.proof(entry: entry))
        }
        addLedgerWrites(to: router)
    }

    func addLedgerWrites(to router: Router<BasicRequestContext>) {
        let ledger = market.ledger
        let limit = settings.maxBodyBytes
        post(router, "/v1/ledger/transfers") { request, _ in
            applied(try await ledger.transfer(try Signed<Transfer>(json: try await request.bytes(limit: limit), ledger: ledger.id)))
        }
        post(router, "/v1/ledger/channels") { request, _ in
            applied(try await ledger.openChannel(try Signed<ChannelOpen>(json: try await request.bytes(limit: limit), ledger: ledger.id)))
        }
        post(router, "/v1/ledger/channels/{id}/top-up") { request, context in
            let id = try channelID(try context.parameters.require("id"))
            let topUp = try Signed<ChannelTopUp>(json: try await request.bytes(limit: limit), ledger: ledger.id)
            guard topUp.message.channel == id else { throw RemitError(.httpBadRequest, "the top-up names channel \(topUp.message.channel), the path \(id)") }
            return applied(try await ledger.topUp(topUp))
        }
        post(router, "/v1/ledger/channels/{id}/claim") { request, context in
            let id = try channelID(try context.parameters.require("id"))
            let body = try MessageJSON.decodeBody(HTTPBodies.Claim.self, from: try await request.bytes(limit: limit))
            try body.claim.message.checkLedger(ledger.id)
            guard body.claim.message.channel == id else { throw RemitError(.httpBadRequest, "the claim names channel \(body.claim.message.channel), the path \(id)") }
            return applied(try await ledger.claim(body.claim, voucher: body.voucher, receipts: body.receipts))
        }
        post(router, "/v1/ledger/channels/{id}/close") { request, context in
            let id = try channelID(try context.parameters.require("id"))
            let close = try Signed<ChannelClose>(json: try await request.bytes(limit: limit), ledger: ledger.id)
            guard close.message.channel == id else { throw RemitError(.httpBadRequest, "the close names channel \(close.message.channel), the path \(id)") }
            return applied(try await ledger.close(close))
        }
        post(router, "/v1/ledger/channels/{id}/finalize") { _, context in
            applied(try await ledger.finalize(try channelID(try context.parameters.require("id"))))
        }
        post(router, "/v1/ledger/listings") { request, _ in
            applied(try await ledger.registerListing(try Signed<Listing>(json: try await request.bytes(limit: limit), ledger: ledger.id)))
        }
        post(router, "/v1/ledger/datanet-messages") { request, _ in
            let body = try MessageJSON.decodeBody(HTTPBodies.DatanetMessages.self, from: try await request.bytes(limit: limit))
            var messages: [AnyMessage] = []
            for (index, text) in body.messages.enumerated() {
                guard let data = Data(base64Encoded: text) else { throw RemitError(.httpBadRequest, "messages[\(index)] is not base64") }
                messages.append(try AnyMessage(wireBytes: Array(data)))
            }
            let applied = try await LocalLedgerAccess(ledger: ledger).register(datanetMessages: messages)
            return Reply.json(HTTPBodies.Registered(applied: applied))
        }
    }

    func applied(_ entry: AppliedEntry) -> Response { Reply.json(entry, status: .created) }
}
