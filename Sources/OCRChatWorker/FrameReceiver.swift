import Dispatch
import Foundation
import Synchronization

/// The server's end of a worker's answers: the frames of `FrameChannel` read from the child's
/// pipe as they arrive, by a Dispatch read source. No thread waits on the pipe while a job runs
/// (a blocking read held one for the whole of a job); a caller awaits the next frame.
///
/// `@unchecked`: the Dispatch source is thread-safe (only `cancel()` is called on it after init),
/// and the rest of the state is behind the mutex.
final class FrameReceiver: @unchecked Sendable {
    /// A copy of the pipe's read end, non-blocking, closed when the source is cancelled.
    private let descriptor: Int32
    private let source: DispatchSourceRead
    private let state = Mutex(State())
    private let waits = Atomic<Int>(0)
    private static let queue = DispatchQueue(label: "ocrchat.worker-frames")

    private struct State {
        /// Bytes of the frame being received.
        var pending = Data()
        /// Whole frames not yet asked for, oldest first.
        var frames: [Data] = []
        /// Set once the pipe ended (nil: end of file) or broke (the failure).
        var end: FrameChannel.Failure??
        var waiter: (id: Int, continuation: CheckedContinuation<Data?, any Error>)?
    }

    /// Starts reading the pipe end `fileDescriptor` (which the caller keeps open and owns).
    init(reading fileDescriptor: Int32) throws {
        descriptor = fcntl(fileDescriptor, F_DUPFD_CLOEXEC, 0)  // never inherited by a later child
        guard descriptor >= 0 else { throw FrameChannel.Failure.system(call: "fcntl", errno: errno) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: Self.queue)
        source.setEventHandler { [weak self] in self?.readAvailable() }
        source.setCancelHandler { [descriptor] in close(descriptor) }
        source.resume()
    }

    deinit {
        source.cancel()
    }

    /// The next frame, or nil at end of file. Throws `timedOut` when none arrives within
    /// `timeout`; `stillAlive` is asked about once a second meanwhile (a peer whose pipe end
    /// another process keeps open never gives an end of file).
    func next(timeout: Duration, stillAlive: @escaping @Sendable () -> Bool) async throws -> Data? {
        let id = waits.add(1, ordering: .relaxed).newValue
        let deadline = DispatchTime.now() + .milliseconds(max(1, timeout.wholeMilliseconds))
        return try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Data?, any Error>? = state.withLock { state in
                if !state.frames.isEmpty { return .success(state.frames.removeFirst()) }
                if let end = state.end { return end.map { .failure($0) } ?? .success(nil) }
                state.waiter = (id, continuation)
                return nil
            }
            if let ready {
                continuation.resume(with: ready)
            } else {
                check(id, deadline: deadline, stillAlive: stillAlive)
            }
        }
    }

    /// Once a second until the wait `id` is over: the deadline, or a peer that is gone.
    private func check(_ id: Int, deadline: DispatchTime, stillAlive: @escaping @Sendable () -> Bool) {
        Self.queue.asyncAfter(deadline: min(deadline, .now() + .seconds(1))) { [weak self] in
            guard let self else { return }
            let pastDeadline = DispatchTime.now() >= deadline
            let gone = !pastDeadline && !stillAlive()
            let waiter = state.withLock { state -> CheckedContinuation<Data?, any Error>? in
                guard let waiter = state.waiter, waiter.id == id, pastDeadline || gone else { return nil }
                state.waiter = nil
                return waiter.continuation
            }
            if let waiter {
                if pastDeadline { waiter.resume(throwing: FrameChannel.Failure.timedOut) } else { waiter.resume(returning: nil) }
            } else if state.withLock({ $0.waiter?.id == id }) {
                check(id, deadline: deadline, stillAlive: stillAlive)
            }
        }
    }

    /// Reads what the pipe holds now, cuts it into frames, and hands the next one to a waiter.
    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var received = Data()
        var end: FrameChannel.Failure??
        while end == nil {
            let got = read(descriptor, &chunk, chunk.count)
            if got > 0 {
                received.append(contentsOf: chunk[0..<got])
            } else if got == 0 {
                end = .some(nil)  // end of file: the peer is gone
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                break
            } else {
                end = .some(.system(call: "read", errno: errno))
            }
        }
        let (resume, ended) = state.withLock { state -> ((CheckedContinuation<Data?, any Error>, Result<Data?, any Error>)?, Bool) in
            state.pending.append(received)
            while state.end == nil, state.pending.count >= 4 {
                let length = state.pending.prefix(4).reduce(0) { $0 << 8 | Int($1) }
                guard length <= FrameChannel.maxFrameBytes else {
                    state.end = .some(.oversized(length))
                    break
                }
                guard state.pending.count >= 4 + length else { break }
                state.frames.append(Data(state.pending.dropFirst(4).prefix(length)))
                state.pending = Data(state.pending.dropFirst(4 + length))
            }
            if state.end == nil, let end { state.end = end }
            let ended = state.end != nil
            guard let waiter = state.waiter else { return (nil, ended) }
            if !state.frames.isEmpty {
                state.waiter = nil
                return ((waiter.continuation, .success(state.frames.removeFirst())), ended)
            }
            if let end = state.end {
                state.waiter = nil
                return ((waiter.continuation, end.map { .failure($0) } ?? .success(nil)), ended)
            }
            return (nil, ended)
        }
        if let (continuation, result) = resume { continuation.resume(with: result) }
        if ended { source.cancel() }
    }
}
