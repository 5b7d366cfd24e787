import Synchronization

/// An answer's ``Explanation``, either given or built on first read and then kept.
///
/// Explanations are for people (`--explain`, `--json`) and no digest covers them, yet building
/// one reads labels and token texts that receipts never need; a model that defers it leaves
/// that work to the reader. Building is a pure function of what the answer computed, so a
/// deferred explanation equals the one built eagerly. The builder may keep the model's index
/// mapped until the explanation is read or the answer is dropped.
final class DeferredExplanation: Sendable {
    private enum State: Sendable {
        case ready(Explanation)
        case pending(@Sendable () -> Explanation)
    }

    /// The explanation, or how to build it; the mutex guards the one switch from pending to ready.
    private let state: Mutex<State>

    /// An explanation already built.
    init(_ explanation: Explanation) { state = Mutex(.ready(explanation)) }

    /// An explanation `build` makes on first read.
    init(building build: @escaping @Sendable () -> Explanation) { state = Mutex(.pending(build)) }

    /// The explanation, built now if it was deferred.
    var value: Explanation {
        state.withLock { state in
            switch state {
            case .ready(let explanation):
                return explanation
            case .pending(let build):
                let explanation = build()
                state = .ready(explanation)
                return explanation
            }
        }
    }
}
