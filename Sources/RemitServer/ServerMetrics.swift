import CoreMetrics
import Foundation
import Metrics
import Prometheus
import RemitCore
import Synchronization

/// The server's counters and timers, through swift-metrics on a registry of its own (no global
/// bootstrap, so several servers can live in one process), exported by `/metrics` in the
/// Prometheus text format. Also keeps per-model figures for the directory (answered, failed,
/// mean latency).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    let paid: CoreMetrics.Counter
    let challenged: CoreMetrics.Counter
    let queryLatency: Metrics.Timer
    let requests: CoreMetrics.Counter
    let started = Date()
    /// Counters by refusal code, made on first use (guarded by the Mutex).
    private let refusals = Mutex<[String: CoreMetrics.Counter]>([:])
    /// Per-model answered, failed, and total latency in nanoseconds (guarded by the Mutex).
    private let models = Mutex<[ModelID: (answered: Int, failed: Int, nanos: Int64)]>([:])

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5),
        ]
        self.factory = factory
        paid = CoreMetrics.Counter(label: "remit_queries_paid_total", dimensions: [], factory: factory)
        challenged = CoreMetrics.Counter(label: "remit_queries_challenged_total", dimensions: [], factory: factory)
        queryLatency = Metrics.Timer(label: "remit_query_duration_seconds", dimensions: [], factory: factory)
        requests = CoreMetrics.Counter(label: "remit_http_requests_total", dimensions: [], factory: factory)
    }

    /// Counts a refusal by its code.
    func refused(_ code: RemitError.Code) {
        let counter = refusals.withLock { counters in
            if let counter = counters[code.rawValue] { return counter }
            let counter = CoreMetrics.Counter(label: "remit_refusals_total", dimensions: [("code", code.rawValue)], factory: factory)
            counters[code.rawValue] = counter
            return counter
        }
        counter.increment()
    }

    /// Records an answered paid query of `model`.
    func answered(_ model: ModelID, nanoseconds: Int64) {
        paid.increment()
        queryLatency.recordNanoseconds(nanoseconds)
        models.withLock { models in
            var entry = models[model] ?? (0, 0, 0)
            entry.answered += 1
            entry.nanos += nanoseconds
            models[model] = entry
        }
    }

    /// Records a paid query of `model` that failed on the server's side.
    func failed(_ model: ModelID) {
        models.withLock { models in
            var entry = models[model] ?? (0, 0, 0)
            entry.failed += 1
            models[model] = entry
        }
    }

    /// The figures a model card shows.
    func observed(_ model: ModelID) -> HTTPBodies.Observed {
        let entry: (answered: Int, failed: Int, nanos: Int64) = models.withLock { $0[model] } ?? (0, 0, 0)
        let total = entry.answered + entry.failed
        return HTTPBodies.Observed(
            answered: entry.answered, failed: entry.failed,
            meanLatencyMs: entry.answered == 0 ? 0 : Double(entry.nanos) / Double(entry.answered) / 1e6,
            uptime: total == 0 ? 1 : Double(entry.answered) / Double(total), upSeconds: UInt64(max(0, -started.timeIntervalSinceNow))
        )
    }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
