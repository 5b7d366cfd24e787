import Foundation
public import RemitCore
import RemitRuntime
import Yams

/// Reads scenarios from YAML, with parameter sweeps: a `sweep` list of `{field, values}` where
/// `field` is a dotted path into the scenario (list items by index: `owners.0.models.0.revenue.split.contributorsBps`);
/// each combination of values gives one scenario. Errors name the file and the field.
public enum ScenarioFile {
    /// Loads a scenario file: one scenario, or one per sweep combination (with the values in its name).
    public static func load(path: String) throws(RemitError) -> [Variant] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RemitError(.scenarioInvalid, "\(path): cannot read the scenario file (does it exist?)")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// One scenario of a file, with the sweep values that made it.
    public struct Variant: Sendable {
        /// The scenario.
        public var scenario: Scenario
        /// Field → value for each swept field (empty without a sweep).
        public var sweep: [(field: String, value: String)]
    }

    /// Parses scenario YAML.
    public static func parse(_ yaml: String, file: String) throws(RemitError) -> [Variant] {
        let reader = try ConfigReader.parse(yaml, file: file, code: .scenarioInvalid)
        var sweeps: [(field: String, values: [String])] = []
        for (index, entry) in try reader.children("sweep").enumerated() {
            try entry.onlyKnown(["field", "values"])
            let field = try entry.string("field", required: true)!
            let values = try entry.list("values")
            guard !values.isEmpty else { throw entry.error("values", "a sweep needs at least one value") }
            guard ScenarioFile.path(field, in: reader.node) != nil else {
                throw reader.error("sweep[\(index)].field", "\"\(field)\" names no field of this scenario")
            }
            sweeps.append((field, values))
        }
        var combinations: [[(field: String, value: String)]] = [[]]
        for sweep in sweeps {
            combinations = combinations.flatMap { prefix in sweep.values.map { prefix + [(sweep.field, $0)] } }
        }
        guard combinations.count <= 256 else { throw reader.error("sweep", "\(combinations.count) combinations; at most 256 runs per file") }
        var variants: [Variant] = []
        for combination in combinations {
            var node = reader.node
            for (field, value) in combination { node = ScenarioFile.replacing(field, with: value, in: node) }
            if var mapping = node.mapping { mapping[Node("sweep")] = nil; node = .mapping(mapping) }
            var scenario = try ScenarioReader.read(ConfigReader(file: file, node: node, code: .scenarioInvalid))
            if !combination.isEmpty { scenario.name += "-" + combination.map { "\($0.field.split(separator: ".").last!)=\($0.value)" }.joined(separator: "-") }
            variants.append(Variant(scenario: scenario, sweep: combination))
        }
        return variants
    }

    /// The node at a dotted path.
    static func path(_ path: String, in node: Node) -> Node? {
        var current: Node? = node
        for part in path.split(separator: ".") {
            if let index = Int(part), let sequence = current?.sequence {
                current = index < sequence.count ? sequence[index] : nil
            } else {
                current = current?.mapping?[Node(String(part))]
            }
        }
        return current
    }

    /// `node` with the scalar at `path` replaced by `value`.
    static func replacing(_ path: String, with value: String, in node: Node) -> Node {
        let parts = path.split(separator: ".").map(String.init)
        func go(_ node: Node, _ rest: ArraySlice<String>) -> Node {
            guard let head = rest.first else { return Node(value) }
            if let index = Int(head), var sequence = node.sequence, index < sequence.count {
                sequence[index] = go(sequence[index], rest.dropFirst())
                return .sequence(sequence)
            }
            if var mapping = node.mapping {
                let key = Node(head)
                mapping[key] = go(mapping[key] ?? Node(""), rest.dropFirst())
                return .mapping(mapping)
            }
            return node
        }
        return go(node, parts[...])
    }
}

extension RemitError.Code {
    /// A scenario file that is not valid; the message names the file and the field.
    public static let scenarioInvalid = Self("scenario.invalid")
}
