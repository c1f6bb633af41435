import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// The one HTTP transport of the server's outgoing calls (the local model, completion callbacks):
/// each request ends within its timeout whatever the connection does, and with the task that
/// awaits it; it never goes through a proxy, and follows redirects only when told to.
public final class BoundedHTTPSession: Sendable {
    /// Longest one request may take, in seconds.
    public let timeoutSeconds: Double
    private let session: URLSession

    /// A session whose requests take at most `timeoutSeconds`; with `followsRedirects` false, a
    /// 3xx answer is the answer (a callback must not be sent on to a host nobody allowed).
    public init(timeoutSeconds: Double, followsRedirects: Bool = true) {
        self.timeoutSeconds = timeoutSeconds
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = timeoutSeconds
        configuration.connectionProxyDictionary = [:]
        session = URLSession(configuration: configuration, delegate: followsRedirects ? nil : RedirectRefuser(), delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    /// Why a request got no HTTP answer.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// One request, ended by whichever comes first: the answer, the timeout (Foundation's own on
    /// Linux only counts time without data, so a peer that accepts the request and never answers
    /// would hold the caller for ever), or the cancellation of the awaiting task.
    public func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let box = TaskBox()
        let seconds = timeoutSeconds
        var request = request
        request.timeoutInterval = seconds
        return try await withTaskCancellationHandler { [request] in
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, HTTPURLResponse), Error>) in
                let once = ResumeOnce(continuation)
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        once.resume(with: .failure(Failure(description: error.localizedDescription)))
                    } else if let http = response as? HTTPURLResponse {
                        once.resume(with: .success((data ?? Data(), http)))
                    } else {
                        once.resume(with: .failure(Failure(description: "no HTTP response")))
                    }
                }
                box.set(task)
                task.resume()
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                    once.resume(with: .failure(Failure(description: String(format: "no answer within %.0f s", seconds))))
                    task.cancel()
                }
            }
        } onCancel: {
            box.cancel()
        }
    }

    /// The task in flight, to cancel it from another thread.
    private final class TaskBox: @unchecked Sendable {
        private let lock = NSLock()
        private var task: URLSessionDataTask?
        private var cancelled = false

        func set(_ task: URLSessionDataTask) {
            lock.lock(); defer { lock.unlock() }
            self.task = task
            if cancelled { task.cancel() }
        }

        func cancel() {
            lock.lock(); defer { lock.unlock() }
            cancelled = true
            task?.cancel()
        }
    }
}

/// Answers every redirect with "do not follow": the task completes with the 3xx response.
private final class RedirectRefuser: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

/// A continuation resumed by whichever comes first (the answer or the deadline), once.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }

    func resume(with result: Result<T, any Error>) {
        continuation.withLock { pending in
            pending?.resume(with: result)
            pending = nil
        }
    }
}
