import Foundation
import RemitCore
import RemitCrypto
import RemitRuntime
import Testing

@Suite("Policies")
struct PolicyTests {
    static var policiesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Policies")
    }

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: policiesFolder.path)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    @Test("every file in Policies/ loads and validates", arguments: PolicyTests.files)
    func loadsEveryFile(file: String) throws {
        let document = try PolicyDocument.load(path: PolicyTests.policiesFolder.appendingPathComponent(file).path)
        switch document {
        case .spending(let policy): #expect(!policy.name.isEmpty)
        case .revenue(let policy): try policy.split.validate()
        }
    }

    @Test("Policies/ is not empty and holds both kinds")
    func folderHasBothKinds() throws {
        let documents = try PolicyTests.files.map { try PolicyDocument.load(path: PolicyTests.policiesFolder.appendingPathComponent($0).path) }
        #expect(documents.count >= 4)
        #expect(documents.contains { if case .spending = $0 { true } else { false } })
        #expect(documents.contains { if case .revenue = $0 { true } else { false } })
    }

    @Test("the research default reads as written")
    func values() throws {
        let policy = try PolicyDocument.load(path: PolicyTests.policiesFolder.appendingPathComponent("research-default.yaml").path).spending(file: "x")
        #expect(policy.perQuery == (try Amount(credits: "0.05")))
        #expect(policy.perPeriod == SpendingPolicy.PeriodCap(amount: try Amount(credits: "2"), seconds: 3_600))
        #expect(policy.total == (try Amount(credits: "10")))
        #expect(policy.minCoverageBps == 1_000)
        #expect(policy.deposit == .queries(25))
    }

    @Test("validation errors name the file, the field and the rule", arguments: [
        ("kind: spending\nname: a\nspend:\n  perQuery: lots\n", "spend.perQuery", "not an amount"),
        ("kind: spending\nname: a\nspend:\n  perQery: \"1\"\n", "spend.perQery", "not a known field"),
        ("kind: spending\nspend:\n  total: \"1\"\n", "name", "is required"),
        ("kind: spendy\nname: a\n", "kind", "spending or revenue"),
        ("kind: spending\nname: a\nspend:\n  perQuery: \"2\"\n  total: \"1\"\n", "spend.perQuery", "above spend.total"),
        ("kind: spending\nname: a\nattribution:\n  minCoverageBps: 20000\n", "attribution.minCoverageBps", "outside 0...10000"),
        ("kind: spending\nname: a\nowners:\n  deny: [rm1nope]\n", "owners.deny[0]", "account id"),
        ("kind: revenue\nname: o\nsplit:\n  ownerBps: 5000\n  contributorsBps: 4000\n  treasuryBps: 2000\npricing:\n  perQuery: \"1\"\n", "split.treasuryBps", "10000"),
        ("kind: revenue\nname: o\nsplit:\n  ownerBps: 5000\n  contributorsBps: 4000\n  treasuryBps: 1000\n", "pricing", "is required"),
        ("kind: spending\nname: a\nchannels:\n  depositQueries: 5\n  depositAmount: \"1\"\n", "channels.depositAmount", "not both"),
        ("- just\n- a list\n", "the file", "mapping"),
    ])
    func errors(yaml: String, field: String, rule: String) {
        let error = #expect(throws: RemitError.self) { try PolicyDocument.parse(yaml, file: "Policies/bad.yaml") }
        #expect(error?.code == .policyInvalid)
        #expect(error?.message.hasPrefix("Policies/bad.yaml:") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(field) == true, "\(error?.message ?? "") should name \(field)")
        #expect(error?.message.contains(rule) == true, "\(error?.message ?? "") should say \(rule)")
    }
}
