import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a file looks like from the outside: its size and last modification, to the nanosecond.
///
/// Two equal stamps mean "probably the same content" (the manifest then skips the file without
/// hashing it); a scanner still writing a file changes its stamp (the hot folder waits for it to settle).
public struct FileStamp: Codable, Sendable, Equatable, Hashable {
    /// Size in bytes.
    public var size: Int64
    /// Modification time in nanoseconds since 1970, exact (no floating point round trip).
    public var modifiedNanoseconds: Int64

    public init(size: Int64, modifiedNanoseconds: Int64) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    enum CodingKeys: String, CodingKey {
        case size
        case modifiedNanoseconds = "mtime_ns"
    }
}

/// The kind of a directory entry, as `lstat` and `stat` see it.
enum EntryKind {
    case regularFile(FileStamp)
    case directory
    /// A symbolic link to a folder: not followed, so a link cannot make the scan loop.
    case linkedDirectory
    case other
}

extension EntryKind {
    /// Looks at `path` without following a final symbolic link, then follows a link to a file.
    static func of(path: String) -> EntryKind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .other }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            guard stat(path, &info) == 0 else { return .other }
            if (info.st_mode & S_IFMT) == S_IFDIR { return .linkedDirectory }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile(FileStamp(info))
        case S_IFDIR: return .directory
        default: return .other
        }
    }
}

extension FileStamp {
    init(_ info: stat) {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        self.init(size: Int64(info.st_size), modifiedNanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    /// The stamp of the file at `url` now, or nil when it is gone or not a regular file.
    public static func of(_ url: URL) -> FileStamp? {
        if case .regularFile(let stamp) = EntryKind.of(path: url.path) { return stamp }
        return nil
    }
}
