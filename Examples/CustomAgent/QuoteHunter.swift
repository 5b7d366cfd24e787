import RemitCore
import RemitInference
import RemitRuntime

/// A custom agent in about 30 lines: for each question it picks the cheapest listed
/// question-answering model, pays for the answer, and notes who was credited. It stops when less
/// than 0.001 credits of its budget is left. The runtime opens channels, enforces the policy,
/// pays, and checks every receipt; the agent never touches a channel.
struct QuoteHunter: Agent {
    let name = "quote-hunter"
    let questions: [String]

    func run(context: AgentContext) async throws {
        for question in questions {
            let models = await context.discover(tags: ["qa"])
            guard let cheapest = models.min(by: { $0.maxPrice < $1.maxPrice }) else {
                context.note("no question-answering model is listed")
                return
            }
            let paid = try await context.query(cheapest.listing.message.model, .question(question, topK: 2))
            let credited = paid.answer.explanation.credits.map { "\($0.label) \(Double($0.weightBps) / 100)%" }
            context.note("\(question) -> \(paid.answer.output) [\(paid.receipt.receipt.price) credits; \(credited.joined(separator: ", "))]")
            if let left = await context.budget().remaining, left.units < 1_000_000 { break }
        }
    }
}
