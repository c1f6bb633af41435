import Hummingbird

/// Reads the caller's token (`Authorization: Bearer …` or `?api_token=…`): a known one puts its
/// account in the context, an unknown or revoked one is a 401, none at all is an anonymous caller.
struct TokenMiddleware: RouterMiddleware {
    typealias Context = OCRRequestContext
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = try Self.token(in: request) else {
            return try await next(request, context)
        }
        guard let account = try store.account(forToken: token) else { throw APIError.invalidToken }
        var context = context
        context.account = account
        return try await next(request, context)
    }

    /// The token the request carries, from the `Authorization` header or the `api_token` query
    /// parameter; both with different tokens is a 400 (which one the caller meant cannot be told,
    /// and taking either silently would act as an account the caller may not have meant).
    static func token(in request: Request) throws -> String? {
        let query = request.uri.queryParameters.get("api_token").flatMap { $0.isEmpty ? nil : $0 }
        guard let header = request.headers[.authorization].flatMap(bearerToken) else { return query }
        if let query, !ConstantTime.equals(query, header) {
            throw APIError(.badRequest, "the Authorization header and ?api_token hold different tokens: send one")
        }
        return header
    }

    /// The token of an `Authorization` header: `Bearer TOKEN`, or the bare token; nil when empty.
    private static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        if parts.count == 2, parts[0].lowercased() == "bearer" {
            let token = parts[1].trimmingCharacters(in: .whitespaces)
            return token.isEmpty ? nil : token
        }
        return header.isEmpty ? nil : header
    }
}
