import Foundation
import GRDB
import Hummingbird
import Logging

/// Makes every error a JSON body of the contract: the API's own errors as they are, the
/// framework's (unknown route, wrong method) with their status, a full disk a 507, anything else a logged 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as StoreUnavailable {
            // PostgreSQL is down or unreachable: nothing was stored, the client comes back later.
            context.logger.warning("\(error)")
            throw APIError(.serviceUnavailable, "the server's database is unavailable; try again shortly", retryAfterSeconds: 10)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound ? "not found" : error.status.reasonPhrase.lowercased())
            throw APIError(error.status, message)
        } catch let error as HTTPResponseError {
            throw APIError(error.status, error.status.reasonPhrase.lowercased())
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            // The database could not grow: this request fails, the server goes on.
            context.logger.error("the database is full: \(error)")
            throw APIError.diskFull
        } catch {
            context.logger.error("unexpected error: \(error)")
            throw APIError(.internalServerError, "internal error")
        }
    }
}

/// One log line a request: method, path (never the query, which may hold a token), status,
/// duration, and the job it concerns. No file contents, no tokens.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var metadata: Logger.Metadata = ["method": "\(request.method)", "path": "\(request.uri.path)"]
        if let job = request.uri.path.split(separator: "/").first(where: { UUID(uuidString: String($0)) != nil }) {
            metadata["job"] = "\(job)"
        }
        do {
            let response = try await next(request, context)
            metadata["status"] = "\(response.status.code)"
            metadata["ms"] = "\((ContinuousClock.now - started).milliseconds)"
            logger.info("request", metadata: metadata)
            return response
        } catch {
            let status = (error as? HTTPResponseError)?.status.code ?? 500
            metadata["status"] = "\(status)"
            metadata["ms"] = "\((ContinuousClock.now - started).milliseconds)"
            logger.info("request", metadata: metadata)
            throw error
        }
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
