import Foundation
import RemitCore
import RemitSimulation
import Testing

@Suite("Scenario files")
struct ScenarioTests {
    static let base = """
        name: t
        seed: 1
        duration: 600
        step: 60
        datanets:
          - { name: notes, kind: text, contributors: 5, documents: 20 }
          - { name: ticks, kind: prices, contributors: 2, rows: 100 }
        owners:
          - name: lab
            models:
              - { name: qa, kind: bm25, datanet: notes, perQuery: "0.001" }
              - { name: signal, kind: knn-classify, datanet: ticks, perQuery: "0.001" }
        agents:
          - { name: researchers, kind: research, count: 2, funds: "1" }

        """

    /// The error parsing `yaml` throws.
    static func refusal(_ yaml: String) -> RemitError? {
        do {
            _ = try ScenarioFile.parse(yaml, file: "t.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test("every example economy parses", arguments: ["small.yaml", "small-ticks.yaml", "sweep-curation.yaml", "large.yaml"])
    func examples(_ name: String) throws {
        let variants = try ScenarioFile.load(path: SimulationTests.economies.appendingPathComponent(name).path)
        #expect(!variants.isEmpty)
        #expect(variants.allSatisfy { !$0.scenario.agents.isEmpty && !$0.scenario.owners.isEmpty })
    }

    @Test("the large economy is 10,000 agents making about 1,000,000 queries")
    func large() throws {
        let scenario = try ScenarioFile.load(path: SimulationTests.economies.appendingPathComponent("large.yaml").path)[0].scenario
        #expect(scenario.agents.reduce(0) { $0 + $1.count } == 10_000)
        let expected = scenario.agents.reduce(0.0) { $0 + Double($1.count) * $1.queriesPerStep } * Double(scenario.steps)
        #expect(expected >= 1_000_000)
    }

    @Test("an invalid field is refused with an error that names it", arguments: [
        ("payments: cash\n", "payments"),
        ("colour: blue\n", "colour"),
        ("sweep:\n  - { field: owners.9.name, values: [a] }\n", "sweep[0].field"),
    ])
    func invalidTopLevel(_ extra: String, _ field: String) throws {
        let error = try #require(ScenarioTests.refusal(ScenarioTests.base + extra))
        #expect(error.code == .scenarioInvalid)
        #expect(error.message.contains(field), "\(error.message)")
        #expect(error.message.contains("t.yaml"), "\(error.message)")
    }

    @Test("a model on the wrong kind of datanet, a bad split and a bad agent count name their fields")
    func invalidNested() throws {
        let wrongDatanet = ScenarioTests.base.replacingOccurrences(of: "kind: knn-classify, datanet: ticks", with: "kind: knn-classify, datanet: notes")
        #expect(ScenarioTests.refusal(wrongDatanet)?.message.contains("datanet") == true)
        let badSplit = ScenarioTests.base.replacingOccurrences(
            of: "datanet: notes, perQuery: \"0.001\" }",
            with: "datanet: notes, perQuery: \"0.001\", split: { ownerBps: 9000, contributorsBps: 4000, treasuryBps: 1000 } }")
        #expect(badSplit != ScenarioTests.base)
        #expect(ScenarioTests.refusal(badSplit)?.message.contains("treasuryBps") == true)
        let badCount = ScenarioTests.base.replacingOccurrences(of: "count: 2", with: "count: 0")
        #expect(ScenarioTests.refusal(badCount)?.message.contains("count") == true)
    }

    @Test("a sweep gives one scenario per combination, each with its values")
    func sweep() throws {
        let yaml = ScenarioTests.base + """
            sweep:
              - { field: datanets.0.contributors, values: [3, 7] }
              - { field: agents.0.count, values: [1, 2, 4] }

            """
        let variants = try ScenarioFile.parse(yaml, file: "t.yaml")
        #expect(variants.count == 6)
        #expect(Set(variants.map { "\($0.scenario.datanets[0].contributors)/\($0.scenario.agents[0].count)" }).count == 6)
        #expect(Set(variants.map(\.scenario.name)).count == 6)
        #expect(variants.allSatisfy { $0.sweep.count == 2 })
    }
}
