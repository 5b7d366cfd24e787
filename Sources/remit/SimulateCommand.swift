import ArgumentParser
import Foundation
import RemitCore
import RemitSimulation

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a simulated agent economy from a scenario file (Examples/economies/*.yaml).",
        discussion: """
            Runs the scenario on the real channel, inference, attribution, wallet, policy and ledger code on a \
            virtual clock; the same scenario and seed give the same ledger head. Writes metrics.csv, \
            metrics.json, contributors.csv, summary.json and the ledger into --out; --report writes one \
            self-contained HTML page with SVG charts. A scenario with a `sweep:` runs once per combination \
            (into --out/<name>/). Progress goes to stderr on a terminal.

            --over-http runs the same scenario through a `remit serve` server on a loopback port: every \
            listing fetch, query, payment, receipt, streamed tick run, channel registration and the closes \
            and claims at the end cross HTTP (one shared client; --parallelism connections); only the \
            channels opened up front are written to the ledger in process, in batches. Wallets keep the \
            virtual clock, so the ledger head equals the in-process run's; the difference in time is the \
            cost of HTTP.

            Examples:
              remit simulate Examples/economies/small.yaml --report small.html
              remit simulate Examples/economies/large.yaml --json --no-verify
              remit simulate Examples/economies/small.yaml --over-http
            """
    )

    @Argument(help: ArgumentHelp("The scenario file.", valueName: "scenario.yaml"))
    var scenario: String

    @Option(name: .long, help: ArgumentHelp("Output folder (ledger, datanets, models, metrics).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Write the HTML report here.", valueName: "file.html"))
    var report: String?

    @Flag(name: .long, help: "Print the summary as one JSON object (a list of them for a sweep).")
    var json = false

    @Flag(name: .long, help: "Print nothing but errors (and --json output).")
    var quiet = false

    @Flag(name: .long, help: "Write every agent event to events.jsonl in the output folder.")
    var events = false

    @Flag(name: .long, help: "Skip replaying the ledger at the end.")
    var noVerify = false

    @Option(name: .long, help: "Agents run at once within a step.")
    var parallelism: Int?

    @Flag(name: .long, help: "Run the agents against the world served over HTTP on a loopback port.")
    var overHTTP = false

    func run() async throws {
        let variants = try ScenarioFile.load(path: scenario)
        let base = out ?? "simulation-output/\(variants[0].scenario.name)"
        var summaries: [SimulationResult.Summary] = []
        for variant in variants {
            let folder = variants.count == 1 ? base : "\(base)/\(variant.scenario.name)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var options = SimulationEngine.Options(folder: folder)
            options.eventLog = events
            options.verify = !noVerify
            options.overHTTP = overHTTP
            if let parallelism { options.parallelism = max(1, parallelism) }
            let quiet = self.quiet
            options.progress = { phase, done, total in if !quiet { CLI.progress(phase, done, total) } }
            let result = try await SimulationEngine.run(variant.scenario, options: options)
            try result.write(to: folder)
            if let report {
                let path = variants.count == 1 ? report : "\(folder)/report.html"
                guard FileManager.default.createFile(atPath: path, contents: Data(HTMLReport.render(result).utf8)) else {
                    throw CLIFailure.badInput("cannot write the report \(path)")
                }
                if !quiet && !json { print("report: \(path)") }
            }
            summaries.append(result.summary)
            if !quiet && !json { print(text(result.summary, folder: folder, sweep: variant.sweep)) }
            if result.summary.ledgerVerified == false { throw CLIFailure.refused("the ledger of \(variant.scenario.name) does not verify") }
        }
        if json {
            if summaries.count == 1 { CLI.printJSON(summaries[0]) } else { CLI.printJSON(summaries) }
        }
    }

    func text(_ s: SimulationResult.Summary, folder: String, sweep: [(field: String, value: String)]) -> String {
        var out = "== \(s.scenario) (seed \(s.seed), \(s.payments) payments\(s.overHTTP ? ", over HTTP" : ""))\n"
        if !sweep.isEmpty { out += "   sweep: " + sweep.map { "\($0.field) = \($0.value)" }.joined(separator: ", ") + "\n" }
        out += String(format: """
               %d agents x %d paid queries in %.1f s: %.0f paid queries/s while simulating, %.0f/s overall
               volume %.6f credits: contributors %.6f, owners %.6f, treasury %.6f
               contributors' Gini %.3f; spam and keyword stuffing earned %.2f%%; %d duplicates refused, %d removed
               %d refusals; %d channels settled; earnings as settled on the ledger: %@
               ledger: %llu entries, head %@, verified: %@
               outputs in %@
            """, s.agents, s.paidQueries, s.seconds, s.queriesPerSecond, s.queriesPerSecondOverall, s.volume, s.contributorEarnings,
            s.ownerEarnings, s.treasuryEarnings, s.gini, s.spamShare * 100, s.duplicatesRefused, s.contributionsRemoved, s.refusals,
            s.settledChannels, s.earningsMatchLedger ? "yes" : "NO", s.ledgerEntries, s.ledgerHead, s.ledgerVerified.map { $0 ? "yes" : "NO" } ?? "skipped",
            folder)
        return out
    }
}
