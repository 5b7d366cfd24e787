import Foundation
public import RemitCore
import RemitCrypto
public import RemitInference
public import RemitRuntime

/// The Markdown report of a research run: each question with its answer, the model that gave
/// it, what it cost, and the contributors it credited; then spending and contributors overall.
public struct ResearchReport: Sendable {
    /// One question and what came back.
    public struct Finding: Sendable {
        /// The question (or the generation prompt).
        public var title: String
        /// The model that answered.
        public var model: Listing?
        /// Its answer.
        public var answer: ModelAnswer?
        /// Its receipt.
        public var receipt: Receipt?
        /// Why there is no answer.
        public var error: String?
    }

    /// The agent.
    public var agent: String
    /// The topic.
    public var topic: String
    /// Ledger time of the report.
    public var time: UInt64
    /// The findings in order.
    public var findings: [Finding]
    /// Spending at the end.
    public var budget: Budget

    /// The report as Markdown.
    public func markdown() -> String {
        var out = "# Research report: \(topic)\n\n"
        let date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(time)))
        out += "Agent `\(agent)`, \(date). Every answer below was paid for per query; its citations are the contributors the model's signed receipt credited.\n\n"
        var spentByModel: [String: (queries: Int, credits: Int64)] = [:]
        var byContributor: [String: (label: String, units: Double, answers: Int)] = [:]
        for (index, finding) in findings.enumerated() {
            out += "## \(index + 1). \(finding.title)\n\n"
            guard let answer = finding.answer, let receipt = finding.receipt, let model = finding.model else {
                out += "_No answer: \(finding.error ?? "unknown error")._\n\n"
                continue
            }
            out += answer.output.split(separator: "\n").map { "> \($0)" }.joined(separator: "\n") + "\n\n"
            out += "Model `\(model.name)` (\(model.kind)), receipt sequence \(receipt.sequence), cost **\(receipt.price) credits**, "
            out += "attribution covers \(Double(receipt.coverageBps) / 100)% of the answer.\n\n"
            spentByModel[model.name, default: (0, 0)].queries += 1
            spentByModel[model.name, default: (0, 0)].credits += receipt.price.units
            let credits: [Cited] = answer.explanation.credits.isEmpty
                ? receipt.attribution.map { Cited(contribution: $0.contribution, contributor: $0.contributor, label: "", weightBps: $0.weightBps) }
                : answer.explanation.credits.map { Cited(contribution: $0.contribution, contributor: $0.contributor, label: $0.label, weightBps: $0.weightBps) }
            if credits.isEmpty {
                out += "Sources: none credited.\n\n"
            } else {
                out += "Sources (credited contributors):\n\n"
                // The contributors' share of this payment, divided by weight.
                let pool = Double(receipt.price.units) * Double(model.split.contributorsBps) / 10_000 * Double(receipt.coverageBps) / 10_000
                for credit in credits.sorted(by: { $0.weightBps > $1.weightBps }) {
                    let account = AccountID(credit.contributor).description
                    let label = credit.label.isEmpty ? String(account.prefix(14)) + "…" : credit.label
                    out += "- \(String(format: "%.2f", Double(credit.weightBps) / 100))% — \(label) (`\(account)`), contribution `\(credit.contribution.hex.prefix(12))…`\n"
                    var entry = byContributor[account, default: (label, 0, 0)]
                    entry.units += pool * Double(credit.weightBps) / 10_000
                    entry.answers += 1
                    byContributor[account] = entry
                }
                out += "\n"
            }
        }
        out += "## Spending\n\n| model | queries | credits |\n|---|---|---|\n"
        for (model, entry) in spentByModel.sorted(by: { $0.key < $1.key }) {
            out += "| \(model) | \(entry.queries) | \(Amount(uncheckedUnitsForReport: entry.credits)) |\n"
        }
        out += "\nTotal spent: **\(budget.spent) credits**"
        if let remaining = budget.remaining { out += " (\(remaining) left under the policy's total cap)" }
        out += ".\n\n"
        if !byContributor.isEmpty {
            out += "## Contributors credited\n\nWhat each contributor's share of these payments comes to when the channels settle (owner and treasury shares aside):\n\n"
            out += "| contributor | answers | credits (approx.) |\n|---|---|---|\n"
            for (account, entry) in byContributor.sorted(by: { $0.value.units > $1.value.units }) {
                out += "| \(entry.label) (`\(account.prefix(14))…`) | \(entry.answers) | \(String(format: "%.9f", entry.units / 1e9)) |\n"
            }
            out += "\n"
        }
        return out
    }
}

/// A credited contribution as the report shows it.
private struct Cited {
    var contribution: ContributionID
    var contributor: PublicKey
    var label: String
    var weightBps: UInt16
}

extension Amount {
    init(uncheckedUnitsForReport units: Int64) { self = (try? Amount(units: units)) ?? .zero }
}
