import Synchronization

/// Where an agent's events go: its own stream (``AgentContext/events``) and the runtime's
/// shared event log.
public final class EventSink: Sendable {
    /// The agent's name, stamped on every event.
    public let agent: String
    private let log: EventLog?
    private let continuation: AsyncStream<AgentEvent>.Continuation
    /// The agent's events, in order. Single consumer.
    public let stream: AsyncStream<AgentEvent>
    private let counts = Mutex<[AgentEvent.Kind: Int]>([:])

    /// A sink for `agent` writing to `log`; the stream keeps the newest `buffer` events unread.
    public init(agent: String, log: EventLog?, buffer: Int = 1_024) {
        self.agent = agent
        self.log = log
        (stream, continuation) = AsyncStream.makeStream(of: AgentEvent.self, bufferingPolicy: .bufferingNewest(buffer))
    }

    /// Records an event.
    public func emit(_ event: AgentEvent) {
        log?.append(event)
        counts.withLock { $0[event.kind, default: 0] += 1 }
        continuation.yield(event)
    }

    /// How many events of each kind were emitted.
    public var tally: [AgentEvent.Kind: Int] { counts.withLock { $0 } }

    /// Ends the stream.
    public func finish() { continuation.finish() }
}
