import Foundation
import HTTPTypes
import Hummingbird

/// The web page (`/`, `/account`), the API's documentation (`/api/docs`, `/api/v1/openapi.json`)
/// and their scripts and style (`/static/…`), all from the binary itself.
struct WebController {
    func addRoutes(to router: Router<OCRRequestContext>) {
        for (path, asset) in WebAssets.pages {
            router.get(RouterPath(path)) { request, _ in Self.serve(asset, for: request) }
        }
        router.get("/static/:name") { request, context in
            let name = try context.parameters.require("name")
            guard let asset = WebAssets.files[name] else { throw APIError(.notFound, "no such file") }
            return Self.serve(asset, for: request)
        }
        router.get("/api/v1/openapi.json") { request, _ in Self.serve(WebAssets.openAPI, for: request) }
    }

    /// The file, or 304 when the client already holds this version. Revalidated on every use, so
    /// a new binary's page is never mixed with an old cached script.
    static func serve(_ asset: WebAssets.Asset, for request: Request) -> Response {
        var headers: HTTPFields = [.eTag: asset.etag, .cacheControl: "no-cache"]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == asset.etag || $0.trimmingCharacters(in: .whitespaces) == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.body)))
    }
}
