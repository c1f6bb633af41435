import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import OCRChatServer

@Suite("Tools and the vlm tier through the router")
struct ToolRouteTests {
    @Test("tool=translate: a pair that is not installed is a 400 at upload naming the installed pairs")
    func unavailablePair() async throws {
        let app = try buildApplication(configuration: testConfiguration(), engine: sharedEngine, logger: quietLogger)
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

    @Test("tool=translate into Spanish: the job keeps the original and the translation; downloads are the translation")
    func translateJob() async throws {
        let app = try buildApplication(configuration: testConfiguration(), engine: sharedEngine, logger: quietLogger)
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

    @Test("tier=vlm records the engine per page and costs the vlm price; handwriting warns without a vision model")
    func vlmJob() async throws {
        let app = try buildApplication(configuration: testConfiguration(), engine: sharedEngine, logger: quietLogger)
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
            #expect((page["engine"] as? String)?.contains("accurate pipeline") == true)
        }
    }
}
