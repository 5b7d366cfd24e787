import Foundation
import RemitCore
public import RemitCrypto
public import RemitInference
public import RemitRuntime

/// A data contributor: adds its texts to a datanet one at a time, signed with its key, registers
/// each on the ledger, and waits between them. It can be an honest source, a spammer, or a
/// copier (duplicates are refused by the datanet, which it records as a refusal).
public struct ContributorAgent: Agent {
    public let name: String
    /// The datanet it contributes to.
    public let datanet: Datanet
    /// The contributor's key (signs contributions; is paid when credited).
    public let key: SigningKey
    /// The ledger contributions are registered on.
    public let ledger: any LedgerAccess
    /// The texts it adds, in order.
    public var texts: [String]
    /// Seconds between contributions.
    public var interval: Double
    /// Label written on each contribution.
    public var label: String

    /// A contributor agent.
    public init(name: String, datanet: Datanet, key: SigningKey, ledger: any LedgerAccess, texts: [String], interval: Double, label: String) {
        self.name = name
        self.datanet = datanet
        self.key = key
        self.ledger = ledger
        self.texts = texts
        self.interval = interval
        self.label = label
    }

    public func run(context: AgentContext) async throws {
        var added = 0
        for text in texts {
            try Task.checkCancellation()
            do {
                let signed = try await datanet.add(content: Array(text.utf8), kind: .text, label: label, contributor: key, createdAt: context.clock.now())
                _ = try await ledger.register(datanetMessages: [AnyMessage(signed)])
                added += 1
            } catch {
                context.note("contribution refused: \(error.message) [\(error.code)]")
            }
            try await context.clock.sleep(seconds: interval)
        }
        context.note("contributed \(added) of \(texts.count) texts to \(datanet.name)")
    }
}
