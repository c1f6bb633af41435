import Foundation
import Hummingbird
import OCRChatModel

/// Our extras on `/api/v1/ocr/` for the web page: the caller's recent jobs, and a picture of each
/// page to draw the word boxes on. Both answer only the job's owner, like the contract's routes.
struct JobBrowsingController {
    let dependencies: ServerDependencies

    struct JobList: ResponseEncodable {
        var jobs: [JobSummary]
    }

    func addRoutes(to router: Router<OCRRequestContext>) {
        router.get("/api/v1/ocr", use: list)
        router.get("/api/v1/ocr/:uuid/pages/:index/image", use: pageImage)
    }

    /// `GET /api/v1/ocr/?limit=N`: the account's jobs, newest first. Anonymous jobs belong to no
    /// one that can be named (an IP address is shared), so listing needs a token.
    @Sendable func list(_ request: Request, context: OCRRequestContext) async throws -> JobList {
        guard let account = context.account else { throw APIError.tokenRequired }
        var limit = 50
        if let text = request.uri.queryParameters.get("limit") {
            guard let value = Int(text), (1...500).contains(value) else {
                throw APIError(.badRequest, "limit must be a whole number from 1 to 500")
            }
            limit = value
        }
        return JobList(jobs: try await dependencies.store.jobs(ofAccount: account.id, limit: limit).map(JobSummary.init))
    }

    /// `GET /api/v1/ocr/{uuid}/pages/{index}/image/`: the page (0-based index) as a JPEG, upright as
    /// it was recognised; the word boxes of the job object scale onto it by its width over the page's.
    @Sendable func pageImage(_ request: Request, context: OCRRequestContext) async throws -> Response {
        let job = try await dependencies.ownedJob(try context.parameters.require("uuid"), by: context.account)
        guard let index = Int(try context.parameters.require("index")), index >= 0 else {
            throw APIError(.badRequest, "the page index is a whole number from 0")
        }
        guard job.status == .done else {
            throw APIError(.conflict, "the job is not done yet (status: \(job.status.rawValue))")
        }
        guard index < job.pageCount else {
            throw APIError(.notFound, "the job has \(job.pageCount) page\(job.pageCount == 1 ? "" : "s"); index \(index) is past the end")
        }
        // A PDF's pictures are made the first time they are asked for (the job was done without them).
        var file = try await dependencies.files.local(.preview(page: index), of: job.uuid)
        if file == nil { file = try await dependencies.processor.pagePicture(of: job, page: index) }
        guard let file, let body = try await StoredFile.body(at: file, context: context) else {
            throw APIError(.gone, "no picture of this page is kept")
        }
        return Response(status: .ok, headers: [
            .contentType: "image/jpeg",
            .cacheControl: "private, max-age=3600",
        ], body: body)
    }
}
