import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import OCRChatLocalModel
import ServiceLifecycle

/// What a callback carries: the job's summary (as in a listing, without the text), which event
/// it is, and when it was sent, so that the signature also covers the time and a receiver can
/// refuse an old call replayed.
struct CallbackPayload: Encodable, Sendable {
    var event = "job.finished"
    var job: JobSummary
    var attempt: Int
    var sentAt: String

    enum CodingKeys: String, CodingKey {
        case event, job, attempt
        case sentAt = "sent_at"
    }
}

/// Delivers completion callbacks: every ended job with a callback that is due is claimed (one
/// node at a time holds each), POSTed, and its try recorded on the job; a failed try is due again
/// after the back-off, until `maxAttempts`. Runs until graceful shutdown; a callback due when the
/// server stopped is sent after it starts again (the state is in the database, not in memory).
final class CallbackService: Service {
    let store: any Store
    let settings: CallbackConfiguration
    let node: String
    /// Rung when a job of this node ends, so that its callback goes out at once rather than at the next look.
    let doorbell: Doorbell
    let pollInterval: Duration
    let logger: Logger
    private let session: BoundedHTTPSession
    private let secret: Data

    init(store: any Store, settings: CallbackConfiguration, node: String, doorbell: Doorbell, pollInterval: Duration, logger: Logger) {
        self.store = store
        self.settings = settings
        self.node = node
        self.doorbell = doorbell
        self.pollInterval = pollInterval
        self.logger = logger
        session = BoundedHTTPSession(timeoutSeconds: settings.timeoutSeconds, followsRedirects: false)
        secret = Data((settings.secret ?? "").utf8)
    }

    /// Most callbacks sent at once by this node (a receiver that never answers holds one for its timeout).
    static let concurrency = 4

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<Self.concurrency {
                    group.addTask { await self.deliveryLoop() }
                }
            }
        }
    }

    private func deliveryLoop() async {
        while !Task.isCancelled {
            let rung = doorbell.rings
            do {
                // The hold covers one try and a margin: a node that dies mid-send leaves the
                // callback to be taken again once it runs out.
                let now = Date()
                if let (callback, job) = try await store.claimDueCallback(now: now, holdUntil: now.addingTimeInterval(settings.timeoutSeconds + 30)) {
                    await deliver(callback, of: job)
                    continue
                }
            } catch {
                logger.error("callbacks: \(error)")
            }
            await doorbell.wait(after: rung, upTo: pollInterval)
        }
    }

    /// One try, recorded.
    func deliver(_ callback: CallbackRecord, of job: JobRecord) async {
        let number = callback.decodedAttempts.count + 1
        let attempt = await send(job, to: callback.url, attempt: number)
        let updated = callback.adding(attempt, maxAttempts: settings.maxAttempts, firstRetry: settings.firstRetrySeconds)
        do {
            try await store.recordCallbackAttempt(updated)
        } catch {
            logger.error("callbacks: the try could not be recorded: \(error)", metadata: ["job": "\(job.uuid)"])
        }
        let metadata: Logger.Metadata = ["job": "\(job.uuid)", "attempt": "\(number)", "url": "\(callback.url)"]
        if attempt.delivered {
            logger.info("callback delivered", metadata: metadata)
        } else if updated.closed {
            logger.warning("callback given up after \(number) tries: \(attempt.error ?? "")", metadata: metadata)
        } else {
            logger.notice("callback failed, will retry: \(attempt.error ?? "")", metadata: metadata)
        }
    }

    /// The POST of the job's summary, signed; a 2xx answer delivers it, anything else is a failed try.
    func send(_ job: JobRecord, to address: String, attempt: Int) async -> CallbackAttempt {
        let now = Date()
        guard let url = URL(string: address) else {
            return CallbackAttempt(at: now, httpStatus: nil, error: "not a URL", node: node)
        }
        let body: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            body = try encoder.encode(CallbackPayload(job: JobSummary(job), attempt: attempt, sentAt: JobResponse.timestamp(now)))
        } catch {
            return CallbackAttempt(at: now, httpStatus: nil, error: "the summary could not be encoded: \(error)", node: node)
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue("ocrchat", forHTTPHeaderField: "User-Agent")
        request.setValue("job.finished", forHTTPHeaderField: "X-OCRChat-Event")
        request.setValue("\(job.uuid)/\(attempt)", forHTTPHeaderField: "X-OCRChat-Delivery")
        request.setValue(Self.signature(of: body, secret: secret), forHTTPHeaderField: Self.signatureHeader)
        do {
            let (_, response) = try await session.send(request)
            let status = response.statusCode
            let error = (200..<300).contains(status) ? nil : "the receiver answered HTTP \(status)"
            return CallbackAttempt(at: now, httpStatus: status, error: error, node: node)
        } catch {
            return CallbackAttempt(at: now, httpStatus: nil, error: "no answer: \(error)", node: node)
        }
    }

    static let signatureHeader = "X-OCRChat-Signature"

    /// `sha256=` and the hex HMAC-SHA256 of the body under the secret (as GitHub's webhooks sign).
    static func signature(of body: Data, secret: Data) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret)).map { String(format: "%02x", $0) }.joined()
    }
}
