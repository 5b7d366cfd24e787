import Foundation

/// The one-file HTML report of a simulation: summary, volume and prices over time, earnings
/// distribution and Lorenz curve, value flow from agents through models to receivers, and the
/// top contributors. Everything is inline (CSS and SVG): no scripts, no fonts, no other files.
public enum HTMLReport {
    /// The report of `result` as HTML.
    public static func render(_ result: SimulationResult, title: String? = nil) -> String {
        let s = result.summary
        let steps = result.steps
        let minutes = steps.map { Double($0.time - (steps.first?.time ?? 0)) / 60 }
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(SVG.escape(title ?? "Remit simulation: \(s.scenario)"))</title>
            <style>
            body { font-family: sans-serif; margin: 24px auto; max-width: 980px; color: #111827; }
            h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
            table { border-collapse: collapse; font-size: 13px; } td, th { padding: 3px 10px; border-bottom: 1px solid #f3f4f6; text-align: left; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; } .note { color: #4b5563; font-size: 13px; }
            svg { width: 100%; height: auto; background: #fff; }
            .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
            </style></head><body>
            <h1>\(SVG.escape(title ?? "Remit simulation: \(s.scenario)"))</h1>
            <p class="note">Seed \(s.seed), \(s.steps) steps, payments by \(s.payments)\(s.overHTTP ? ", over HTTP (agents reached the ledger and models through a loopback server)" : ""). Every payment below went through the real channel, inference, attribution, wallet, policy and ledger code; earnings are what the ledger paid at settlement (checked: \(s.earningsMatchLedger ? "equal" : "DIFFERENT")).</p>
            <h2>Summary</h2>
            <table>
            """
        let rows: [(String, String)] = [
            ("agents / contributors / models", "\(s.agents) / \(s.contributors) / \(s.models)"),
            ("paid queries", "\(s.paidQueries)"), ("refused queries", "\(s.refusals)"),
            ("volume", String(format: "%.6f credits", s.volume)),
            ("contributors / owners / treasury", String(format: "%.6f / %.6f / %.6f credits", s.contributorEarnings, s.ownerEarnings, s.treasuryEarnings)),
            ("Gini of contributors' earnings", String(format: "%.3f", s.gini)),
            ("share reaching spam and keyword stuffing", String(format: "%.2f%%", s.spamShare * 100)),
            ("duplicates refused / contributions removed", "\(s.duplicatesRefused) / \(s.contributionsRemoved)"),
            ("channels settled", "\(s.settledChannels)"),
            ("ledger", "\(s.ledgerEntries) entries, head \(s.ledgerHead.prefix(16))…, verified: \(s.ledgerVerified.map { $0 ? "yes" : "NO" } ?? "not checked")"),
            ("wall time", String(format: "%.1f s (build %.1f, simulate %.1f, settle %.1f); %.0f paid queries/s while simulating", s.seconds, s.buildSeconds, s.simulateSeconds, s.settleSeconds, s.queriesPerSecond)),
        ]
        for (name, value) in rows { html += "<tr><th>\(SVG.escape(name))</th><td>\(SVG.escape(value))</td></tr>" }
        html += "</table>\n<h2>Volume over time</h2>\n"
        html += SVG.bars(steps.map(\.volume), title: "credits paid per step", xLabel: "step", yLabel: "credits paid")
        html += "<h2>Prices</h2>\n"
        let models = Array(Set(steps.flatMap { $0.prices.keys })).sorted()
        html += SVG.lines(models.map { m in (m, zip(minutes, steps).map { ($0, $1.prices[m] ?? 0) }) }, title: "price per query", xLabel: "minutes", yLabel: "credits per query")
        html += "<h2>Contributors' earnings</h2>\n<div class=\"grid\">"
        let earned = result.contributors.map(\.earned)
        html += histogram(earned)
        let lorenzPoints = lorenz(earned).map { (x: $0.x, y: $0.y) }
        html += SVG.lines([("Lorenz curve (Gini \(String(format: "%.3f", s.gini)))", lorenzPoints)], title: "Lorenz curve", xLabel: "share of contributors",
                          yLabel: "share of earnings", yMax: 1, diagonal: true)
        html += "</div>\n"
        html += SVG.lines([("Gini", zip(minutes, steps).map { ($0, $1.gini) }), ("spam share", zip(minutes, steps).map { ($0, $1.spamShare) })],
                          title: "inequality and spam over time", xLabel: "minutes", yLabel: "share", yMax: 1)
        html += "<h2>Value flow: agents → models → receivers</h2>\n"
        let middle = models
        let left = Array(Set(result.flows.filter { middle.contains($0.to) }.map(\.from))).sorted()
        let right = Array(Set(result.flows.filter { middle.contains($0.from) }.map(\.to))).sorted()
        html += SVG.sankey(result.flows, left: left, middle: middle, right: right, title: "value flow")
        html += "<h2>Top contributors</h2>\n"
        let top = result.contributors.prefix(20).map { (label: $0.label, value: $0.earned, group: $0.kind) }
        html += SVG.horizontalBars(top, groups: ["honest", "spam", "duplicate", "adversarial"], title: "top contributors", unit: "credits")
        html += "<p class=\"note\">Made by <code>remit simulate</code>. Synthetic datanets are seeded text and price series, not real data.</p></body></html>\n"
        return html
    }

    static func histogram(_ values: [Double]) -> String {
        let bins = 20
        let top = SVG.niceMax(values.max() ?? 0)
        var counts = [Double](repeating: 0, count: bins)
        for value in values { counts[min(bins - 1, Int(value / top * Double(bins)))] += 1 }
        return SVG.bars(counts, title: "earnings distribution", xLabel: "earnings bin (0 to \(SVG.number(top)) credits)", yLabel: "contributors",
                        color: SVG.palette[2])
    }
}
