import Foundation
import Logging
import OCRChatModel
import OCRChatNeural

/// A fixed set of threads, each with its own `RecognitionWorker` (and so its own Tesseract
/// handles), taking jobs first come, first served.
///
/// Tesseract's work is long and blocking; it runs on these threads, never on Swift's cooperative
/// pool. Jobs are closures that receive the worker of the thread they run on.
final class EnginePool: Sendable {
    /// How many threads (and handles per language) the pool has.
    let size: Int
    private let queue: JobQueue

    init(size: Int, models: ModelLocator, neural: NeuralModelLocator, logger: Logger) {
        self.size = max(1, size)
        self.queue = JobQueue()
        for number in 0..<self.size {
            let queue = self.queue
            let thread = Thread {
                let worker = RecognitionWorker(models: models, neural: neural, logger: logger)
                while let job = queue.next() {
                    job.run(worker)
                }
            }
            thread.name = "ocrchat-recognition-\(number)"
            thread.stackSize = 16 << 20  // Tesseract recurses deeply on some layouts
            thread.start()
        }
    }

    /// Runs `body` on a pool thread and returns its result; cancelling the task sets the flag that
    /// `body` is given (and drops the job if it has not started).
    func run<T: Sendable>(_ body: @escaping @Sendable (RecognitionWorker, CancellationFlag) throws -> T) async throws -> T {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                queue.submit(Job { worker in
                    if flag.isCancelled {
                        continuation.resume(throwing: EngineError.cancelled)
                        return
                    }
                    continuation.resume(with: Result(catching: { try body(worker, flag) }))
                })
            }
        } onCancel: {
            flag.cancel()
        }
    }

    /// Lets the threads finish the jobs already queued and then end.
    func shutdown() {
        queue.close()
    }
}

/// One unit of work for a pool thread.
struct Job: Sendable {
    let run: @Sendable (RecognitionWorker) -> Void

    init(_ run: @escaping @Sendable (RecognitionWorker) -> Void) {
        self.run = run
    }
}

/// A first-in first-out queue that pool threads block on.
///
/// A job's slot is emptied as soon as a thread takes it: a job holds its page image, and a taken job
/// left in the array kept that image alive until the array was compacted, 64 jobs later, so the
/// peak memory grew with the page count up to some 64 page images.
final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [Job?] = []  // guarded by condition; nil once taken
    private var head = 0
    private var closed = false

    func submit(_ job: Job) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// The next job, waiting for one; nil once the queue is closed and empty.
    func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count {
            if closed { return nil }
            condition.wait()
        }
        let job = jobs[head]
        jobs[head] = nil
        head += 1
        if head > 64, head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
