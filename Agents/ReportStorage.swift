import Synchronization

/// A string behind a lock.
final class ReportStorage: Sendable {
    private let storage = Mutex<String?>(nil)

    func set(_ text: String) { storage.withLock { $0 = text } }

    func get() -> String? { storage.withLock { $0 } }
}

/// A value behind a lock.
final class ResultStorage<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    func set(_ value: Value) { storage.withLock { $0 = value } }

    func get() -> Value? { storage.withLock { $0 } }
}
