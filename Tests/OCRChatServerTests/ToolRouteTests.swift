import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import OCRChatServer

@Suite("Tools and the vlm tier through the router")
struct ToolRouteTests {
    @Test("tool=translate: a pair that is not installed is a 400 at upload naming the installed pairs", arguments: Backend.allCases)
    func unavailablePair(_ backend: Backend) async throws {
        let app = try await buildApplication(configuration: testConfiguration(backend), reader: sharedEngine, logger: quietLogger)
        try await app.test(.router) { client in
            let upload = MultipartBody.upload(try sample("phototest.png"),
                                              fields: ["tool": "translate", "translate_to": "ja", "language": "en"])
            try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: upload.headers, body: upload.buffer) { response in
                #expect(response.status == .badRequest)
                let message = response.json["error"] as? String ?? ""
                #expect(message.contains("eng-spa"), "\(message)")
            }
        }
    }

    @Test("tool=translate into Spanish: the job keeps the original and the translation; downloads are the translation", arguments: Backend.allCases)
    func translateJob(_ backend: Backend) async throws {
        let app = try await buildApplication(configuration: testConfiguration(backend), reader: sharedEngine, logger: quietLogger)
        try await app.test(.router) { client in
            let upload = MultipartBody.upload(try sample("phototest.png"), name: "phototest.png",
                                              fields: ["tool": "translate", "translate_to": "es"])
            let job = try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: upload.headers, body: upload.buffer) { response in
                #expect(response.status == .ok)
                return response.json
            }
            #expect(job["status"] as? String == "done")
            #expect((job["text"] as? String)?.contains("quick brown dog") == true)
            #expect((job["translation"] as? String)?.contains("perro") == true)
            #expect(job["translate_to"] as? String == "es")
            let uuid = try #require(job["uuid"] as? String)
            for format in ["txt", "md", "docx"] {
                try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=\(format)", method: .get) { response in
                    #expect(response.status == .ok)
                    if format != "docx" {
                        let body = String(buffer: response.body)
                        #expect(body.contains("perro") && !body.contains("quick brown dog"), "\(format): \(body)")
                    }
                }
            }
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=json", method: .get) { response in
                #expect((response.json["text"] as? String)?.contains("quick brown dog") == true)
                #expect((response.json["translation"] as? String)?.contains("perro") == true)
            }
        }
    }

    @Test("tool=translate into German (no Apertium pair) with a local model: the model translates, told both languages", arguments: Backend.allCases)
    func translateWithLocalModel(_ backend: Backend) async throws {
        try await withVisionStub(answer: "[[1]]\nDies ist viel Text in 12 Punkt.\n\n[[2]]\nDer schnelle braune Hund.") { url, recorder in
            let configuration = try await testConfiguration(backend) {
                $0.chat.llmURL = url.absoluteString
                $0.chat.llmModel = "stub-translator"
            }
            let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
            try await app.test(.router) { client in
                let upload = MultipartBody.upload(try sample("phototest.png"), name: "phototest.png",
                                                  fields: ["tool": "translate", "translate_to": "de", "language": "en"])
                let job = try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: upload.headers, body: upload.buffer) { response in
                    #expect(response.status == .ok)
                    return response.json
                }
                #expect(job["status"] as? String == "done", "\(job["error"] ?? "")")
                #expect((job["text"] as? String)?.contains("quick brown dog") == true)
                #expect((job["translation"] as? String)?.contains("Dies ist viel Text") == true)
                #expect((job["warnings"] as? [String])?.contains { $0.contains("stub-translator") } == true)
                let uuid = try #require(job["uuid"] as? String)
                try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=txt", method: .get) { response in
                    #expect(String(buffer: response.body).contains("Dies ist viel Text"))
                }
            }
            let sent = try #require(recorder.all.first)
            #expect(sent["model"] as? String == "stub-translator")
            let messages = sent["messages"] as? [[String: Any]] ?? []
            #expect((messages.first?["content"] as? String)?.contains("from English into German") == true)
            #expect((messages.last?["content"] as? String)?.contains("[[1]]") == true)
            #expect((messages.last?["content"] as? String)?.contains("quick brown dog") == true)
        }
    }

    @Test("tier=vlm records the engine per page and costs the vlm price; handwriting warns without a vision model", arguments: Backend.allCases)
    func vlmJob(_ backend: Backend) async throws {
        let app = try await buildApplication(configuration: testConfiguration(backend), reader: sharedEngine, logger: quietLogger)
        try await app.test(.router) { client in
            let upload = MultipartBody.upload(try sample("phototest.png"), fields: ["tool": "handwriting-to-text"])
            let job = try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: upload.headers, body: upload.buffer) { response in
                #expect(response.status == .ok)
                return response.json
            }
            #expect(job["status"] as? String == "done")
            #expect((job["engine"] as? String)?.hasPrefix("vlm:") == true)
            #expect((job["warnings"] as? [String])?.first?.contains("vision model") == true)
            let page = try #require((job["pages"] as? [[String: Any]])?.first)
            #expect((page["engine"] as? String)?.contains("PP-OCRv6") == true)
        }
    }
}
