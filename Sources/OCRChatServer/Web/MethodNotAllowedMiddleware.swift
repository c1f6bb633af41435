import Foundation
import HTTPTypes
import Hummingbird

/// A known path asked with a method it does not take gets 405 with `Allow`, not the router's 404.
///
/// The table of paths and methods is the OpenAPI document itself, so the two cannot disagree
/// (the OpenAPI test checks the document against the server).
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    struct Route: Sendable {
        let segments: [String]
        let methods: [String]
    }

    let routes: [Route]

    init(openAPI: Data = WebAssets.openAPI.body) {
        let document = (try? JSONSerialization.jsonObject(with: openAPI)) as? [String: Any]
        let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
        let verbs = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        routes = paths.map { path, item in
            Route(segments: path.split(separator: "/").map(String.init),
                  // HEAD goes wherever GET does (HeadRequestMiddleware).
                  methods: verbs.filter { item[$0] != nil || ($0 == "head" && item["get"] != nil) }.map { $0.uppercased() })
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let segments = request.uri.path.split(separator: "/").map(String.init)
            let allowed = Set(routes.filter { Self.matches($0.segments, segments) }.flatMap(\.methods)).sorted()
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            let list = allowed.joined(separator: ", ")
            var response = try APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; use \(list)")
                .response(from: request, context: context)
            response.headers[.allow] = list
            return response
        }
    }

    /// A documented path (`{name}` matches any one segment) against a request's segments.
    static func matches(_ pattern: [String], _ segments: [String]) -> Bool {
        pattern.count == segments.count && zip(pattern, segments).allSatisfy { expected, actual in
            (expected.hasPrefix("{") && expected.hasSuffix("}") && !actual.isEmpty) || expected == actual
        }
    }
}
