// Written as Swift source so that the `ocrchat` binary carries its web page wherever it is copied;
// there is no build step for the page: edit the text below.
extension WebAssets {
    /// The API documentation page, served at `/api/docs`.
    static let docsHTML = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ocrchat: HTTP API</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="data:,">
<script src="/static/common.js" defer></script>
<script src="/static/markdown.js" defer></script>
<script src="/static/docs.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="top">
  <a class="brand" href="/">ocrchat</a>
  <nav aria-label="Main">
    <a href="/">Convert</a>
    <a href="/account">Account</a>
    <a href="/api/docs" aria-current="page">API</a>
  </nav>
  <p id="who" class="who" aria-live="polite"></p>
</header>
<main id="main" class="docs">
  <h1 id="docs-title">HTTP API</h1>
  <p>The machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>
  <div id="docs"><p role="status">Loading the API description…</p></div>
</main>
</body>
</html>
"""#
}
