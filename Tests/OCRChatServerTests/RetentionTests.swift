import Foundation
import Testing
@testable import OCRChatServer

@Suite("Privacy: uploads go when their job ends, results when their time is up")
struct RetentionTests {
    @Test("a finished job's result and row are purged after the retention time, not before", arguments: Backend.allCases)
    func purge(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend)
        let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        let uuid = try await app.test(.router) { client in
            let body = MultipartBody.upload(try sample("phototest.png"))
            return try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: body.headers, body: body.buffer) {
                $0.json["uuid"] as? String ?? ""
            }
        }
        let store = try await openStore(configuration)
        let folders = try DataFolders(root: configuration.dataURL)
        let job = try #require(try await store.job(uuid))
        #expect(job.uploadPath == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folders.uploads.path).isEmpty)
        let result = try #require(job.resultPath)
        #expect(FileManager.default.fileExists(atPath: result))

        let retention = RetentionService(store: store, folders: folders, retentionHours: 1, logger: quietLogger)
        await retention.purge(now: Date().addingTimeInterval(1800))
        #expect(try await store.job(uuid) != nil)
        await retention.purge(now: Date().addingTimeInterval(7200))
        #expect(try await store.job(uuid) == nil)
        #expect(!FileManager.default.fileExists(atPath: result))
    }
}
