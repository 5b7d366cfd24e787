import RemitCore
import RemitCrypto
import RemitRuntime
import Testing

@Suite("Directory")
struct DirectoryTests {
    let now = ProtocolVectors.time + 10

    func listing(name: String, owner: UInt8, price: String, tags: [String], sequence: UInt64 = 1, validFor: UInt64 = 86_400) -> Signed<Listing> {
        let base = ProtocolVectors.listing
        let message = Listing(
            ledger: ProtocolVectors.ledger, owner: ProtocolVectors.key(owner).publicKey, name: name, kind: base.kind,
            modelVersion: base.modelVersion, listingSequence: sequence, issuedAt: ProtocolVectors.time, validUntil: ProtocolVectors.time + validFor,
            pricePerQuery: try! Amount(credits: price), pricePerOutputToken: .zero, maxOutputTokens: 0, split: base.split,
            datanets: base.datanets, attributionMethod: base.attributionMethod, tags: tags, endpoint: "local:"
        )
        return Signed(signing: message, with: ProtocolVectors.key(owner))
    }

    @Test("forged, foreign, stale and older listings are refused")
    func refusals() async throws {
        let directory = Directory(ledger: ProtocolVectors.ledger)
        let good = listing(name: "lm", owner: 0x03, price: "0.01", tags: ["text"])
        try await directory.add(good, now: now)
        let forged = Signed(message: good.message, signer: ProtocolVectors.key(0x09).publicKey, signature: good.signature)
        #expect(await (#expect(throws: RemitError.self) { try await directory.add(forged, now: now) })?.code == .directoryForgedListing)
        var tampered = good.message
        tampered.pricePerQuery = .zero
        let altered = Signed(message: tampered, signer: good.signer, signature: good.signature)
        #expect(await (#expect(throws: RemitError.self) { try await directory.add(altered, now: now) })?.code == .directoryForgedListing)
        let expired = listing(name: "old", owner: 0x03, price: "0.01", tags: [], validFor: 5)
        #expect(await (#expect(throws: RemitError.self) { try await directory.add(expired, now: now) })?.code == .directoryStaleListing)
        #expect(await (#expect(throws: RemitError.self) { try await directory.add(good, now: now) })?.code == .directoryStaleListing)
        let newer = listing(name: "lm", owner: 0x03, price: "0.02", tags: ["text"], sequence: 2)
        try await directory.add(newer, now: now)
        #expect(await directory.listing(good.message.model, now: now)?.message.listingSequence == 2)
        #expect(await directory.listing(good.message.model, now: ProtocolVectors.time + 86_400) == nil)
    }

    @Test("search filters by tags and price and ranks by price, latency and reputation")
    func search() async throws {
        let directory = Directory(ledger: ProtocolVectors.ledger)
        let cheap = listing(name: "cheap", owner: 0x03, price: "0.001", tags: ["text", "qa"])
        let dear = listing(name: "dear", owner: 0x04, price: "0.004", tags: ["text", "qa"])
        let other = listing(name: "other", owner: 0x05, price: "0.0001", tags: ["prices"])
        for l in [cheap, dear, other] { try await directory.add(l, now: now) }
        var found = await directory.search(tags: ["qa"], now: now)
        #expect(found.map(\.listing.message.name) == ["cheap", "dear"])
        #expect(await directory.search(tags: ["qa"], maxPrice: try Amount(credits: "0.002"), now: now).map(\.listing.message.name) == ["cheap"])
        // The cheap model misbehaves: bad receipts and slow answers push it below the dear one.
        for _ in 0..<20 { await directory.record(model: cheap.message.model, latencyMilliseconds: 2_000, goodReceipt: false) }
        for _ in 0..<20 { await directory.record(model: dear.message.model, latencyMilliseconds: 20, goodReceipt: true) }
        found = await directory.search(tags: ["qa"], now: now)
        #expect(found.map(\.listing.message.name) == ["dear", "cheap"])
        #expect(found[1].stats.reputation < 0.1)
    }
}
