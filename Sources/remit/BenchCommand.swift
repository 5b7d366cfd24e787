import ArgumentParser
import RemitBenchmarks
import RemitLedgerPostgres

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Remit against the raw floor in the same run (build with -c release).",
        discussion: "Every benchmark prints a table, or with --json one object {\"figures\": {...}, \"ratios\": {...}}.",
        subcommands: [Crypto.self, LedgerBench.self, Channel.self, Inference.self, HTTP.self]
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
            discussion: "Figures: sign_per_s, verify_per_s, blake2b_per_s and their _libsodium floors, blake2b_four_lanes_per_s (64-byte messages in batches, four per AVX2 compression). Ratios: sign, verify, blake2b (wrapper / direct), blake2b_four_lanes (batched / libsodium one at a time)."
        )

        @OptionGroup var options: Options

        func run() async throws {
            options.emit(CryptoBenchmark.run(scale: options.scale))
        }
    }

    struct Channel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Paid queries through both durable channel books vs. the libsodium floor; tick streams.",
            discussion: """
                Figures: floor_queries_per_s_1_thread, floor_queries_per_s_all_cores, paid_queries_per_s, p50_us, p99_us, \
                paid_queries_per_s_1_agent, tick_payments_per_s_per_core; CPU per query (floor_cpu_us_per_query, \
                paid_query_cpu_us, paid_query_cpu_us_1_agent), payments_per_payee_commit, and the SQLite floor \
                (commit_floor_cpu_us: one payment-sized row per WAL commit; batched_row_floor_cpu_us: one row per agent \
                per commit). Ratios: paid_query_vs_floor (all cores), paid_query_vs_floor_1_agent, paid_query_cpu_vs_floor, \
                and the ceilings that two such rows per query leave (one_agent_ceiling_two_commits, batched_ceiling_two_rows).
                """
        )

        @OptionGroup var options: Options

        @Option(name: .long, help: "Concurrent agents, each with its own channel.")
        var agents: Int = 16

        @Flag(name: .long, help: "Measure only the floor and tick streams (c), for profiling.")
        var ticksOnly = false

        @Flag(name: .long, help: "Measure only the floor and paid queries (b), for profiling.")
        var queriesOnly = false

        func validate() throws {
            if ticksOnly && queriesOnly { throw ValidationError("--ticks-only and --queries-only exclude each other") }
        }

        func run() async throws {
            options.emit(try await ChannelBenchmark.run(scale: options.scale, agents: agents, ticksOnly: ticksOnly, queriesOnly: queriesOnly))
        }
    }

    struct Inference: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Index build, n-gram counts, generation with and without attribution, kNN-Shapley, ModelHost cold load.",
            discussion: """
                Runs on seeded synthetic data (10M tokens of phrase-Zipf text and 100k rows at --scale 1; about a \
                minute and 1 GiB of memory in release). Figures: index_build_tokens_per_s, count_median_us, \
                count_p99_us, generate_tokens_per_s, generate_attributed_tokens_per_s, knn_shapley_ms_100k, \
                host_cold_load_ms. Ratio: attribution_overhead (generation time with / without attribution, seeded sampling; the median over rounds of the ratio within a round; attribution_overhead_greedy likewise for greedy). \
                Targets: build >= 2M tokens/s, count median <= 20 us, overhead <= 1.25.
                """
        )

        @OptionGroup var options: Options

        @Flag(name: .long, help: "Measure only the index and generation with and without attribution, for profiling.")
        var generationOnly = false

        @Option(name: .long, help: "Rounds of generation, each timing every prompt without and with attribution back to back; the overhead is the median of the rounds' ratios (31 in the standard run).")
        var generationRounds = 31

        func run() async throws {
            let report = try await InferenceBenchmark.run(scale: options.scale, generationOnly: generationOnly,
                                                          generationRounds: max(1, generationRounds)) { step in CLI.progress(step, 0, 1) }
            options.emit(report)
        }
    }

    struct LedgerBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger",
            abstract: "Ledger postings/s (one per transaction, batched), 100k-receipt settlement, against raw inserts (SQLite or PostgreSQL).",
            discussion: """
                Figures: single_postings_per_s, batched_postings_per_s (full path, Ed25519 included), \
                batched_postings_per_s_engine (signatures pre-checked), raw_insert_rows_per_s (the floor), \
                settle_100k_receipts_s, settle_receipts_per_s, verify_entries_per_s. Ratios: batched_vs_raw_insert, \
                engine_vs_raw_insert, single_vs_batched. Uses a temporary folder; about a minute in release. With \
                --ledger postgres://… the same figures for the PostgreSQL store (the floor is raw postgres-nio inserts).
                """
        )

        @OptionGroup var options: Options

        @Option(name: .long, help: ArgumentHelp(
            "Measure the PostgreSQL store in this database (a fresh schema, dropped afterwards) instead of SQLite.", valueName: "postgres://user@host:port/db"))
        var ledger: String?

        func run() async throws {
            var target = LedgerBenchmark.Target.sqlite
            if let ledger {
                guard PostgresLedgerStore.Configuration.isURL(ledger) else {
                    throw CLIFailure.badInput("--ledger \(ledger) is not a postgres:// URL (without it the benchmark uses a temporary SQLite file)")
                }
                target = .postgres(try PostgresLedgerStore.Configuration(url: ledger))
            }
            options.emit(try await LedgerBenchmark.run(scale: options.scale, target: target))
        }
    }

    struct HTTP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "http",
            abstract: "Paid queries/s over HTTP against a loopback `remit serve` with 1, 16 and 64 agents, vs. the unpaid HTTP floor.",
            discussion: """
                Starts a server on 127.0.0.1 (a small market in a temporary folder) and drives it from the same process. \
                Figures: paid_qps_N, p50_ms_N, p99_ms_N, cpu_us_per_paid_query_N for N in 1, 16, 64; unpaid_qps_64 and \
                unpaid_p99_ms_64 (GET /healthz, the floor); inprocess_paid_qps_64 (same agents and payee, no HTTP). Ratios: \
                paid_vs_unpaid_64, http_vs_inprocess_64. Targets at 64 agents: >= 3,000 paid queries/s, >= 0.5 x the floor.
                """
        )

        @OptionGroup var options: Options

        func run() async throws {
            let report = try await HTTPBenchmark.run(scale: options.scale) { step in CLI.progress(step, 0, 1) }
            options.emit(report)
        }
    }
}
