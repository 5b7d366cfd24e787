import Dispatch
import Foundation
import RemitChannels
import RemitCore
import RemitCrypto

/// `remit bench channel`: the crypto floor of a paid query, the full in-process paid query
/// through both durable books, and tick streams with Merkle-batched receipts, in one run.
public enum ChannelBenchmark {
    /// Runs the benchmark; `scale` multiplies the work (1 is about 30 seconds in release).
    public static func run(scale: Double = 1, agents: Int = 16, ticksOnly: Bool = false, queriesOnly: Bool = false) async throws -> BenchReport {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let payerKey = ProtocolVectors.key(0x02)
        let payeeKey = ProtocolVectors.key(0x03)
        let ledger = ProtocolVectors.ledger
        let draft = sampleDraft(price: try Amount(credits: "0.001"))
        let sampleVoucher = ProtocolVectors.voucher.canonicalBytes
        let sampleReceipt = draft.receipt(ledger: ledger, channel: ProtocolVectors.channelOpen.channel, sequence: 1, requestDigest: .zero).canonicalBytes

        // (a) The floor: libsodium directly, one thread and every core.
        let floorN = max(200, Int(4_000 * scale))
        let floorCPUStart = processCPUSeconds()
        let floorOne = measureRate(iterations: floorN) { n in
            _ = SodiumFloor.paidQueryLoop(payerSeed: [UInt8](repeating: 2, count: 32), payeeSeed: [UInt8](repeating: 3, count: 32),
                                          voucher: sampleVoucher, receipt: sampleReceipt, iterations: n)
        }
        let floorCPU = (processCPUSeconds() - floorCPUStart) / Double(floorN) * 1e6
        let floorAll = measureRate(iterations: floorN * cores) { _ in
            DispatchQueue.concurrentPerform(iterations: cores) { _ in
                _ = SodiumFloor.paidQueryLoop(payerSeed: [UInt8](repeating: 2, count: 32), payeeSeed: [UInt8](repeating: 3, count: 32),
                                              voucher: sampleVoucher, receipt: sampleReceipt, iterations: floorN)
            }
        }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("remit-bench-channel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The storage floor: one payment-sized row per WAL commit, nothing else. A paid query
        // commits at least twice (payer before sending, payee before answering).
        let commitFloor = try StorageFloor.commitMicros(path: directory.appendingPathComponent("floor.sqlite").path, iterations: floorN * 2,
                                                        rowBytes: sampleVoucher.count + sampleReceipt.count + 96 * 2)
        let oneAgentCeiling = floorCPU / (floorCPU + 2 * commitFloor)
        let batchedRowFloor = try StorageFloor.commitMicros(path: directory.appendingPathComponent("floor-batched.sqlite").path, iterations: floorN * 4,
                                                            rowBytes: sampleVoucher.count + sampleReceipt.count + 96 * 2, rowsPerCommit: max(agents, 1))
        let batchedCeiling = floorCPU / (floorCPU + 2 * batchedRowFloor)

        // (b) Full paid queries through both books: one agent, then `agents` in parallel.
        let payer = try PayerBook(path: directory.appendingPathComponent("payer.sqlite").path, key: payerKey, ledger: ledger)
        let payee = try PayeeBook(path: directory.appendingPathComponent("payee.sqlite").path, key: payeeKey, ledger: ledger)
        let now = UInt64(Date().timeIntervalSince1970)
        let price = try Amount(credits: "0.001")
        var channels: [ChannelID] = []
        for _ in 0..<max(agents, 1) {
            let open = try await payer.prepareOpen(payee: payeeKey.publicKey, deposit: try Amount(credits: 1_000_000), expiresAt: now + 86_400, challengePeriod: 60)
            try await payee.register(open)
            channels.append(open.message.channel)
        }
        let perAgent = max(50, Int(Double(3_000) * scale))
        let skip = Run(rate: 0, p50: 0, p99: 0)
        let single = ticksOnly ? skip : try await paidQueries(payer: payer, payee: payee, channels: [channels[0]], perAgent: perAgent, price: price, draft: draft, now: now, tag: 0)
        let commitsBefore = payee.commitCount
        let parallel = ticksOnly ? skip : try await paidQueries(payer: payer, payee: payee, channels: channels, perAgent: perAgent, price: price, draft: draft, now: now, tag: 1)
        let parallelCommits = payee.commitCount - commitsBefore
        let paymentsPerCommit = parallelCommits > 0 ? Double(perAgent * channels.count) / Double(parallelCommits) : 0

        // (c) Tick streams: runs of 1024 ticks, receipts batched under one signed root per run.
        let tickUnit = try Amount(units: 1_000)
        let runs = queriesOnly ? 0 : max(4, Int(Double(200) * scale))
        let runLength = 1_024
        let streamOpen = try await payer.prepareOpen(payee: payeeKey.publicKey, deposit: try Amount(credits: 1_000_000), expiresAt: now + 86_400,
                                                     challengePeriod: 60, tickUnit: tickUnit, tickLength: UInt64(runs * runLength + 1))
        try await payee.register(streamOpen)
        let stream = streamOpen.message.channel
        // Every answer differs: its own response digest, and one of four attributions (twelve
        // contributions, three each, with their own weights) in turn. A stored row writes each
        // receipt's digests and weights in full and each contribution once. The answers are made
        // before the clock starts: they are the model's work, not the payment's.
        let tickDrafts = (0..<4).map { sampleDraft(price: tickUnit, variant: $0) }
        let answers: [[ReceiptDraft]] = (0..<runs).map { run in
            (0..<runLength).map { i in
                var draft = tickDrafts[i % tickDrafts.count]
                draft.responseDigest = requestDigest(tag: 3, agent: run, n: i)
                return draft
            }
        }
        let cpuStart = processCPUSeconds()
        let wallStart = ContinuousClock.now
        var paid = 0
        for run in 0..<runs {
            let requests = (0..<runLength).map { i in (requestDigest: requestDigest(tag: 2, agent: run, n: i), maxPrice: tickUnit) }
            let ticks = try await payer.payTicks(channel: stream, requests: requests, now: now)
            let items = ticks.enumerated().map { i, tick in
                PayeeBook.StreamedTick(tick: tick, requestDigest: requests[i].requestDigest, maxPrice: tickUnit, draft: answers[run][i])
            }
            let (run, refusal) = try await payee.serve(stream: items, channel: stream, now: now)
            if let refusal { throw refusal }
            guard let run else { continue }
            try await payer.accept(run: run)
            paid += run.receipts.count
        }
        let tickCPU = processCPUSeconds() - cpuStart
        let tickWall = seconds(ContinuousClock.now - wallStart)

        var report = BenchReport(name: "channel")
        let ratio = parallel.rate / floorAll
        report.figures = [
            "floor_queries_per_s_1_thread": floorOne,
            "floor_queries_per_s_all_cores": floorAll,
            "paid_queries_per_s_1_agent": single.rate,
            "paid_queries_per_s": parallel.rate,
            "p50_us": parallel.p50, "p99_us": parallel.p99,
            "p50_us_1_agent": single.p50, "p99_us_1_agent": single.p99,
            "tick_payments_per_s_per_core": Double(paid) / tickCPU,
            "tick_payments_per_s_wall": Double(paid) / tickWall,
            "largest_group_commit": Double(payee.largestCommitBatch),
            "payments_per_payee_commit": paymentsPerCommit,
            "floor_cpu_us_per_query": floorCPU,
            "commit_floor_cpu_us": commitFloor,
            "batched_row_floor_cpu_us": batchedRowFloor,
            "paid_query_cpu_us_1_agent": single.cpuMicros,
            "paid_query_cpu_us": parallel.cpuMicros,
        ]
        report.ratios = [
            "paid_query_vs_floor": ratio,
            "paid_query_vs_floor_1_agent": single.rate / floorOne,
            "paid_query_cpu_vs_floor": parallel.cpuMicros > 0 ? floorCPU / parallel.cpuMicros : 0,
            "one_agent_ceiling_two_commits": oneAgentCeiling,
            "batched_ceiling_two_rows": batchedCeiling,
        ]
        report.lines = [
            "remit bench channel: \(BenchFormat.buildMode) build, \(cores) cores",
            "",
            "(a) crypto floor, libsodium direct: sign+verify a \(sampleVoucher.count)-byte voucher and a \(sampleReceipt.count)-byte receipt",
            "    1 thread:        \(BenchFormat.rate(floorOne)) queries/s",
            "    \(cores) threads:       \(BenchFormat.rate(floorAll)) queries/s",
            "    SQLite floor: one \(sampleVoucher.count + sampleReceipt.count + 192)-byte row per WAL commit, \(String(format: "%.1f", commitFloor)) CPU us; with two per query one agent's ratio can be at most \(BenchFormat.ratio(oneAgentCeiling))",
            "    \(agents) such rows per commit, one per channel: \(String(format: "%.1f", batchedRowFloor)) CPU us a row; with perfect group commit the ratio can be at most \(BenchFormat.ratio(batchedCeiling))",
            "(b) full paid query: payer book signs + persists voucher, payee book verifies, signs receipt,",
            "    makes both durable (SQLite WAL, group commit), payer verifies + records the receipt",
            "    1 agent:         \(BenchFormat.rate(single.rate)) queries/s  p50 \(Int(single.p50)) us  p99 \(Int(single.p99)) us  ratio \(BenchFormat.ratio(single.rate / floorOne)) of 1-thread floor",
            "    \(agents) agents:       \(BenchFormat.rate(parallel.rate)) queries/s  p50 \(Int(parallel.p50)) us  p99 \(Int(parallel.p99)) us  ratio \(BenchFormat.ratio(ratio)) of \(cores)-thread floor",
            "    CPU per query: floor \(String(format: "%.1f", floorCPU)) us, 1 agent \(String(format: "%.1f", single.cpuMicros)) us, \(agents) agents \(String(format: "%.1f", parallel.cpuMicros)) us (all threads)",
            "    payee group commit (\(agents) agents): \(String(format: "%.2f", paymentsPerCommit)) payments per commit on average, \(payee.largestCommitBatch) at most",
            "(c) tick streams, runs of \(runLength) with one signed Merkle root per run, both books durable:",
            "    \(BenchFormat.rate(Double(paid) / tickCPU)) payments per CPU-second (per core), \(BenchFormat.rate(Double(paid) / tickWall)) per wall second",
            "",
            "targets: (b) >= 0.85 x (a) [paid_query_vs_floor]; (c) >= 200,000 payments/s per core",
        ]
        return report
    }

    struct Run {
        var rate: Double
        var p50: Double
        var p99: Double
        /// Process CPU time per query (all threads), microseconds.
        var cpuMicros: Double = 0
    }

    private static func paidQueries(
        payer: PayerBook, payee: PayeeBook, channels: [ChannelID], perAgent: Int, price: Amount, draft: ReceiptDraft, now: UInt64, tag: Int
    ) async throws -> Run {
        let start = ContinuousClock.now
        let cpuStart = processCPUSeconds()
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for (agent, channel) in channels.enumerated() {
                group.addTask {
                    var latencies: [Double] = []
                    latencies.reserveCapacity(perAgent)
                    for n in 0..<perAgent {
                        let began = ContinuousClock.now
                        let request = requestDigest(tag: tag, agent: agent, n: n)
                        guard case .voucher(let voucher) = try await payer.pay(channel: channel, requestDigest: request, maxPrice: price, now: now) else { continue }
                        guard case .serve(let payment) = try await payee.accept(voucher: voucher, requestDigest: request, maxPrice: price, now: now) else { continue }
                        let receipt = try await payee.complete(payment, draft: draft)
                        try await payer.accept(receipt: receipt)
                        latencies.append(seconds(ContinuousClock.now - began) * 1e6)
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        let elapsed = seconds(ContinuousClock.now - start)
        let cpu = processCPUSeconds() - cpuStart
        guard !latencies.isEmpty else { return Run(rate: 0, p50: 0, p99: 0) }
        return Run(rate: Double(latencies.count) / elapsed, p50: latencies[latencies.count / 2], p99: latencies[min(latencies.count - 1, latencies.count * 99 / 100)],
                   cpuMicros: cpu / Double(latencies.count) * 1e6)
    }

    private static func requestDigest(tag: Int, agent: Int, n: Int) -> Digest32 {
        var writer = CanonicalWriter()
        writer.write(UInt64(tag))
        writer.write(UInt64(agent))
        writer.write(UInt64(n))
        return BLAKE2b.hash(writer.bytes)
    }

    /// A receipt draft crediting three contributions, like a typical answer; each `variant`
    /// credits three others with other weights.
    static func sampleDraft(price: Amount, variant: Int = 0) -> ReceiptDraft {
        let weights: [UInt16] = [[5_000, 3_000, 2_000], [6_000, 2_500, 1_500], [4_000, 3_500, 2_500], [7_000, 2_000, 1_000]][variant % 4]
        var entries: [AttributionEntry] = []
        for index in 0..<weights.count {
            let contribution = ContributionID(BLAKE2b.hash([UInt8(index + 3 * variant)]))
            let contributor = ProtocolVectors.key(UInt8(0x10 + index + 3 * variant)).publicKey
            entries.append(AttributionEntry(contribution: contribution, contributor: contributor, weightBps: weights[index]))
        }
        entries.sort { $0.contribution < $1.contribution }
        return ReceiptDraft(responseDigest: BLAKE2b.hash(Array("answer".utf8)), model: ProtocolVectors.listing.model,
                            modelVersion: ProtocolVectors.listing.modelVersion, listingSequence: 1, price: price, outputTokens: 8,
                            coverageBps: 10_000, attribution: entries)
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// CPU time used by this process so far (all threads), in seconds.
func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
