import Dispatch
import Foundation
public import Logging
public import RemitCore
public import RemitCrypto

/// Hosts many specialised models in one process under a memory budget (the OpenLoRA idea, on
/// CPU): models are registered by folder, their indexes are mapped on first use, and the least
/// recently used are evicted when the mapped bytes pass the budget. Loading and answering run
/// on a dedicated dispatch queue, never on the cooperative thread pool; concurrent first uses
/// of one model share one load.
public actor ModelHost {
    /// Counters since the host started.
    public struct Statistics: Sendable, Hashable {
        /// Answers served.
        public var answers = 0
        /// Models loaded (cold starts).
        public var loads = 0
        /// Models evicted.
        public var evictions = 0
        /// Bytes of index currently mapped.
        public var residentBytes = 0
    }

    private struct Registration {
        var folder: String
        var manifest: ModelManifest
    }

    private struct Resident {
        var model: any Model
        var lastUse: UInt64
    }

    /// Most bytes of index kept mapped at once (a model larger than the budget is still served, alone).
    public nonisolated let budgetBytes: Int
    private let logger: Logger
    private var registry: [String: Registration] = [:]
    private var ids: [ModelID: String] = [:]
    private var resident: [String: Resident] = [:]
    private var loading: [String: Task<Result<any Model, RemitError>, Never>] = [:]
    private var clock: UInt64 = 0
    private var statistics = Statistics()

    /// The queue CPU work runs on (concurrent, outside the cooperative pool).
    static let workQueue = DispatchQueue(label: "remit.inference.model-host", qos: .userInitiated, attributes: .concurrent)

    /// Creates a host with a budget of mapped index bytes.
    public init(budgetBytes: Int, logger: Logger = Logger(label: "remit.inference.model-host")) {
        self.budgetBytes = budgetBytes
        self.logger = logger
    }

    /// Registers a model folder (reads only its manifest); with `owner`, the model can also be
    /// addressed by its ``ModelID``. Re-registering a name replaces it and drops it from memory.
    @discardableResult
    public func register(folder: String, owner: PublicKey? = nil) throws(RemitError) -> ModelManifest {
        let manifest = try ModelFactory.manifest(folder: folder)
        registry[manifest.name] = Registration(folder: folder, manifest: manifest)
        if let owner { ids[manifest.modelID(owner: owner)] = manifest.name }
        if let old = resident.removeValue(forKey: manifest.name) { statistics.residentBytes -= old.model.byteCount }
        logger.debug("registered model", metadata: ["model.name": "\(manifest.name)", "model.version": "\(manifest.modelVersion)"])
        return manifest
    }

    /// The registered models' manifests, by name.
    public func manifests() -> [String: ModelManifest] { registry.mapValues(\.manifest) }

    /// Names of the models in memory, least recently used first.
    public func residentModels() -> [String] { resident.sorted { $0.value.lastUse < $1.value.lastUse }.map(\.key) }

    /// Counters.
    public func stats() -> Statistics { statistics }

    /// Answers `request` with the model registered as `name`, loading it first if needed.
    public func answer(model name: String, request: ModelRequest) async throws(RemitError) -> ModelAnswer {
        let model = try await model(named: name)
        statistics.answers += 1
        return try await ModelHost.offPool { () throws(RemitError) in try model.answer(request) }.get()
    }

    /// Answers every request of a run with the model registered as `name`, in one trip off the
    /// cooperative pool, spread over the cores: one hop for the run instead of one per request.
    /// Results are in request order; a request the model refuses holds its error.
    public func answers(model name: String, requests: [ModelRequest]) async throws(RemitError) -> [Result<ModelAnswer, RemitError>] {
        let model = try await model(named: name)
        statistics.answers += requests.count
        return try await ModelHost.offPool { () throws(RemitError) in ModelHost.answerAll(model, requests) }.get()
    }

    /// Answers `requests` on the calling thread and, when there are several, on up to one thread
    /// per core more (`concurrentPerform`); each slot is written by exactly one worker.
    static func answerAll(_ model: any Model, _ requests: [ModelRequest]) -> [Result<ModelAnswer, RemitError>] {
        @Sendable func one(_ request: ModelRequest) -> Result<ModelAnswer, RemitError> {
            Result { () throws(RemitError) -> ModelAnswer in try model.answer(request) }
        }
        let workers = min(requests.count, ProcessInfo.processInfo.activeProcessorCount)
        guard workers > 1 else { return requests.map(one) }
        let slots = ResultSlots(count: requests.count)
        defer { slots.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < requests.count {
                slots.store(one(requests[index]), at: index)
                index += workers
            }
        }
        return slots.collect()
    }

    /// Answers with the model listed under `id` (registered with its owner).
    public func answer(model id: ModelID, request: ModelRequest) async throws(RemitError) -> ModelAnswer {
        guard let name = ids[id] else { throw RemitError(.modelUnknown, "no model with id \(id) is registered with an owner on this host") }
        return try await answer(model: name, request: request)
    }

    /// The loaded model `name`, loading it (off the cooperative pool) and evicting others as needed.
    public func model(named name: String) async throws(RemitError) -> any Model {
        clock += 1
        if resident[name] != nil {
            resident[name]!.lastUse = clock
            return resident[name]!.model
        }
        if let inFlight = loading[name] { return try await inFlight.value.get() }
        guard let registration = registry[name] else {
            throw RemitError(.modelUnknown, "model \(name) is not registered on this host (registered: \(registry.keys.sorted().joined(separator: ", ")))")
        }
        let folder = registration.folder
        let task = Task { await ModelHost.offPool { () throws(RemitError) in try ModelFactory.load(folder: folder) } }
        loading[name] = task
        let result = await task.value
        loading[name] = nil
        let model = try result.get()
        clock += 1
        resident[name] = Resident(model: model, lastUse: clock)
        statistics.loads += 1
        statistics.residentBytes += model.byteCount
        logger.info("loaded model", metadata: ["model.name": "\(name)", "model.bytes": "\(model.byteCount)"])
        evict(keeping: name)
        return model
    }

    private func evict(keeping name: String) {
        while statistics.residentBytes > budgetBytes, resident.count > 1 {
            guard let victim = resident.filter({ $0.key != name }).min(by: { $0.value.lastUse < $1.value.lastUse })?.key else { return }
            let bytes = resident.removeValue(forKey: victim)!.model.byteCount
            statistics.residentBytes -= bytes
            statistics.evictions += 1
            logger.info("evicted model", metadata: ["model.name": "\(victim)", "model.bytes": "\(bytes)"])
        }
    }

    /// Runs `body` on ``workQueue`` and resumes the caller with its result.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws(RemitError) -> T) async -> Result<T, RemitError> {
        await withCheckedContinuation { continuation in
            workQueue.async {
                continuation.resume(returning: Result { () throws(RemitError) -> T in try body() })
            }
        }
    }
}

/// Fixed slots for answers computed by several workers at once. Each index is written by exactly
/// one worker and read only after every worker has finished (`concurrentPerform` returns after
/// all iterations), so no lock is needed; hence `@unchecked Sendable`.
private struct ResultSlots: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Result<ModelAnswer, RemitError>?>
    private let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: nil, count: count)
    }

    func store(_ result: Result<ModelAnswer, RemitError>, at index: Int) { base[index] = result }

    func collect() -> [Result<ModelAnswer, RemitError>] {
        (0..<count).map { base[$0] ?? .failure(RemitError(.modelInvalid, "answer \($0) of the run was not computed")) }
    }

    func deallocate() {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
