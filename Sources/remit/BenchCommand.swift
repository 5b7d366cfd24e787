import ArgumentParser
import RemitBenchmarks

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Remit against the raw floor in the same run (build with -c release).",
        discussion: "Every benchmark prints a table, or with --json one object {\"figures\": {...}, \"ratios\": {...}}.",
        subcommands: [Crypto.self, LedgerBench.self]
    )

    struct Options: ParsableArguments {
        @Flag(name: .long, help: "Print one JSON object {\"figures\": {...}, \"ratios\": {...}}.")
        var json = false

        @Option(name: .long, help: "Multiply the work done (1 = the standard run).")
        var scale: Double = 1

        func emit(_ report: BenchReport) {
            print(json ? report.json : report.text)
        }
    }

    struct Crypto: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ed25519 sign/verify and BLAKE2b through RemitCrypto vs. libsodium called directly.",
            discussion: "Figures: sign_per_s, verify_per_s, blake2b_per_s and their _libsodium floors. Ratios: sign, verify, blake2b (wrapper / direct)."
        )

        @OptionGroup var options: Options

        func run() async throws {
            options.emit(CryptoBenchmark.run(scale: options.scale))
        }
    }

    struct LedgerBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger",
            abstract: "Ledger postings/s (one per transaction, batched), 100k-receipt settlement, against raw GRDB inserts.",
            discussion: """
                Figures: single_postings_per_s, batched_postings_per_s (full path, Ed25519 included), \
                batched_postings_per_s_engine (signatures pre-checked), raw_insert_rows_per_s (the floor), \
                settle_100k_receipts_s, settle_receipts_per_s, verify_entries_per_s. Ratios: batched_vs_raw_insert, \
                engine_vs_raw_insert, single_vs_batched. Uses a temporary folder; about a minute in release.
                """
        )

        @OptionGroup var options: Options

        func run() async throws {
            options.emit(try await LedgerBenchmark.run(scale: options.scale))
        }
    }
}
