import Foundation
import Testing

/// Each test of a suite with this trait runs only while it holds one of as many slots as the
/// machine has cores.
///
/// These tests start real processes (servers, the binary, Python clients, Chromium) that work for
/// seconds each. When their waits blocked the cooperative pool, the pool's width (one thread a core)
/// happened to cap how many ran at once; now that they await, every suite's first test would start
/// together, and twenty servers starting on two cores do not answer /healthz within 30 s. The cap
/// is here on purpose instead, and waiting for a slot holds no thread.
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

    static let slots = Slots(ProcessInfo.processInfo.activeProcessorCount)

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
    /// Each test holds one of the machine's few slots for child processes while it runs.
    static var oneMachineSlot: Self { MachineSlot() }
}
