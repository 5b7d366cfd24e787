import Foundation
public import Logging
public import RemitCore
public import ServiceLifecycle

/// Hosts many agents at once as one ServiceLifecycle `Service`: each runs in its own child task
/// with its own identity, wallet, policy and budget; a graceful shutdown cancels them, and when
/// they have stopped every channel is closed and settled and the event log flushed.
public final class AgentRuntime: Service {
    /// One hosted agent.
    public struct Hosted: Sendable {
        /// The agent.
        public var agent: any Agent
        /// Its wallet.
        public var wallet: Wallet
        /// Its events.
        public var events: EventSink

        /// Hosts `agent` with `wallet`.
        public init(agent: any Agent, wallet: Wallet, events: EventSink) {
            self.agent = agent
            self.wallet = wallet
            self.events = events
        }
    }

    /// How an agent's run ended.
    public struct Outcome: Sendable {
        /// The agent's name.
        public var agent: String
        /// Nil when it finished; the error otherwise.
        public var error: (any Error & Sendable)?
    }

    private let agents: [Hosted]
    private let clock: any AgentClock
    private let log: EventLog?
    private let logger: Logger
    private let settleOnExit: Bool
    private let outcomes = OutcomeBox()

    /// A runtime for `agents`; with `settleOnExit`, every channel is settled when they stop.
    public init(agents: [Hosted], clock: any AgentClock, log: EventLog?, logger: Logger = Logger(label: "remit.runtime"), settleOnExit: Bool = true) {
        self.agents = agents
        self.clock = clock
        self.log = log
        self.logger = logger
        self.settleOnExit = settleOnExit
    }

    /// Runs every agent until it returns, or until a graceful shutdown cancels them.
    public func run() async throws {
        logger.info("runtime starting", metadata: ["agents": "\(agents.count)"])
        let agents = self.agents
        let clock = self.clock
        let outcomes = self.outcomes
        let logger = self.logger
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Outcome.self) { group in
                for hosted in agents {
                    let context = AgentContext(
                        name: hosted.agent.name, wallet: hosted.wallet, clock: clock,
                        logger: Logger(label: "remit.agent.\(hosted.agent.name)"), sink: hosted.events
                    )
                    group.addTask {
                        do {
                            try await hosted.agent.run(context: context)
                            return Outcome(agent: hosted.agent.name, error: nil)
                        } catch {
                            return Outcome(agent: hosted.agent.name, error: SendableError(error))
                        }
                    }
                }
                for await outcome in group {
                    outcomes.append(outcome)
                    if let error = outcome.error { logger.warning("agent stopped", metadata: ["agent": "\(outcome.agent)", "error": "\(error)"]) }
                }
            }
        }
        if settleOnExit {
            for hosted in agents { await hosted.wallet.settleAll() }
        }
        for hosted in agents { hosted.events.finish() }
        log?.flush()
        logger.info("runtime stopped")
    }

    /// How each agent's run ended, in the order they stopped.
    public var results: [Outcome] { outcomes.all }
}

/// Outcomes collected while agents stop; written by the runtime's own task only.
final class OutcomeBox: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var items: [AgentRuntime.Outcome] = []

    func append(_ outcome: AgentRuntime.Outcome) {
        lock.lock()
        items.append(outcome)
        lock.unlock()
    }

    var all: [AgentRuntime.Outcome] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

/// Any error carried as a Sendable value (its description survives).
public struct SendableError: Error, Sendable, CustomStringConvertible {
    /// The error's code when it was a ``RemitError``.
    public let code: RemitError.Code?
    /// The error's description.
    public let description: String

    public init(_ error: any Error) {
        code = (error as? RemitError)?.code
        description = (error as? RemitError).map { "\($0.message) [\($0.code)]" } ?? String(describing: error)
    }
}
