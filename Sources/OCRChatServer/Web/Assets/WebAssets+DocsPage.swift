// Written as Swift source so that the `ocrchat` binary carries its web page wherever it is copied;
// there is no build step for the page: edit the text below.
extension WebAssets {
    /// The API documentation page, served at `/api/docs`.
    static let docsHTML = page(
        title: "HTTP API", path: "/api/docs", scripts: ["markdown.js", "docs.js"], mainAttributes: #"class="docs""#,
        main: #"""
  <h1 id="docs-title">HTTP API</h1>
  <p>The machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>
  <div id="docs"><p role="status">Loading the API description…</p></div>
"""#)
}
