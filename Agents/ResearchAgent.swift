import Foundation
import RemitCore
import RemitInference
public import RemitRuntime

/// Researches a topic by paying models: it asks retrieval (question-answering) models each
/// question, asks a language model to continue the topic, and writes a Markdown report whose
/// citations name the contributors each answer credited and what each query cost.
public struct ResearchAgent: Agent {
    public let name: String
    /// What to research.
    public var topic: String
    /// Questions to ask; derived from the topic when empty.
    public var questions: [String]
    /// Passages retrieved per question.
    public var topK: UInt32
    /// Tokens the language model may generate.
    public var maxTokens: UInt32
    /// Where to write the report (Markdown); nil to keep it only in ``lastReport``.
    public var reportPath: String?
    /// The report of the last run.
    public let lastReport = ReportBox()

    /// A research agent.
    public init(name: String = "research", topic: String, questions: [String] = [], topK: UInt32 = 3, maxTokens: UInt32 = 24, reportPath: String? = nil) {
        self.name = name
        self.topic = topic
        self.questions = questions
        self.topK = topK
        self.maxTokens = maxTokens
        self.reportPath = reportPath
    }

    /// The questions asked: the given ones, or three derived from the topic.
    public var plannedQuestions: [String] {
        questions.isEmpty ? ["What is said about \(topic)?", "Who wrote about \(topic)?", "What is the best advice about \(topic)?"] : questions
    }

    public func run(context: AgentContext) async throws {
        var findings: [ResearchReport.Finding] = []
        for question in plannedQuestions {
            try Task.checkCancellation()
            findings.append(await ask(.question(question, topK: topK), title: question, context: context))
        }
        findings.append(await ask(.generate(prompt: topic, maxTokens: maxTokens, sampling: .greedy), title: "Continue: \(topic)", context: context))
        let budget = await context.budget()
        let report = ResearchReport(agent: name, topic: topic, time: context.clock.now(), findings: findings, budget: budget)
        let markdown = report.markdown()
        lastReport.set(markdown)
        if let reportPath {
            guard FileManager.default.createFile(atPath: reportPath, contents: Data(markdown.utf8)) else {
                throw RemitError(.runtimeIO, "cannot write the research report to \(reportPath)")
            }
        }
        context.note("research report on \(topic): \(findings.filter { $0.answer != nil }.count) answers, \(budget.spent) credits spent")
    }

    private func ask(_ request: ModelRequest, title: String, context: AgentContext) async -> ResearchReport.Finding {
        do {
            let (model, paid) = try await context.ask(request)
            return ResearchReport.Finding(title: title, model: model.listing.message, answer: paid.answer, receipt: paid.receipt.receipt, error: nil)
        } catch {
            return ResearchReport.Finding(title: title, model: nil, answer: nil, receipt: nil, error: "\(error.message) [\(error.code)]")
        }
    }
}

/// Holds a report produced during a run (written once by the agent's task, read after it).
public final class ReportBox: Sendable {
    private let value = ReportStorage()

    /// An empty box.
    public init() {}

    func set(_ text: String) { value.set(text) }

    /// The report, once written.
    public var text: String? { value.get() }
}
