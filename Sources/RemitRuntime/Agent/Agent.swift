/// An autonomous agent: one async entry point. It says what it wants through its
/// ``AgentContext``; the runtime finds models, manages channels, enforces the policy, pays, checks
/// receipts and keeps the record.
///
/// ```swift
/// struct Echo: Agent {
///     let name = "echo"
///     func run(context: AgentContext) async throws {
///         let (model, paid) = try await context.ask(.question("Who wrote about the weather?"))
///         context.note("\(model.listing.message.name) answered: \(paid.answer.output)")
///     }
/// }
/// ```
public protocol Agent: Sendable {
    /// The agent's name, used in events, logs and file names.
    var name: String { get }
    /// Does the agent's work; returns when done. Cancellation means stop soon.
    func run(context: AgentContext) async throws
}
