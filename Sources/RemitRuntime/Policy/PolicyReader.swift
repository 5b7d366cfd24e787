import RemitCore
import Yams

/// Reads a policy's YAML tree field by field, naming the dotted field in every error and refusing
/// fields it does not know.
struct PolicyReader {
    let file: String
    let node: Node
    var path: [String] = []

    init(file: String, node: Node, path: [String] = []) {
        self.file = file
        self.node = node
        self.path = path
    }

    func error(_ field: String, _ rule: String) -> RemitError {
        RemitError(.policyInvalid, "\(file): field \((path + [field]).joined(separator: ".")): \(rule)")
    }

    private var mapping: Node.Mapping? { node.mapping }

    func value(_ field: String) -> Node? { mapping?[Node(field)] }

    /// Refuses any key not in `known`.
    func onlyKnown(_ known: Set<String>) throws(RemitError) {
        guard let mapping else {
            throw RemitError(.policyInvalid, "\(file): \(path.isEmpty ? "the file" : "field " + path.joined(separator: ".")) must be a mapping of fields")
        }
        for key in mapping.keys {
            let name = key.string ?? "\(key)"
            if !known.contains(name) {
                throw error(name, "is not a known field (known here: \(known.sorted().joined(separator: ", ")))")
            }
        }
    }

    func child(_ field: String) -> PolicyReader? {
        value(field).map { PolicyReader(file: file, node: $0, path: path + [field]) }
    }

    func string(_ field: String, required: Bool = false) throws(RemitError) -> String? {
        guard let node = value(field) else {
            if required { throw error(field, "is required") }
            return nil
        }
        guard let text = node.string, node.scalar != nil else { throw error(field, "must be a text value") }
        return text
    }

    func amount(_ field: String, required: Bool = false) throws(RemitError) -> Amount? {
        guard let text = try string(field, required: required) else { return nil }
        do {
            return try Amount(credits: text)
        } catch {
            throw self.error(field, "\"\(text)\" is not an amount of credits (\(error.message))")
        }
    }

    func integer(_ field: String, in range: ClosedRange<Int>, required: Bool = false) throws(RemitError) -> Int? {
        guard let text = try string(field, required: required) else { return nil }
        guard let value = Int(text) else { throw error(field, "\"\(text)\" is not a whole number") }
        guard range.contains(value) else { throw error(field, "\(value) is outside \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    func list(_ field: String) throws(RemitError) -> [String] {
        guard let node = value(field) else { return [] }
        guard let sequence = node.sequence else { throw error(field, "must be a list") }
        var out: [String] = []
        for (index, item) in sequence.enumerated() {
            guard let text = item.string, item.scalar != nil else { throw error("\(field)[\(index)]", "must be a text value") }
            out.append(text)
        }
        return out
    }

    func accounts(_ field: String) throws(RemitError) -> Set<AccountID> {
        var out: Set<AccountID> = []
        for (index, text) in try list(field).enumerated() {
            do {
                out.insert(try AccountID(text))
            } catch {
                throw self.error("\(field)[\(index)]", error.message)
            }
        }
        return out
    }
}
