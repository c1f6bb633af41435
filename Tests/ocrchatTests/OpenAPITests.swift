import Foundation
import Testing

/// `/api/v1/openapi.json` against the real server: a valid OpenAPI 3.1 document
/// (openapi-spec-validator), and a bounded schemathesis run that finds no response the document
/// does not describe (status codes, content types, bodies), so the two cannot drift apart.
@Suite("the OpenAPI document, checked against the live server", .serialized, .oneMachineSlot)
struct OpenAPITests {
    static let settings = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Web/schemathesis.toml")

    private func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-openapi-\(UUID().uuidString)", isDirectory: true)
    }

    private func requireTool(_ module: String, package: String) async throws {
        let (status, _, _) = try await WebPageTests.run("python3", ["-c", "import \(module)"])
        if status != 0 { throw ServerError("\(package) is missing: run `make setup` (PyPI \(package))") }
    }

    @Test("the served document is valid OpenAPI 3.1 and describes every route of the contract")
    func documentIsValid() async throws {
        try await requireTool("openapi_spec_validator", package: "openapi-spec-validator")
        let server = try await ServerProcess(dataFolder: temporaryFolder())
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, body) = try await server.http(["\(server.baseURL)/api/v1/openapi.json"])
        #expect(status == 200)
        try body.write(to: file)
        let (valid, _, stderr) = try await WebPageTests.run("python3", ["-c", """
            import json, sys
            from openapi_spec_validator import validate
            spec = json.load(open(sys.argv[1]))
            validate(spec)
            assert spec["openapi"].startswith("3.1"), spec["openapi"]
            """, file.path])
        #expect(valid == 0, "\(stderr)")

        let spec = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        // Every route of ../shared/API.md, with the codes it names, and the extras.
        let expected: [(String, String, [String])] = [
            ("/api/v1/ocr/", "post", ["200", "400", "401", "402"]),
            ("/api/v1/ocr/{uuid}/", "get", ["200", "404"]),
            ("/api/v1/ocr/{uuid}/download/", "get", ["200", "400", "404", "409"]),
            ("/api/v1/chat/{uuid}/", "post", ["200", "400", "401", "404", "409"]),
            ("/api/v1/chat/{uuid}/history/", "get", ["200", "401", "404"]),
            ("/api/v1/ocr/", "get", ["200", "401"]),
            ("/api/v1/ocr/{uuid}/pages/{index}/image/", "get", ["200", "404", "409"]),
            ("/api/v1/account/", "get", ["200", "401"]),
            ("/api/v1/local-token/", "get", ["200", "404"]),
        ]
        for (path, method, codes) in expected {
            let operation = paths[path]?[method] as? [String: Any]
            #expect(operation != nil, "\(method) \(path) is described")
            let responses = operation?["responses"] as? [String: Any] ?? [:]
            for code in codes { #expect(responses[code] != nil, "\(method) \(path) \(code)") }
        }
        let formats = ((((spec["components"] as? [String: Any])?["schemas"] as? [String: Any])?["ExportFormat"] as? [String: Any])?["enum"] as? [String]) ?? []
        #expect(Set(formats) == ["txt", "md", "json", "csv", "docx", "hocr", "alto", "pdf"])
    }

    @Test("a part header name with a non-ASCII byte is a 400, not a crash (found by schemathesis)")
    func nonASCIIPartHeaderName() async throws {
        let server = try await ServerProcess(dataFolder: temporaryFolder())
        let body = FileManager.default.temporaryDirectory.appendingPathComponent("body-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: body) }
        var bytes = Data("--b0undary\r\n".utf8)
        bytes += Data([0xC2, 0xA8, 0xF2, 0xA3, 0x85, 0x8D])
        bytes += Data(": x\r\n\r\nhello\r\n--b0undary--\r\n".utf8)
        try bytes.write(to: body)
        let (status, answer) = try await server.http(["-H", "Content-Type: multipart/form-data; boundary=b0undary",
                                                "--data-binary", "@\(body.path)", "\(server.baseURL)/api/v1/ocr/"])
        #expect(status == 400, "\(String(decoding: answer, as: UTF8.self))")
        #expect(try await server.http(["\(server.baseURL)/healthz"]).0 == 200, "the server is still up")
        // UTF-8 in a header value (a file name) is still fine.
        let named = FileManager.default.temporaryDirectory.appendingPathComponent("Übersicht-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: named) }
        try FileManager.default.copyItem(atPath: ConvertCommandTests.sample("phototest.png"), toPath: named.path)
        #expect(try await server.http(["-F", "file=@\(named.path)", "\(server.baseURL)/api/v1/ocr/"]).0 == 200)
    }

    @Test("a bounded schemathesis run finds no mismatch between the document and the server")
    func schemathesisFindsNoMismatch() async throws {
        try await requireTool("schemathesis", package: "schemathesis")
        let folder = temporaryFolder()
        let create = try await ConvertCommandTests.ocrchat(["token", "create", "--name", "fuzz", "--data", folder.path])
        let token = create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try await ServerProcess(dataFolder: folder)
        for authorization in [nil, token] {
            var arguments = ["--no-color", "--config-file", Self.settings.path,
                             "run", "\(server.baseURL)/api/v1/openapi.json", "--checks", "all",
                             "--max-examples", "12", "--phases", "examples,coverage,fuzzing", "--workers", "1",
                             "--request-timeout", "60", "--generation-deterministic", "--suppress-health-check", "all"]
            if let authorization { arguments += ["-H", "Authorization: Bearer \(authorization)"] }
            // Its caches (.hypothesis, .schemathesis) go to the data folder, not the checkout.
            let (status, stdout, stderr) = try await WebPageTests.run("schemathesis", arguments, in: folder)
            #expect(status == 0, "schemathesis (\(authorization == nil ? "anonymous" : "with a token")):\n\(stdout.suffix(6000))\n\(stderr.suffix(2000))")
        }
        #expect(!server.log.contains("status=500"), "no request made the server fail")
    }
}
