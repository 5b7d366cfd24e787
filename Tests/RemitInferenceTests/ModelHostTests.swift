import RemitCore
import RemitCrypto
import Testing
@testable import RemitInference

@Suite("model host")
struct ModelHostTests {
    static func folders(_ count: Int) throws -> [String] {
        let snap = Fixture.snapshot(Fixture.quotes)
        return try (0..<count).map { i in
            let folder = Fixture.temporaryFolder() + "/m\(i)"
            try ModelFactory.build(kind: i % 2 == 0 ? .infinigram : .spanTrace, name: "model-\(i)", snapshots: [snap], into: folder)
            return folder
        }
    }

    @Test("loads on first use, evicts the least recently used past the budget, reloads on demand")
    func lru() async throws {
        let folders = try ModelHostTests.folders(3)
        let size = try ModelFactory.load(folder: folders[0]).byteCount
        let host = ModelHost(budgetBytes: size * 2 + size / 2)
        for folder in folders { try await host.register(folder: folder) }
        #expect(await host.residentModels().isEmpty)
        _ = try await host.answer(model: "model-0", request: .generate(prompt: "Talk", maxTokens: 3))
        _ = try await host.answer(model: "model-1", request: .trace("talk is cheap", minTokens: 2))
        _ = try await host.answer(model: "model-0", request: .generate(prompt: "The", maxTokens: 3))
        #expect(await host.residentModels() == ["model-1", "model-0"])
        _ = try await host.answer(model: "model-2", request: .generate(prompt: "A", maxTokens: 3))
        #expect(await host.residentModels() == ["model-0", "model-2"])
        let stats = await host.stats()
        #expect(stats.loads == 3 && stats.evictions == 1 && stats.answers == 4)
        #expect(stats.residentBytes <= host.budgetBytes)
    }

    @Test("concurrent first uses share one load; answers equal direct answers; unknown names are refused")
    func concurrent() async throws {
        let folders = try ModelHostTests.folders(1)
        let host = ModelHost(budgetBytes: 1 << 30)
        try await host.register(folder: folders[0], owner: Fixture.key(0x03).publicKey)
        let request = ModelRequest.generate(prompt: "The quick", maxTokens: 6, sampling: .seeded(1))
        let direct = try ModelFactory.load(folder: folders[0]).answer(request)
        let answers = try await withThrowingTaskGroup(of: ModelAnswer.self) { group in
            for _ in 0..<8 { group.addTask { try await host.answer(model: "model-0", request: request) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.allSatisfy { $0 == direct })
        #expect(await host.stats().loads == 1)
        let byID = try await host.answer(model: ModelID.derive(owner: Fixture.key(0x03).publicKey, name: "model-0"), request: request)
        #expect(byID == direct)
        do {
            _ = try await host.answer(model: "nope", request: request)
            Issue.record("unknown model answered")
        } catch {
            #expect(error.code == .modelUnknown)
        }
    }
}
