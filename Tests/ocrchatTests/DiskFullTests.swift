import Foundation
import Testing

/// The server's data folder on a small `tmpfs` (mounting one needs root, as CI runs): an upload
/// larger than the space left fills the disk while the server writes it.
@Suite("A full disk fails one upload, clearly; the server goes on", .serialized,
       .enabled(if: getuid() == 0, "mounting a tmpfs data folder needs root"), .oneMachineSlot)
struct DiskFullTests {
    /// Runs `body` with a fresh folder that is a `tmpfs` of `mebibytes`, unmounted afterwards.
    private func withSmallDisk(mebibytes: Int, _ body: (URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await run("/bin/mount", "-t", "tmpfs", "-o", "size=\(mebibytes)m", "tmpfs", folder.path)
        // Unmounted and removed whether `body` throws or not (a `defer` cannot await).
        var failure: Error?
        do { try await body(folder) } catch { failure = error }
        try? await run("/bin/umount", "-l", folder.path)
        try? FileManager.default.removeItem(at: folder)
        if let failure { throw failure }
    }

    private func run(_ arguments: String...) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        try process.run()
        guard await process.exitStatus() == 0 else { throw ServerError("\(arguments.joined(separator: " ")) failed") }
    }

    @Test("an upload that fills the disk is a 507 that says so and leaves no file; the server reads the next one")
    func uploadFillsTheDisk() async throws {
        try await withSmallDisk(mebibytes: 4) { folder in
            let server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1", "--metering", "off"])
            // A PNG with 8 MiB after it: twice what the disk holds. (It is stored on the normal disk.)
            var large = try Data(contentsOf: URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")))
            large.append(Data(repeating: 0xA5, count: 8 << 20))
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-large-\(UUID().uuidString).png")
            try large.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }

            let (status, body) = try await server.http(["-F", "file=@\(file.path)", "\(server.baseURL)/api/v1/ocr/"])
            #expect(status == 507)
            let error = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["error"] as? String ?? ""
            #expect(error.contains("disk is full"), "\(String(decoding: body, as: UTF8.self))")
            let uploads = folder.appendingPathComponent("uploads")
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path).isEmpty,
                    "the half-written upload is removed, and its space given back")

            // The server goes on: it answers, and reads a small file into a searchable PDF.
            #expect(server.process.isRunning)
            #expect(try await server.http(["\(server.baseURL)/healthz"]).0 == 200)
            let (goodStatus, goodBody) = try await server.http(["-F", "file=@\(ConvertCommandTests.sample("phototest.png"))",
                                                          "\(server.baseURL)/api/v1/ocr/"])
            #expect(goodStatus == 200)
            let job = try #require(try JSONSerialization.jsonObject(with: goodBody) as? [String: Any])
            #expect(job["status"] as? String == "done")
            #expect((job["text"] as? String ?? "").contains("quick brown dog"))
            let uuid = try #require(job["uuid"] as? String)
            let (pdfStatus, pdf) = try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=pdf"])
            #expect(pdfStatus == 200)
            #expect(pdf.starts(with: Data("%PDF-".utf8)))
            _ = await server.terminate(within: 20)
        }
    }
}
