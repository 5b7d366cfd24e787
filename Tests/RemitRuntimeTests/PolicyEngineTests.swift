import RemitCore
import RemitCrypto
import RemitRuntime
import Testing

@Suite("Policy enforcement")
struct PolicyEngineTests {
    let listing = ProtocolVectors.listing
    let now = ProtocolVectors.time

    @Test("100 concurrent queries against a total cap never exceed it by a single unit")
    func concurrentCap() async throws {
        var policy = SpendingPolicy(name: "cap")
        policy.total = try Amount(units: 1_000_000)
        let engine = PolicyEngine(policy: policy)
        let price = try Amount(units: 33_333)
        let listing = self.listing
        let now = self.now
        let accepted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    guard let reservation = try? await engine.authorize(listing: listing, maxPrice: price, now: now) else { return false }
                    await Task.yield()
                    await engine.settle(reservation, charged: price)
                    return true
                }
            }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(accepted == 30)  // floor(1_000_000 / 33_333)
        let spent = await engine.spent
        #expect(spent.units == 30 * 33_333)
        #expect(spent.units <= 1_000_000)
        #expect(await engine.reserved == .zero)
    }

    @Test("per-query, per-period, ceilings and lists refuse with policy.refused and reserve nothing")
    func rules() async throws {
        var policy = SpendingPolicy(name: "rules")
        policy.perQuery = try Amount(credits: "0.01")
        policy.perPeriod = SpendingPolicy.PeriodCap(amount: try Amount(credits: "0.025"), seconds: 60)
        let engine = PolicyEngine(policy: policy)
        let tooBig = await #expect(throws: RemitError.self) { try await engine.authorize(listing: listing, maxPrice: try Amount(credits: "0.02"), now: now) }
        #expect(tooBig?.code == .policyRefused)
        for _ in 0..<2 {
            let r = try await engine.authorize(listing: listing, maxPrice: try Amount(credits: "0.01"), now: now)
            await engine.settle(r, charged: try Amount(credits: "0.01"))
        }
        let period = await #expect(throws: RemitError.self) { try await engine.authorize(listing: listing, maxPrice: try Amount(credits: "0.01"), now: now + 10) }
        #expect(period?.message.contains("per 60 s") == true)
        #expect(await engine.reserved == .zero)
        // A minute later the window has room again.
        let later = try await engine.authorize(listing: listing, maxPrice: try Amount(credits: "0.01"), now: now + 61)
        await engine.release(later)

        var lists = SpendingPolicy(name: "lists")
        lists.denyModels = [listing.name]
        #expect(await (#expect(throws: RemitError.self) { try await PolicyEngine(policy: lists).check(listing: listing) })?.message.contains("deny list") == true)
        lists = SpendingPolicy(name: "lists")
        lists.allowOwners = [AccountID(ProtocolVectors.key(0x09).publicKey)]
        #expect(await (#expect(throws: RemitError.self) { try await PolicyEngine(policy: lists).check(listing: listing) })?.message.contains("allow list") == true)
        lists = SpendingPolicy(name: "ceiling")
        lists.maxPricePerQuery = try Amount(credits: "0.00001")
        #expect(await (#expect(throws: RemitError.self) { try await PolicyEngine(policy: lists).check(listing: listing) })?.message.contains("ceiling") == true)
        lists = SpendingPolicy(name: "coverage")
        lists.minCoverageBps = 9_000
        #expect(await (#expect(throws: RemitError.self) { try await PolicyEngine(policy: lists).check(coverageBps: 8_500, model: "m") })?.code == .policyRefused)
    }

    @Test("deposit sizing: queries x quote, fixed, capped by the budget left")
    func deposits() throws {
        let quote = try Amount(credits: "0.01")
        #expect(SpendingPolicy.DepositSizing.queries(25).deposit(maxPrice: quote, cap: nil) == (try Amount(credits: "0.25")))
        #expect(SpendingPolicy.DepositSizing.queries(25).deposit(maxPrice: quote, cap: try Amount(credits: "0.1")) == (try Amount(credits: "0.1")))
        #expect(SpendingPolicy.DepositSizing.amount(try Amount(credits: "0.001")).deposit(maxPrice: quote, cap: nil) == quote)
    }
}
