import Crypto
import Foundation
import OCRChatWebAssets

/// The web page's files as served: the pages composed from the layout, the scripts and the
/// stylesheet, and the OpenAPI document, all from OCRChatWebAssets (compiled into the binary: no
/// CDN, no files beside it), each with its content type and an ETag.
enum WebAssets {
    /// One file: its bytes, type and a validator for conditional requests.
    struct Asset: Sendable {
        let body: Data
        let contentType: String
        let etag: String

        init(_ bytes: some Sequence<UInt8>, contentType: String) {
            body = Data(bytes)
            self.contentType = contentType
            etag = "\"" + SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
        }
    }

    static let javascript = "text/javascript; charset=utf-8"
    static let html = "text/html; charset=utf-8"

    /// The content type of a file under `/static/`, by its extension.
    static func contentType(ofStaticFile name: String) -> String {
        if name.hasSuffix(".js") { return javascript }
        if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
        return "application/octet-stream"
    }

    /// The pages, by route.
    static let pages: [String: Asset] = Dictionary(uniqueKeysWithValues: WebSite.pages.map { page in
        (page.route, Asset(WebSite.html(of: page).utf8, contentType: html))
    })

    /// The scripts and the stylesheet, by name under `/static/`.
    static let files: [String: Asset] = Dictionary(uniqueKeysWithValues: WebFiles.staticFiles.map { name, bytes in
        (name, Asset(bytes, contentType: contentType(ofStaticFile: name)))
    })

    /// The OpenAPI document.
    static let openAPI = Asset(WebFiles.openAPI, contentType: "application/json")
}
