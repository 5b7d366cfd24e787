import Foundation
public import RemitCore

/// The one-file HTML report of a settled market run (`remit demo`): what the agents paid, who
/// earned it as the ledger settled it (owners, each credited contributor, the treasury), the value
/// flow from agents through models to receivers, and the ledger's verification. Inline CSS and
/// SVG only: no scripts, no fonts, no other files.
public struct SettlementReport: Sendable {
    /// One account that earned in the run.
    public struct Earner: Sendable, Codable {
        /// `owner`, `contributor` or `treasury`.
        public var role: String
        /// Who: an owner's name, a contributor's label, "treasury".
        public var name: String
        /// The account id (`rm1…`).
        public var account: String
        /// Earned in this run.
        public var earned: Amount
        /// Earned on this ledger in all runs.
        public var total: Amount

        /// An earner.
        public init(role: String, name: String, account: String, earned: Amount, total: Amount) {
            self.role = role
            self.name = name
            self.account = account
            self.earned = earned
            self.total = total
        }
    }

    /// One agent's run.
    public struct AgentRun: Sendable, Codable {
        /// The agent's name.
        public var name: String
        /// How it paid: vouchers or ticks.
        public var scheme: String
        /// Paid queries (receipts accepted).
        public var paidQueries: Int
        /// Spent.
        public var spent: Amount

        /// An agent's run.
        public init(name: String, scheme: String, paidQueries: Int, spent: Amount) {
            self.name = name
            self.scheme = scheme
            self.paidQueries = paidQueries
            self.spent = spent
        }
    }

    /// The page title.
    public var title: String
    /// Lines under the title.
    public var notes: [String]
    /// Label and value rows of the summary table.
    public var summary: [(String, String)]
    /// The agents' runs.
    public var agents: [AgentRun]
    /// Everyone who earned, largest first.
    public var earners: [Earner]
    /// Value flows: agent → model and model → receiver, in credits.
    public var flows: [Flow]

    /// A report.
    public init(title: String, notes: [String], summary: [(String, String)], agents: [AgentRun], earners: [Earner], flows: [Flow]) {
        self.title = title
        self.notes = notes
        self.summary = summary
        self.agents = agents
        self.earners = earners
        self.flows = flows
    }

    /// The report as HTML.
    public func html() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(SVG.escape(title))</title>
            <style>
            body { font-family: sans-serif; margin: 24px auto; max-width: 980px; color: #111827; }
            h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
            table { border-collapse: collapse; font-size: 13px; } td, th { padding: 3px 10px; border-bottom: 1px solid #f3f4f6; text-align: left; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; } .note { color: #4b5563; font-size: 13px; }
            code { font-size: 12px; } svg { width: 100%; height: auto; background: #fff; }
            </style></head><body>
            <h1>\(SVG.escape(title))</h1>

            """
        for note in notes { html += "<p class=\"note\">\(SVG.escape(note))</p>\n" }
        html += "<h2>Summary</h2>\n<table>"
        for (name, value) in summary { html += "<tr><th>\(SVG.escape(name))</th><td>\(SVG.escape(value))</td></tr>" }
        html += "</table>\n<h2>Agents</h2>\n<table><tr><th>agent</th><th>paid by</th><th class=\"n\">paid queries</th><th class=\"n\">credits spent</th></tr>"
        for agent in agents {
            html += "<tr><td>\(SVG.escape(agent.name))</td><td>\(SVG.escape(agent.scheme))</td><td class=\"n\">\(agent.paidQueries)</td>"
            html += "<td class=\"n\">\(agent.spent.description)</td></tr>"
        }
        html += "</table>\n<h2>Value flow: agents → models → receivers</h2>\n"
        let agentNames = agents.map(\.name)
        let models = Array(Set(flows.filter { agentNames.contains($0.from) }.map(\.to))).sorted()
        let receivers = Array(Set(flows.filter { models.contains($0.from) }.map(\.to))).sorted()
        html += SVG.sankey(flows, left: agentNames, middle: models, right: receivers, title: "value flow")
        html += "<h2>Who earned what</h2>\n"
        let top = earners.prefix(25).map { (label: "\($0.name) (\($0.role))", value: Double($0.earned.units) / 1e9, group: $0.role) }
        html += SVG.horizontalBars(top, groups: ["owner", "contributor", "treasury"], title: "earned in this run", unit: "credits")
        html += "<table><tr><th>role</th><th>who</th><th>account</th><th class=\"n\">this run</th><th class=\"n\">all runs</th></tr>"
        for earner in earners {
            html += "<tr><td>\(SVG.escape(earner.role))</td><td>\(SVG.escape(earner.name))</td><td><code>\(SVG.escape(String(earner.account.prefix(16))))…</code></td>"
            html += "<td class=\"n\">\(earner.earned.description)</td><td class=\"n\">\(earner.total.description)</td></tr>"
        }
        html += "</table>\n<p class=\"note\">Amounts are what the ledger paid at settlement, read back from it (exact, in credits: one base unit is 10⁻⁹ credit).</p></body></html>\n"
        return html
    }
}
