import Foundation
public import RemitCore

/// A policy file: YAML with `kind: spending` or `kind: revenue`. Amounts are decimal credits as
/// strings (`"0.05"`), times are seconds. Every error names the file, the field and the rule; an
/// unknown field is an error too (a typo must not silently drop a limit).
public enum PolicyDocument: Sendable, Hashable {
    /// An agent's spending policy.
    case spending(SpendingPolicy)
    /// A model owner's revenue policy.
    case revenue(RevenuePolicy)

    /// Loads and validates a policy file.
    public static func load(path: String) throws(RemitError) -> PolicyDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RemitError(.policyInvalid, "\(path): cannot read the policy file (does it exist?)")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses and validates policy YAML; `file` names it in errors.
    public static func parse(_ yaml: String, file: String) throws(RemitError) -> PolicyDocument {
        let reader = try ConfigReader.parse(yaml, file: file, code: .policyInvalid)
        let kind = try reader.string("kind", required: true)!
        switch kind {
        case "spending": return .spending(try reader.spending())
        case "revenue": return .revenue(try reader.revenue())
        default: throw reader.error("kind", "must be spending or revenue, got \"\(kind)\"")
        }
    }

    /// The spending policy, or an error naming the file when it is a revenue policy.
    public func spending(file: String) throws(RemitError) -> SpendingPolicy {
        guard case .spending(let policy) = self else {
            throw RemitError(.policyInvalid, "\(file): field kind: an agent needs a spending policy, this is a revenue policy")
        }
        return policy
    }

    /// The revenue policy, or an error naming the file when it is a spending policy.
    public func revenue(file: String) throws(RemitError) -> RevenuePolicy {
        guard case .revenue(let policy) = self else {
            throw RemitError(.policyInvalid, "\(file): field kind: a model owner needs a revenue policy, this is a spending policy")
        }
        return policy
    }
}
