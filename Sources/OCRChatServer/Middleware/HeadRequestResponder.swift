import HTTPTypes
import Hummingbird

/// `HEAD` works wherever `GET` does (`/healthz`, a job, a download, the pages): the request is
/// answered as a `GET` and sent without its body, with the headers (`Content-Length` among them)
/// the `GET` would have had, as HTTP asks. It wraps the router rather than sitting in it, since the
/// router picks a route by method before its middleware runs.
struct HeadRequestResponder<Wrapped: HTTPResponder>: HTTPResponder where Wrapped.Context: RequestContext {
    typealias Context = Wrapped.Context
    let wrapped: Wrapped

    init(_ wrapped: Wrapped) {
        self.wrapped = wrapped
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await wrapped.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response: Response
        do {
            response = try await wrapped.respond(to: Request(head: head, body: request.body), context: context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        let length = response.body.contentLength
        response.body = ResponseBody()
        response.headers[.contentLength] = length.map(String.init)
        return response
    }
}
