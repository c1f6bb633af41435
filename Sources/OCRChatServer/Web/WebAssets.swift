import Crypto
import Foundation

/// The web page's files, compiled into the binary (no CDN, no files beside it): each one is a
/// Swift string in `Assets/`, served with its content type and an ETag.
enum WebAssets {
    /// One file: its bytes, type and a validator for conditional requests.
    struct Asset: Sendable {
        let body: Data
        let contentType: String
        let etag: String

        init(_ text: String, contentType: String) {
            body = Data(text.utf8)
            self.contentType = contentType
            etag = "\"" + SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
        }
    }

    static let javascript = "text/javascript; charset=utf-8"
    static let html = "text/html; charset=utf-8"

    /// The pages, by route.
    static let pages: [String: Asset] = [
        "/": Asset(indexHTML, contentType: html),
        "/account": Asset(accountHTML, contentType: html),
        "/api/docs": Asset(docsHTML, contentType: html),
    ]

    /// The scripts and the stylesheet, by name under `/static/`.
    static let files: [String: Asset] = [
        "app.css": Asset(appCSS, contentType: "text/css; charset=utf-8"),
        "common.js": Asset(commonJS, contentType: javascript),
        "markdown.js": Asset(markdownJS, contentType: javascript),
        "app.js": Asset(appJS, contentType: javascript),
        "account.js": Asset(accountJS, contentType: javascript),
        "docs.js": Asset(docsJS, contentType: javascript),
    ]

    /// The OpenAPI document.
    static let openAPI = Asset(openAPIJSON, contentType: "application/json")
}
