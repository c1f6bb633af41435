import Foundation
import Testing

/// `--tier vlm`, `--tool` and `--translate-to` on the real binary.
@Suite("convert with the vlm tier and the tools", .oneMachineSlot)
struct ToolOptionsTests {
    typealias CLI = ConvertCommandTests

    @Test("--translate-to es prints the Spanish text; the json keeps the original beside the translation")
    func translate() async throws {
        let text = try await CLI.ocrchat(["convert", "--language", "en", "--translate-to", "es", CLI.sample("phototest.png")])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("perro") && !text.stdout.contains("quick brown dog"))
        let json = try await CLI.ocrchat(["convert", "-f", "json", "--language", "en", "--translate-to", "es", CLI.sample("phototest.png")])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["text"] as? String)?.contains("quick brown dog") == true)
        #expect((object?["translation"] as? String)?.contains("perro") == true)
    }

    @Test("a pair that is not installed stops at argument checking, naming the installed pairs")
    func unavailablePair() async throws {
        let run = try await CLI.ocrchat(["convert", "--translate-to", "ja", CLI.sample("phototest.png")])
        #expect(run.status != 0)
        #expect(run.stderr.contains("eng-spa"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("--tool handwriting-to-text warns on stderr that handwriting needs a vision model")
    func handwriting() async throws {
        let run = try await CLI.ocrchat(["convert", "--tool", "handwriting-to-text", CLI.sample("phototest.png")])
        #expect(run.status == 0)
        #expect(run.stderr.contains("vision model"))
        #expect(run.stdout.contains("quick brown dog"))
    }

    @Test("--vlm-url must be an http URL and needs --vlm-model")
    func visionModelOptions() async throws {
        #expect(try await CLI.ocrchat(["convert", "--vlm-url", "ftp://x", "--vlm-model", "m", CLI.sample("phototest.png")]).status != 0)
        #expect(try await CLI.ocrchat(["convert", "--vlm-url", "http://127.0.0.1:9/v1", CLI.sample("phototest.png")]).status != 0)
    }
}
