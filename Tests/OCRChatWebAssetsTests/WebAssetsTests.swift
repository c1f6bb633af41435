import Foundation
import OCRChatWebAssets
import Testing

/// The web page's files as written (Sources/OCRChatWebAssets/Files) and as compiled in: the same
/// bytes, scripts that node can parse, an OpenAPI document the validator accepts, and pages that
/// are the shared layout around each page's own part.
@Suite("the web page's files")
struct WebAssetsTests {
    static let filesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/OCRChatWebAssets/Files", isDirectory: true)

    /// Every file under Files/ on disk, by its path there.
    static func filesOnDisk() throws -> [String: Data] {
        let root = filesFolder.standardizedFileURL.path + "/"
        var files: [String: Data] = [:]
        let walker = try #require(FileManager.default.enumerator(at: filesFolder, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            let path = url.standardizedFileURL.path
            try #require(path.hasPrefix(root), "\(path) is under \(root)")
            files[String(path.dropFirst(root.count))] = try Data(contentsOf: url)
        }
        return files
    }

    /// Where `name` is on PATH, if it is.
    static func executable(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable` with `arguments`; its status and what it wrote to stderr.
    /// Its end is looked at every 10 ms with `Task.sleep`: no thread of the cooperative pool waits.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // stderr goes to a file, so that no pipe can fill up and block the process.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        return (process.terminationStatus, (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
    }

    @Test("the binary carries every file under Files/, byte for byte as it is on disk")
    func embeddedBytesAreTheFiles() throws {
        let disk = try Self.filesOnDisk()
        #expect(WebFiles.paths == disk.keys.sorted())
        for (path, bytes) in disk {
            #expect(WebFiles.bytes(path) == Array(bytes), "\(path)")
        }
        #expect(WebFiles.bytes("no/such/file") == nil)
        #expect(Set(WebFiles.staticFiles.keys) == ["app.css", "common.js", "markdown.js", "app.js", "account.js", "docs.js"])
        #expect(WebFiles.openAPI == WebFiles.bytes("openapi.json"))
    }

    @Test("every script parses (node --check)",
          .enabled(if: executable("node") != nil, "node is not installed: `make setup` installs it (Debian's nodejs)"))
    func scriptsParse() async throws {
        let node = try #require(Self.executable("node"))
        let scripts = try Self.filesOnDisk().keys.filter { $0.hasSuffix(".js") }.sorted()
        #expect(scripts.count == 5)
        for script in scripts {
            let (status, stderr) = try await Self.run(node, ["--check", Self.filesFolder.appendingPathComponent(script).path])
            #expect(status == 0, "\(script): \(stderr)")
        }
    }

    @Test("openapi.json is a valid OpenAPI 3.1 document (openapi-spec-validator)")
    func openAPIIsValid() async throws {
        let python = try #require(Self.executable("python3"), "python3 is missing")
        let document = Self.filesFolder.appendingPathComponent("openapi.json").path
        let (status, stderr) = try await Self.run(python, ["-c", """
            import json, sys
            try:
                from openapi_spec_validator import validate
            except ImportError:
                sys.exit("openapi-spec-validator is missing: run `make setup` (PyPI openapi-spec-validator)")
            spec = json.load(open(sys.argv[1]))
            validate(spec)
            assert spec["openapi"].startswith("3.1"), spec["openapi"]
            """, document])
        #expect(status == 0, "\(stderr)")
    }

    @Test("every page is the shared layout around the page's own part, its title, scripts and navigation")
    func pagesAreComposedFromTheLayout() throws {
        let layout = try #require(WebFiles.text(WebSite.layoutFile))
        #expect(Set(WebSite.pages.map(\.file)) == Set(WebFiles.paths.filter { $0.hasPrefix("pages/") }),
                "every page part is served, and every page has one")
        for page in WebSite.pages {
            let html = WebSite.html(of: page)
            let part = try #require(WebFiles.text(page.file), "\(page.file)")
            #expect(!html.contains("{{"), "no placeholder is left in \(page.route)")
            // What the layout itself says comes through, in its order, around the filled-in parts.
            var rest = html[...]
            for piece in layout.split(separator: /\{\{[a-z-]+\}\}/) {
                let found = try #require(rest.firstRange(of: piece), "\(page.route) keeps the layout's \(piece.debugDescription)")
                rest = rest[found.upperBound...]
            }
            #expect(html.contains("<title>ocrchat: \(page.title)</title>"))
            let attributes = page.mainAttributes.isEmpty ? "" : " " + page.mainAttributes
            #expect(html.contains("<main id=\"main\"\(attributes)>\n\(part.dropLast())\n</main>\n</body>"), "\(page.route)")
            let scripts = html.matches(of: /<script src="\/static\/([a-z]+\.js)" defer><\/script>/).map { String($0.1) }
            #expect(scripts == ["common.js"] + page.scripts, "\(page.route)")
            for script in page.scripts { #expect(WebFiles.staticFiles[script] != nil, "\(script) exists") }
            let current = html.matches(of: /<a href="([^"]*)" aria-current="page">/).map { String($0.1) }
            #expect(current == [page.route], "\(page.route) marks itself, and only itself, current")
            #expect(html.matches(of: /<a href="[^"]*"( aria-current="page")?>[A-Za-z]+<\/a>/).count == WebSite.sections.count,
                    "every section is linked")
        }
    }

    @Test("a page's own text is never read for placeholders")
    func placeholdersOnlyInTheLayout() {
        let page = WebPage(route: "/x", title: "{{main}}", file: "pages/x.html", scripts: [])
        let html = WebSite.compose(page, layout: "<title>{{title}}</title>{{unknown}}<main>\n{{main}}\n</main>\n",
                                   main: "  <p>{{title}}</p>\n")
        #expect(html == "<title>{{main}}</title>{{unknown}}<main>\n  <p>{{title}}</p>\n</main>\n")
    }
}
