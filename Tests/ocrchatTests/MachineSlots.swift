import Foundation
import Testing

/// Each test of a suite with this trait runs only while it holds the machine's one slot for
/// child-process tests: across suites they run one at a time, beside the in-process suites.
///
/// These tests start real processes (servers, the binary, Python clients, Chromium) that work for
/// seconds each. When their waits blocked the cooperative pool, the pool's width (one thread a core)
/// happened to cap how many ran at once; now that they await, every suite's first test would start
/// together, and twenty servers starting on two cores do not answer /healthz within 30 s. With two
/// slots the in-process suites, run in the same `swift test`, still lost too much of the two cores
/// (SharedStoreTests' unreachable database, bounded at 10 s, took 38 s in 2 of 3 runs); with one
/// they do not. Waiting for the slot holds no thread.
struct MachineSlot: TestTrait, SuiteTrait, TestScoping {
    /// Applied to each test of the suite, not to the suite as a whole.
    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> MachineSlot? {
        test.isSuite || testCase == nil ? nil : self
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        await Self.slots.acquire()
        do {
            try await function()
        } catch {
            await Self.slots.release()
            throw error
        }
        await Self.slots.release()
    }

    static let slots = Slots(1)

    /// A counting semaphore whose waiters are suspended tasks, not threads.
    actor Slots {
        private var free: Int
        private var waiting: [CheckedContinuation<Void, Never>] = []

        init(_ count: Int) { free = max(1, count) }

        func acquire() async {
            if free > 0 {
                free -= 1
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func release() {
            if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
        }
    }
}

extension Trait where Self == MachineSlot {
    /// Each test holds the machine's one slot for child-process tests while it runs.
    static var oneMachineSlot: Self { MachineSlot() }
}
