import Foundation
import Hummingbird

/// `/api/v1/chat/`: questions about a finished job. Authentication, ownership and readiness are
/// checked here with the contract's codes; the answers themselves are the chat issue's work.
struct ChatController {
    let dependencies: ServerDependencies

    struct Question: Decodable {
        var message: String
        var conversation: String?
    }

    struct History: ResponseEncodable {
        var uuid: String
        var messages: [String]
    }

    func addRoutes(to router: Router<OCRRequestContext>) {
        router.post("/api/v1/chat/:uuid", use: ask)
        router.get("/api/v1/chat/:uuid/history", use: history)
    }

    @Sendable func ask(_ request: Request, context: OCRRequestContext) async throws -> Response {
        _ = try finishedJob(context)
        let body = try await request.body.collect(upTo: 64 << 10)
        guard let question = try? JSONDecoder().decode(Question.self, from: body),
              !question.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError(.badRequest, "send JSON {\"message\": \"your question\"}")
        }
        throw APIError(.notImplemented, "answers to questions are not available on this server yet")
    }

    @Sendable func history(_ request: Request, context: OCRRequestContext) async throws -> History {
        let job = try finishedJob(context)
        return History(uuid: job.uuid, messages: [])
    }

    /// The caller's own finished job: 401 without a token, 404 for someone else's, 409 before done.
    private func finishedJob(_ context: OCRRequestContext) throws -> JobRecord {
        guard context.account != nil else { throw APIError.tokenRequired }
        let uuid = try context.parameters.require("uuid")
        let job = try dependencies.ownedJob(uuid, by: context.account)
        guard job.status == .done else {
            throw APIError(.conflict, "the job is not done yet (status: \(job.status.rawValue))")
        }
        return job
    }
}

/// `GET /healthz`: for monitoring.
struct HealthController {
    let dependencies: ServerDependencies

    struct Health: ResponseEncodable {
        var status: String
        var pendingJobs: Int

        enum CodingKeys: String, CodingKey {
            case status
            case pendingJobs = "pending_jobs"
        }
    }

    func addRoutes(to router: Router<OCRRequestContext>) {
        router.get("/healthz") { _, _ in
            Health(status: "ok", pendingJobs: try dependencies.store.pendingCount())
        }
    }
}
