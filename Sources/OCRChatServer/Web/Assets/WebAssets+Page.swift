// Written as Swift source so that the `ocrchat` binary carries its web page wherever it is copied;
// there is no build step for the page: edit the text below.
extension WebAssets {
    /// The site's sections, in the order of the main navigation.
    private static let sections: [(path: String, label: String)] = [
        ("/", "Convert"), ("/account", "Account"), ("/api/docs", "API"),
    ]

    /// One page of the site: the shared head (stylesheet, `common.js` and then `scripts`, all deferred
    /// and same-origin, as the content security policy wants), the skip link, the header with the
    /// navigation (`path` marked current) and the sign-in line, then `main`.
    static func page(title: String, path: String, scripts: [String], mainAttributes: String = "", main: String) -> String {
        let scriptTags = (["common.js"] + scripts).map { #"<script src="/static/\#($0)" defer></script>"# }
        let links = sections.map { section in
            let current = section.path == path ? #" aria-current="page""# : ""
            return #"    <a href="\#(section.path)"\#(current)>\#(section.label)</a>"#
        }
        let attributes = mainAttributes.isEmpty ? "" : " " + mainAttributes
        return #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ocrchat: \#(title)</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="data:,">
\#(scriptTags.joined(separator: "\n"))
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="top">
  <a class="brand" href="/">ocrchat</a>
  <nav aria-label="Main">
\#(links.joined(separator: "\n"))
  </nav>
  <p id="who" class="who" aria-live="polite"></p>
</header>
<main id="main"\#(attributes)>
\#(main)
</main>
</body>
</html>
"""#
    }
}
