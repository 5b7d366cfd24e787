package import RemitCore
package import Yams

/// Reads a YAML configuration (a policy, a market) field by field, naming the file and the dotted
/// field in every error and refusing fields it does not know.
package struct ConfigReader {
    package let file: String
    package let node: Node
    package var path: [String] = []
    /// The code of every error this reader throws.
    package var code: RemitError.Code = .policyInvalid

    package init(file: String, node: Node, path: [String] = [], code: RemitError.Code = .policyInvalid) {
        self.file = file
        self.node = node
        self.path = path
        self.code = code
    }

    /// Parses YAML text into a reader over its top-level mapping.
    package static func parse(_ yaml: String, file: String, code: RemitError.Code) throws(RemitError) -> ConfigReader {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else { throw RemitError(code, "\(file): the file is empty") }
            node = composed
        } catch let error as RemitError {
            throw error
        } catch {
            throw RemitError(code, "\(file): not valid YAML: \(error)")
        }
        guard node.mapping != nil else {
            throw RemitError(code, "\(file): the file must be a mapping of fields, not a list or a single value")
        }
        return ConfigReader(file: file, node: node, code: code)
    }

    package func error(_ field: String, _ rule: String) -> RemitError {
        RemitError(code, "\(file): field \((path + [field]).joined(separator: ".")): \(rule)")
    }

    private var mapping: Node.Mapping? { node.mapping }

    package func value(_ field: String) -> Node? { mapping?[Node(field)] }

    /// Refuses any key not in `known`.
    package func onlyKnown(_ known: Set<String>) throws(RemitError) {
        guard let mapping else {
            throw RemitError(code, "\(file): \(path.isEmpty ? "the file" : "field " + path.joined(separator: ".")) must be a mapping of fields")
        }
        for key in mapping.keys {
            let name = key.string ?? "\(key)"
            if !known.contains(name) {
                throw error(name, "is not a known field (known here: \(known.sorted().joined(separator: ", ")))")
            }
        }
    }

    package func child(_ field: String) -> ConfigReader? {
        value(field).map { ConfigReader(file: file, node: $0, path: path + [field], code: code) }
    }

    /// The items of a list of mappings, each as a reader.
    package func children(_ field: String) throws(RemitError) -> [ConfigReader] {
        guard let node = value(field) else { return [] }
        guard let sequence = node.sequence else { throw error(field, "must be a list") }
        return sequence.enumerated().map { ConfigReader(file: file, node: $1, path: path + ["\(field)[\($0)]"], code: code) }
    }

    package func bool(_ field: String) throws(RemitError) -> Bool? {
        guard let text = try string(field) else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error(field, "\"\(text)\" is not true or false")
        }
    }

    package func string(_ field: String, required: Bool = false) throws(RemitError) -> String? {
        guard let node = value(field) else {
            if required { throw error(field, "is required") }
            return nil
        }
        guard let text = node.string, node.scalar != nil else { throw error(field, "must be a text value") }
        return text
    }

    package func amount(_ field: String, required: Bool = false) throws(RemitError) -> Amount? {
        guard let text = try string(field, required: required) else { return nil }
        do {
            return try Amount(credits: text)
        } catch {
            throw self.error(field, "\"\(text)\" is not an amount of credits (\(error.message))")
        }
    }

    package func integer(_ field: String, in range: ClosedRange<Int>, required: Bool = false) throws(RemitError) -> Int? {
        guard let text = try string(field, required: required) else { return nil }
        guard let value = Int(text) else { throw error(field, "\"\(text)\" is not a whole number") }
        guard range.contains(value) else { throw error(field, "\(value) is outside \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    package func double(_ field: String, in range: ClosedRange<Double>, required: Bool = false) throws(RemitError) -> Double? {
        guard let text = try string(field, required: required) else { return nil }
        guard let value = Double(text), value.isFinite else { throw error(field, "\"\(text)\" is not a number") }
        guard range.contains(value) else { throw error(field, "\(value) is outside \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    package func list(_ field: String) throws(RemitError) -> [String] {
        guard let node = value(field) else { return [] }
        guard let sequence = node.sequence else { throw error(field, "must be a list") }
        var out: [String] = []
        for (index, item) in sequence.enumerated() {
            guard let text = item.string, item.scalar != nil else { throw error("\(field)[\(index)]", "must be a text value") }
            out.append(text)
        }
        return out
    }

    package func accounts(_ field: String) throws(RemitError) -> Set<AccountID> {
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
