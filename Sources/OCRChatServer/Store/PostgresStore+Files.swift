import Foundation
import NIOCore
import PostgresNIO

extension PostgresStore {
    /// Rows of at most this many bytes: large files never need one large allocation on either side.
    static let fileChunkBytes = 1 << 20
    /// The chunk number of the one row that says a file's bytes are in the shared folder.
    static let inSharedFolder = -1

    func saveFile(job uuid: String, name: String, contentsOf url: URL) async throws {
        // In the folder first, then recorded: a node that sees the row always finds the file.
        if let sharedFolder { try await sharedFolder.put(url, job: uuid, name: name) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        try await transaction { [self] connection in
            try await connection.query("DELETE FROM job_file WHERE job_uuid = \(uuid) AND name = \(name)", logger: logger)
            if sharedFolder != nil {
                try await connection.query("""
                    INSERT INTO job_file (job_uuid, name, chunk, bytes) VALUES (\(uuid), \(name), \(Self.inSharedFolder), \(ByteBuffer()))
                    """, logger: logger)
            } else {
                var chunk = 0
                while let data = try handle.read(upToCount: Self.fileChunkBytes), !data.isEmpty {
                    try await connection.query("""
                        INSERT INTO job_file (job_uuid, name, chunk, bytes) VALUES (\(uuid), \(name), \(chunk), \(ByteBuffer(bytes: data)))
                        """, logger: logger)
                    chunk += 1
                }
                if chunk == 0 {  // an empty file is one empty chunk, so that it exists
                    try await connection.query("""
                        INSERT INTO job_file (job_uuid, name, chunk, bytes) VALUES (\(uuid), \(name), 0, \(ByteBuffer()))
                        """, logger: logger)
                }
            }
            // A queued job can be claimed once its upload is here: wake the idle nodes now.
            if name == JobFile.upload.name { try await notifyNewJob(connection) }
        }
    }

    func loadFile(job uuid: String, name: String, to url: URL) async throws -> Bool {
        // How many rows, and whether the one row is the shared folder's marker, in one query.
        let stored = try await rows("SELECT COUNT(*), MIN(chunk) FROM job_file WHERE job_uuid = \(uuid) AND name = \(name)").first
        let count = try stored?[0].decode(Int.self) ?? 0
        guard count > 0 else { return false }
        if try stored?[1].decode(Int?.self) == Self.inSharedFolder {
            guard let sharedFolder else {
                throw SharedFolderError("the file \(name) of job \(uuid) is kept in a shared folder: start this node with --shared-folder")
            }
            try await sharedFolder.get(job: uuid, name: name, to: url)
            return true
        }
        // Written beside and renamed: a reader never sees half a file, and a failed fetch leaves none.
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        FileManager.default.createFile(atPath: partial.path, contents: nil)
        let handle = try FileHandle(forWritingTo: partial)
        do {
            defer { try? handle.close() }
            for chunk in 0..<count {  // one chunk a query: the whole file is never in memory at once
                guard let row = try await rows("""
                    SELECT bytes FROM job_file WHERE job_uuid = \(uuid) AND name = \(name) AND chunk = \(chunk)
                    """).first else { throw PostgresDecodingFailure(column: "job_file.chunk", value: "\(chunk) missing") }
                var bytes = try row[0].decode(ByteBuffer.self)
                try handle.write(contentsOf: Data(bytes.readBytes(length: bytes.readableBytes) ?? []))
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: partial, to: url)
        return true
    }
}
