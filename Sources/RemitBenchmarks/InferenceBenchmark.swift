import Foundation
import Logging
import RemitCore
import RemitCrypto
import RemitInference

/// `remit bench inference`: index build rate, n-gram count latency, generation with and without
/// attribution, kNN-Shapley per query and a ModelHost cold load, on seeded synthetic data.
///
/// The text corpus is synthetic but shaped like text for an ∞-gram: a seeded bank of 20,000
/// "phrases" (3–12 words drawn from a Zipf(1.07) vocabulary of 50,000 words), and documents of
/// 5–40 phrases drawn by Zipf over the bank, so long n-grams repeat across documents the way
/// quotations and idioms do. The rows are 5 Gaussian-ish features with an up/down label.
public enum InferenceBenchmark {
    /// Runs the benchmark; `scale` multiplies the corpus (1 = 10M tokens) and the row count (1 = 100k).
    /// With `generationOnly` only the index and the generation figures are measured (for profiling),
    /// and generation runs `generationRounds` rounds (rates: the best round; overhead: the median
    /// of the rounds' own ratios).
    public static func run(
        scale: Double = 1, generationOnly: Bool = false, generationRounds: Int = 31, progress: (@Sendable (String) -> Void)? = nil
    ) async throws -> BenchReport {
        let targetTokens = max(2_000, Int(10_000_000 * scale))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("remit-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        progress?("generating \(targetTokens) tokens of seeded synthetic text")
        let corpus = SyntheticCorpus(seed: 2026, targetTokens: targetTokens)
        progress?("building the index")
        let clock = ContinuousClock()
        var start = clock.now
        let bytes = try TextIndexBuilder.build(tokenized: corpus.documents, vocabulary: corpus.vocabulary, documents: corpus.metadata, normalization: .preserveCase)
        let buildSeconds = seconds(start.duration(to: clock.now))
        let tokenCount = corpus.documents.reduce(0) { $0 + $1.count + 1 }

        // End to end from text (tokenise, number the vocabulary, SA-IS, container) on a tenth of the corpus.
        progress?("building an index from text")
        var textDocuments: [CorpusDocument] = []
        var textTokens = 0
        for (i, doc) in corpus.documents.enumerated() where textTokens < tokenCount / 10 {
            let text = doc.map { String(decoding: corpus.vocabulary[Int($0)], as: UTF8.self) }.joined(separator: " ")
            var d = corpus.metadata[i]
            d.content = Array(text.utf8)
            textDocuments.append(d)
            textTokens += doc.count + 1
        }
        start = clock.now
        _ = try TextIndexBuilder.build(textDocuments, normalization: .preserveCase)
        let textBuildSeconds = seconds(start.duration(to: clock.now))

        let modelFolder = folder + "/lm"
        let snapshotRef = DatanetVersion(datanet: DatanetID(BLAKE2b.hash(Array("bench".utf8))), version: BLAKE2b.hash(Array("v".utf8)))
        let manifest = ModelManifest(kind: .infinigram, name: "bench-lm", params: [:], tokenizer: Tokenizer.version, datanets: [snapshotRef])
        try FileManager.default.createDirectory(atPath: modelFolder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: modelFolder + "/" + ModelFactory.indexFile))
        try Data(MessageJSON.encode(manifest)).write(to: URL(fileURLWithPath: modelFolder + "/" + ModelFactory.manifestFile))

        // Cold load through a ModelHost: register, map, first answer.
        progress?("model host cold load")
        var logger = Logger(label: "remit.bench.model-host")
        logger.logLevel = .warning
        let host = ModelHost(budgetBytes: 1 << 34, logger: logger)
        start = clock.now
        try await host.register(folder: modelFolder)
        _ = try await host.model(named: "bench-lm")
        let coldLoadMs = seconds(start.duration(to: clock.now)) * 1_000
        let model = try await host.model(named: "bench-lm") as! InfiniGramModel
        let index = model.index

        progress?("n-gram counts")
        var rng = SplitMix64(seed: 77)
        var patterns: [[UInt32]] = []
        for i in 0..<20_000 {
            let n = 1 + i % 5
            let d = Int(rng.uniform(below: UInt64(corpus.documents.count)))
            let doc = corpus.documents[d]
            if doc.count >= n {
                let at = Int(rng.uniform(below: UInt64(doc.count - n + 1)))
                patterns.append(Array(doc[at..<(at + n)]))
            }
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(patterns.count)
        var total = 0
        for pattern in patterns {
            let t0 = clock.now
            total &+= index.count(pattern)
            latencies.append(seconds(t0.duration(to: clock.now)) * 1e6)
        }
        latencies.sort()
        let countMedian = latencies[latencies.count / 2]
        let countP99 = latencies[latencies.count * 99 / 100]
        precondition(total > 0)

        progress?("generation with and without attribution")
        let generation = GenerationBenchmark(model: model, corpus: corpus)
        let (creditedTokens, tokenSteps, occurrenceSum) = try generation.creditStatistics()
        let seeded = try generation.measure(rounds: generationRounds) { .seeded(UInt64($0)) }
        let greedy = try generation.measure(rounds: generationRounds) { _ in .greedy }
        let genPlain = seeded.plain
        let genAttributed = seeded.attributed
        let generationLines = [
            "generation, seeded, \(generation.prompts.count) prompts x \(generation.maxTokens) tokens, \(generationRounds) rounds (rates: best round; overhead: median of each round's ratio)",
            "  without attribution  \(BenchFormat.rate(genPlain)) tokens/s",
            "  with attribution     \(BenchFormat.rate(genAttributed)) tokens/s",
            "  overhead             \(BenchFormat.ratio(seeded.overhead))x   target <= 1.25x",
            "generation, greedy: \(BenchFormat.rate(greedy.plain)) tokens/s without, \(BenchFormat.rate(greedy.attributed)) with attribution, overhead \(BenchFormat.ratio(greedy.overhead))x",
            "  seeded: \(creditedTokens) of \(tokenSteps) tokens credited, \(String(format: "%.1f", Double(occurrenceSum) / Double(max(1, creditedTokens)))) occurrences per credited token",
        ]
        let generationFigures = [
            "generate_tokens_per_s": genPlain,
            "generate_attributed_tokens_per_s": genAttributed,
            "generate_greedy_tokens_per_s": greedy.plain,
            "generate_greedy_attributed_tokens_per_s": greedy.attributed,
        ]
        let generationRatios = ["attribution_overhead": seeded.overhead, "attribution_overhead_greedy": greedy.overhead]
        if generationOnly {
            var report = BenchReport(name: "inference")
            report.figures = generationFigures
            report.ratios = generationRatios
            report.lines = ["remit bench inference --generation-only: \(BenchFormat.buildMode) build, one thread, \(BenchFormat.rate(Double(tokenCount))) tokens"] + generationLines
            return report
        }

        progress?("kNN-Shapley")
        let rows = max(1_000, Int(100_000 * scale))
        let knn = try SyntheticRows.model(rows: rows, seed: 9)
        var knnTimes: [Double] = []
        var queryRng = SplitMix64(seed: 10)
        for _ in 0..<21 {
            let query = (0..<5).map { _ in queryRng.nextUnit() * 2 - 1 }
            let t0 = clock.now
            _ = try knn.answer(.features(query))
            knnTimes.append(seconds(t0.duration(to: clock.now)) * 1_000)
        }
        knnTimes.sort()

        var report = BenchReport(name: "inference")
        report.figures = [
            "index_build_tokens_per_s": Double(tokenCount) / buildSeconds,
            "index_build_from_text_tokens_per_s": Double(textTokens) / textBuildSeconds,
            "index_tokens": Double(tokenCount),
            "index_bytes": Double(bytes.count),
            "count_median_us": countMedian,
            "count_p99_us": countP99,
            "knn_shapley_ms_100k": knnTimes[knnTimes.count / 2],
            "knn_rows": Double(rows),
            "host_cold_load_ms": coldLoadMs,
        ]
        report.figures.merge(generationFigures) { a, _ in a }
        report.ratios = generationRatios
        report.lines = [
            "remit bench inference: \(BenchFormat.buildMode) build, one thread",
            "corpus: \(BenchFormat.rate(Double(tokenCount))) tokens in \(corpus.documents.count) documents, seeded synthetic phrase-Zipf text (not real text)",
            "",
            "index build from token ids (SA-IS, document array, container)  \(BenchFormat.rate(Double(tokenCount) / buildSeconds)) tokens/s  (\(String(format: "%.2f", buildSeconds)) s, \(bytes.count >> 20) MiB)   target >= 2,000,000",
            "index build from text (tokenise too), \(BenchFormat.rate(Double(textTokens))) tokens  \(BenchFormat.rate(Double(textTokens) / textBuildSeconds)) tokens/s",
            "n-gram count (n = 1..5, \(patterns.count) queries)  median \(String(format: "%.2f", countMedian)) us, p99 \(String(format: "%.2f", countP99)) us   target median <= 20 us",
        ] + generationLines + [
            "kNN-Shapley, \(BenchFormat.rate(Double(rows))) rows x 5 features, exact, per query  median \(String(format: "%.2f", knnTimes[knnTimes.count / 2])) ms",
            "ModelHost cold load (register, map \(bytes.count >> 20) MiB, first use)  \(String(format: "%.2f", coldLoadMs)) ms",
        ]
        return report
    }

}

/// The benchmark's seeded synthetic text (token ids directly; see ``InferenceBenchmark``).
struct SyntheticCorpus {
    var vocabulary: [[UInt8]]
    var documents: [[UInt32]]
    var metadata: [CorpusDocument]

    init(seed: UInt64, targetTokens: Int) {
        var rng = SplitMix64(seed: seed)
        let vocabularySize = 50_000
        // Zero-padded names sort by bytes in numeric order, so id i+1 is word i.
        vocabulary = [[]] + (0..<vocabularySize).map { Array("w\(String(repeating: "0", count: 5 - String($0).count))\($0)".utf8) }
        let words = Zipf(count: vocabularySize, exponent: 1.07)
        let phrases: [[UInt32]] = (0..<20_000).map { _ in
            (0..<(3 + Int(rng.uniform(below: 10)))).map { _ in UInt32(words.sample(&rng) + 1) }
        }
        let phrasePick = Zipf(count: phrases.count, exponent: 1.0)
        var documents: [[UInt32]] = []
        var total = 0
        while total < targetTokens {
            var doc: [UInt32] = []
            for _ in 0..<(5 + Int(rng.uniform(below: 36))) { doc += phrases[phrasePick.sample(&rng)] }
            total += doc.count + 1
            documents.append(doc)
        }
        let contributors = (1...16).map { try! SigningKey(seed: [UInt8](repeating: UInt8($0), count: 32)).publicKey }
        var meta: [CorpusDocument] = []
        meta.reserveCapacity(documents.count)
        for i in documents.indices {
            var w = CanonicalWriter()
            w.write(UInt64(i))
            meta.append(CorpusDocument(contribution: ContributionID(BLAKE2b.hash(w.bytes)), contributor: contributors[i % 16], label: "doc \(i)", content: []))
        }
        // Model order is ascending contribution id (docs/PROTOCOL.md §10.4).
        let order = meta.indices.sorted { meta[$0].contribution < meta[$1].contribution }
        self.documents = order.map { documents[$0] }
        metadata = order.map { meta[$0] }
    }
}

/// Zipf sampling by inverse CDF over precomputed cumulative weights.
struct Zipf {
    let cumulative: [Double]

    init(count: Int, exponent: Double) {
        var sum = 0.0
        cumulative = (1...count).map { rank in
            sum += 1 / pow(Double(rank), exponent)
            return sum
        }
    }

    func sample(_ rng: inout SplitMix64) -> Int {
        let u = rng.nextUnit() * cumulative.last!
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// Seeded rows for the kNN benchmark.
enum SyntheticRows {
    static func model(rows: Int, seed: UInt64) throws -> any Model {
        var rng = SplitMix64(seed: seed)
        var documents: [CorpusDocument] = []
        let contributor = try! SigningKey(seed: [UInt8](repeating: 7, count: 32)).publicKey
        for i in 0..<rows {
            let features = (0..<5).map { _ in rng.nextUnit() * 2 - 1 }
            let label = features[0] + 0.5 * features[1] + 0.3 * (rng.nextUnit() - 0.5) > 0 ? "up" : "down"
            let content = try RowCodec.encode(features: features, target: label)
            var w = CanonicalWriter()
            w.write(UInt64(i))
            documents.append(CorpusDocument(contribution: ContributionID(BLAKE2b.hash(w.bytes)), contributor: contributor, label: "row \(i)", kind: .row, content: content))
        }
        let snapshot = DatanetSnapshot(datanet: DatanetID(BLAKE2b.hash(Array("rows".utf8))), version: BLAKE2b.hash([1]), name: "rows",
                                       documents: documents, schema: RowSchema(features: ["a", "b", "c", "d", "e"], target: "label"))
        let manifest = try ModelFactory.manifest(kind: .knnClassify, name: "bench-knn", snapshots: [snapshot], params: ["k": "10"])
        return try ModelFactory.buildInMemory(manifest, snapshots: [snapshot])
    }
}
