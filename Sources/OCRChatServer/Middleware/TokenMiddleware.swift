import Hummingbird

/// Reads the caller's token (`Authorization: Bearer …` or `?api_token=…`): a known one puts its
/// account in the context, an unknown or revoked one is a 401, none at all is an anonymous caller.
/// Two known tokens that disagree (one in the header, another in the query) are a 400: which one
/// the caller meant cannot be told, and taking either silently could act as an account the caller
/// did not mean.
struct TokenMiddleware: RouterMiddleware {
    typealias Context = OCRRequestContext
    let store: any Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let (header, query) = Self.tokens(in: request)
        guard let token = header ?? query else {
            return try await next(request, context)
        }
        guard let account = try await store.account(forToken: token) else { throw APIError.invalidToken }
        if let header, let query, !ConstantTime.equals(header, query) {
            guard try await store.account(forToken: query) != nil else { throw APIError.invalidToken }
            throw APIError(.badRequest, "the Authorization header and ?api_token hold different tokens: send one")
        }
        var context = context
        context.account = account
        return try await next(request, context)
    }

    /// The tokens the request carries: from the `Authorization` header (`Bearer TOKEN`, or the bare
    /// token) and from the `api_token` query parameter; nil where absent or empty.
    static func tokens(in request: Request) -> (header: String?, query: String?) {
        let query = request.uri.queryParameters.get("api_token").flatMap { $0.isEmpty ? nil : $0 }
        guard let header = request.headers[.authorization] else { return (nil, query) }
        let parts = header.split(separator: " ", maxSplits: 1)
        if parts.count == 2, parts[0].lowercased() == "bearer" {
            let token = parts[1].trimmingCharacters(in: .whitespaces)
            return (token.isEmpty ? nil : token, query)
        }
        return (header.isEmpty ? nil : header, query)
    }
}
