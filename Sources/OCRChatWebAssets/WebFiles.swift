/// The web page's files (`Files/` of this target), compiled into the binary at build time by the
/// EmbedWebAssets plugin: no resource bundle, nothing read from disk at run time.
public enum WebFiles {
    /// Every path under `Files/`, sorted: `layout.html`, `openapi.json`, `pages/…`, `static/…`.
    public static let paths: [String] = EmbeddedWebFiles.contents.keys.sorted()

    /// The bytes of the file at `path` under `Files/` exactly as they were at build time, or nil
    /// when there is no such file.
    public static func bytes(_ path: String) -> [UInt8]? {
        EmbeddedWebFiles.contents[path].map { Array($0.utf8) }
    }

    /// The file at `path` as text (every embedded file is UTF-8), or nil when there is no such file.
    public static func text(_ path: String) -> String? {
        EmbeddedWebFiles.contents[path]
    }

    /// The OpenAPI 3.1 document of the HTTP API (`Files/openapi.json`), served at `/api/v1/openapi.json`
    /// and rendered at `/api/docs`. Written by hand: change it with the routes it describes (the
    /// server's 405 table is read from it; the tests validate it and check the live server against it).
    public static var openAPI: [UInt8] { bytes("openapi.json") ?? [] }

    /// The files served under `/static/`, by their name there (`app.js`, `app.css`, …).
    public static var staticFiles: [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for path in paths where path.hasPrefix(staticFolder) {
            files[String(path.dropFirst(staticFolder.count))] = bytes(path)
        }
        return files
    }

    /// Where the served scripts and stylesheet sit under `Files/`.
    static let staticFolder = "static/"
}
