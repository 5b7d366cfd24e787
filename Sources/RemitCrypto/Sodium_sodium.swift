internal import CSodium

/// libsodium must be initialised once before use: it picks the fastest implementation of each
/// primitive for this CPU and seeds its random generator. `sodium_init` is itself thread-safe and
/// idempotent; the global's lazy initialiser makes the check a single atomic load afterwards.
enum Sodium {
    private static let initialised: Bool = sodium_init() >= 0

    @inline(__always)
    static func ensureInitialised() {
        precondition(initialised, "libsodium failed to initialise (sodium_init returned -1)")
    }
}
