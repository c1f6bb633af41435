import Foundation
import Hummingbird
import NIOFileSystem
import NIOPosix

/// Files of the data folder as they go out: streamed from disk in chunks on NIO's thread pool,
/// never read whole into memory nor by a blocking read on the cooperative pool.
enum StoredFile {
    private static let fileIO = FileIO()

    /// The file at `url` as a streamed response body; nil when it is not there (any more).
    static func body(at url: URL, context: some RequestContext) async throws -> ResponseBody? {
        guard let info = try? await FileSystem.shared.info(forFileAt: FilePath(url.path)), info.type == .regular else {
            return nil
        }
        return try await fileIO.loadFile(path: url.path, context: context)
    }

    /// Blocking work of a request (reading a result, making an export) on NIO's bounded thread pool.
    static func onThreadPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// A small text file (why a file could not be made); nil when it is not there.
    static func text(at url: URL) async -> String? {
        try? await String(contentsOf: FilePath(url.path), maximumSizeAllowed: .kibibytes(64))
    }
}
