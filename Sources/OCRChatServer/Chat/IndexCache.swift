import Foundation
import OCRChatAnswers

/// The search indexes of the documents being asked about, least recently used first out, so that
/// a conversation's next question does not re-read and re-index its document.
final class IndexCache: @unchecked Sendable {
    private let capacity: Int
    private let lock = NSLock()
    /// Oldest use first.
    private var entries: [(uuid: String, index: PassageIndex)] = []

    /// A cache holding at most `capacity` indexes (at least one).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The index of `uuid`, built with `make` when it is not held (outside the lock: building a
    /// large document's index must not hold up questions about other documents).
    func index(for uuid: String, make: () throws -> PassageIndex) rethrows -> PassageIndex {
        if let held = take(uuid) { return held }
        let index = try make()
        lock.lock(); defer { lock.unlock() }
        entries.removeAll { $0.uuid == uuid }
        entries.append((uuid, index))
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        return index
    }

    /// Forgets `uuid` (its result was purged).
    func remove(_ uuid: String) {
        lock.lock(); defer { lock.unlock() }
        entries.removeAll { $0.uuid == uuid }
    }

    /// The uuids held, oldest use first.
    var heldUUIDs: [String] {
        lock.lock(); defer { lock.unlock() }
        return entries.map(\.uuid)
    }

    private func take(_ uuid: String) -> PassageIndex? {
        lock.lock(); defer { lock.unlock() }
        guard let position = entries.firstIndex(where: { $0.uuid == uuid }) else { return nil }
        let entry = entries.remove(at: position)
        entries.append(entry)
        return entry.index
    }
}
