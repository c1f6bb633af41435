import Synchronization

/// A counter of things in progress with a ceiling: `acquire` fails at once when it is reached,
/// so that the caller can answer 503 rather than wait.
final class ConcurrencyLimit: Sendable {
    private let inUse = Mutex(0)
    let limit: Int

    init(_ limit: Int) {
        self.limit = max(0, limit)
    }

    /// Takes a slot if one is free.
    func acquire() -> Bool {
        inUse.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    /// Gives back a slot taken with `acquire`.
    func release() {
        inUse.withLock { $0 = max(0, $0 - 1) }
    }
}
