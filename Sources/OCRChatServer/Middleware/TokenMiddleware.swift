import Hummingbird

/// Reads the caller's token (`Authorization: Bearer …` or `?api_token=…`): a known one puts its
/// account in the context, an unknown or revoked one is a 401, none at all is an anonymous caller.
struct TokenMiddleware: RouterMiddleware {
    typealias Context = OCRRequestContext
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Self.token(in: request) else {
            return try await next(request, context)
        }
        guard let account = try store.account(forToken: token) else { throw APIError.invalidToken }
        var context = context
        context.account = account
        return try await next(request, context)
    }

    static func token(in request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let token = parts[1].trimmingCharacters(in: .whitespaces)
                return token.isEmpty ? nil : token
            }
            return header.isEmpty ? nil : header
        }
        if let token = request.uri.queryParameters.get("api_token"), !token.isEmpty {
            return token
        }
        return nil
    }
}
