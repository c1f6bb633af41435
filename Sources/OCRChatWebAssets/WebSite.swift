/// One page of the site: its own part (`Files/pages/…`, what goes inside `<main>`) and what the
/// shared layout (`Files/layout.html`) needs to wrap it.
public struct WebPage: Sendable, Equatable {
    /// Where it is served, and which section of the main navigation it marks current.
    public let route: String
    /// The end of the window title, after "ocrchat: ".
    public let title: String
    /// Its part under `Files/`.
    public let file: String
    /// Its scripts under `/static/`, loaded after `common.js` in this order.
    public let scripts: [String]
    /// Attributes of its `<main>` element, as written in HTML, or "".
    public let mainAttributes: String

    /// A page served at `route` from `file`, titled `title`, with `scripts` after `common.js`.
    public init(route: String, title: String, file: String, scripts: [String], mainAttributes: String = "") {
        self.route = route
        self.title = title
        self.file = file
        self.scripts = scripts
        self.mainAttributes = mainAttributes
    }
}

/// The site's pages, each composed from the shared layout and the page's own part.
public enum WebSite {
    /// The site's sections, in the order of the main navigation.
    public static let sections: [(route: String, label: String)] = [
        ("/", "Convert"), ("/account", "Account"), ("/api/docs", "API"),
    ]

    /// Every page, in the order of the navigation.
    public static let pages: [WebPage] = [
        WebPage(route: "/", title: "scans to text", file: "pages/index.html", scripts: ["markdown.js", "app.js"]),
        WebPage(route: "/account", title: "account", file: "pages/account.html", scripts: ["account.js"]),
        WebPage(route: "/api/docs", title: "HTTP API", file: "pages/docs.html", scripts: ["markdown.js", "docs.js"],
                mainAttributes: #"class="docs""#),
    ]

    /// The layout every page shares: the head (stylesheet, then `common.js` and the page's scripts,
    /// all deferred and same-origin, as the content security policy wants), the skip link, the
    /// header with the navigation and the sign-in line, then `main`.
    public static let layoutFile = "layout.html"

    /// `page` as served: the layout with its placeholders filled in.
    public static func html(of page: WebPage) -> String {
        compose(page, layout: WebFiles.text(layoutFile) ?? "", main: WebFiles.text(page.file) ?? "")
    }

    /// The layout's `{{title}}`, `{{scripts}}`, `{{navigation}}`, `{{main-attributes}}` and
    /// `{{main}}` filled in for `page`. The layout is read once from left to right, so a page's own
    /// text is never searched for placeholders; one that the layout names but this does not know
    /// stays as it is (the tests look for any left). The part's last newline is the file's, not the page's.
    public static func compose(_ page: WebPage, layout: String, main: String) -> String {
        let scriptTags = (["common.js"] + page.scripts).map { #"<script src="/static/\#($0)" defer></script>"# }
        let links = sections.map { section in
            let current = section.route == page.route ? #" aria-current="page""# : ""
            return #"    <a href="\#(section.route)"\#(current)>\#(section.label)</a>"#
        }
        let values = [
            "title": page.title,
            "scripts": scriptTags.joined(separator: "\n"),
            "navigation": links.joined(separator: "\n"),
            "main-attributes": page.mainAttributes.isEmpty ? "" : " " + page.mainAttributes,
            "main": main.hasSuffix("\n") ? String(main.dropLast()) : main,
        ]
        var html = ""
        var rest = layout[...]
        while let open = rest.firstRange(of: "{{") {
            html += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else { break }
            let name = String(rest[open.upperBound..<close.lowerBound])
            html += values[name] ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return html + rest
    }
}
