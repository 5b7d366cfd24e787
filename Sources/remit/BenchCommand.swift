import ArgumentParser
import RemitBenchmarks

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Remit against the raw floor in the same run (build with -c release).",
        discussion: "Every benchmark prints a table, or with --json one object {\"figures\": {...}, \"ratios\": {...}}.",
        subcommands: [Crypto.self, Channel.self, Inference.self]
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

    struct Channel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Paid queries through both durable channel books vs. the libsodium floor; tick streams.",
            discussion: """
                Figures: floor_queries_per_s_1_thread, floor_queries_per_s_all_cores, paid_queries_per_s, p50_us, p99_us, \
                paid_queries_per_s_1_agent, tick_payments_per_s_per_core. Ratios: paid_query_vs_floor (all cores), \
                paid_query_vs_floor_1_agent.
                """
        )

        @OptionGroup var options: Options

        @Option(name: .long, help: "Concurrent agents, each with its own channel.")
        var agents: Int = 16

        @Flag(name: .long, help: "Measure only the floor and tick streams (c), for profiling.")
        var ticksOnly = false

        func run() async throws {
            options.emit(try await ChannelBenchmark.run(scale: options.scale, agents: agents, ticksOnly: ticksOnly))
        }
    }

    struct Inference: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Index build, n-gram counts, generation with and without attribution, kNN-Shapley, ModelHost cold load.",
            discussion: """
                Runs on seeded synthetic data (10M tokens of phrase-Zipf text and 100k rows at --scale 1; about a \
                minute and 1 GiB of memory in release). Figures: index_build_tokens_per_s, count_median_us, \
                count_p99_us, generate_tokens_per_s, generate_attributed_tokens_per_s, knn_shapley_ms_100k, \
                host_cold_load_ms. Ratio: attribution_overhead (generation time with / without attribution). \
                Targets: build >= 2M tokens/s, count median <= 20 us, overhead <= 1.25.
                """
        )

        @OptionGroup var options: Options

        @Flag(name: .long, help: "Measure only the index and generation with and without attribution, for profiling.")
        var generationOnly = false

        @Option(name: .long, help: "Rounds of generation to keep the best of (5 in the standard run).")
        var generationRounds = 5

        func run() async throws {
            let report = try await InferenceBenchmark.run(scale: options.scale, generationOnly: generationOnly,
                                                          generationRounds: max(1, generationRounds)) { step in CLI.progress(step, 0, 1) }
            options.emit(report)
        }
    }
}
