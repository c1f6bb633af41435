import Foundation
import NIOPosix

/// The file an upload is written to, on NIO's bounded thread pool: never a blocking write on the
/// cooperative pool, and a failed write (a full disk) an error for this request, never a crash.
/// Each call is one trip to the pool (opening goes with the first write, `fsync` and closing
/// together), so a small upload costs one trip. Used by one request at a time, in order.
final class UploadFile: @unchecked Sendable {
    let path: String
    private var descriptor: Int32 = -1
    private var offset: Int64 = 0
    private let pool: NIOThreadPool

    /// Why the file could not be written: the system call and its errno.
    struct Failure: Error, CustomStringConvertible {
        var call: String
        var errno: Int32

        var diskFull: Bool { errno == ENOSPC || errno == EDQUOT }
        var description: String { "\(call) failed: \(String(cString: strerror(errno)))" }
    }

    init(path: String, pool: NIOThreadPool = .singleton) {
        self.path = path
        self.pool = pool
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Appends `chunks` (creating the file, or emptying an old one, on the first call).
    func append(_ chunks: [Data]) async throws {
        try await pool.runIfActive { try self.appendNow(chunks) }
    }

    /// Appends `chunks`, then flushes the file to disk and closes it: on disk for good before the
    /// job row that points at it is committed.
    func finish(appending chunks: [Data]) async throws {
        try await pool.runIfActive {
            try self.appendNow(chunks)
            guard fsync(self.descriptor) == 0 else { throw Failure(call: "fsync", errno: errno) }
            close(self.descriptor)
            self.descriptor = -1
        }
    }

    private func appendNow(_ chunks: [Data]) throws {
        if descriptor < 0 {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw Failure(call: "open", errno: errno) }
        }
        for chunk in chunks {
            try chunk.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let written = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(offset))
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw Failure(call: "write", errno: errno)
                    }
                    done += written
                    offset += Int64(written)
                }
            }
        }
    }
}
