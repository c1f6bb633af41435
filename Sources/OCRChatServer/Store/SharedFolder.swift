import Foundation
import NIOPosix

/// A folder every node mounts (`serve --shared-folder`), where the shared store keeps the bytes of
/// jobs' files instead of chunked bytea rows: for offices whose uploads are too large to go through
/// the database. PostgreSQL still says which files exist (one marker row each), so claims, deletion
/// and the queue work as without it; the bytes are at `<folder>/<job uuid>/<file name>`.
///
/// Files are written beside and renamed, so that another node never reads half a file; they are
/// removed with their job, and any left by a node that died between copy and record are swept
/// after a day.
public struct SharedFolder: Sendable {
    public let root: URL

    /// The folder at `path`, made if missing; throws, saying why, when this node cannot write in it
    /// (a mount that is missing or read-only must stop the node at start, not fail its first job).
    public init(path: String) throws {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
            let probe = root.appendingPathComponent(".ocrchat-write-check-\(UUID().uuidString)")
            guard fileManager.createFile(atPath: probe.path, contents: Data("ocrchat".utf8)) else {
                throw SharedFolderError("cannot write in the shared folder \(root.path)")
            }
            try fileManager.removeItem(at: probe)
        } catch let error as SharedFolderError {
            throw error
        } catch {
            throw SharedFolderError("cannot use the shared folder \(root.path): \(error.localizedDescription)")
        }
    }

    func folder(of job: String) -> URL { root.appendingPathComponent(job, isDirectory: true) }

    func url(job: String, name: String) -> URL { folder(of: job).appendingPathComponent(name) }

    /// Copies `source` in as the job's file `name` (on NIO's thread pool: a large copy must not hold
    /// a cooperative thread).
    func put(_ source: URL, job: String, name: String) async throws {
        let destination = url(job: job, name: name)
        try await NIOThreadPool.singleton.runIfActive {
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Self.copyAtomically(source, to: destination)
        }
    }

    /// Copies the job's file `name` to `destination`; throws when the store says it is here and it is not.
    func get(job: String, name: String, to destination: URL) async throws {
        let source = url(job: job, name: name)
        try await NIOThreadPool.singleton.runIfActive {
            guard FileManager.default.fileExists(atPath: source.path) else {
                throw SharedFolderError("\(source.path) is missing from the shared folder (is it mounted on this node?)")
            }
            try Self.copyAtomically(source, to: destination)
        }
    }

    /// Removes every file of the job; a job that had none is not an error.
    func remove(job: String) async {
        let folder = folder(of: job)
        _ = try? await NIOThreadPool.singleton.runIfActive { try FileManager.default.removeItem(at: folder) }
    }

    /// Removes the files of jobs not in `keep` that were last written before `cutoff`; returns how many jobs' files went.
    func sweep(keeping keep: Set<String>, writtenBefore cutoff: Date) async throws -> Int {
        let root = root
        return try await NIOThreadPool.singleton.runIfActive {
            let fileManager = FileManager.default
            var removed = 0
            // A folder that cannot be listed now (a mount gone for a moment) is swept another time:
            // it must not stop the retention pass it is part of.
            let names = (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? []
            for name in names where UUID(uuidString: name) != nil && !keep.contains(name) {
                let folder = root.appendingPathComponent(name, isDirectory: true)
                let modified = (try? fileManager.attributesOfItem(atPath: folder.path)[.modificationDate] as? Date) ?? Date()
                if modified < cutoff, (try? fileManager.removeItem(at: folder)) != nil { removed += 1 }
            }
            return removed
        }
    }

    /// `source` copied to a hidden name beside `destination`, then renamed over it.
    private static func copyAtomically(_ source: URL, to destination: URL) throws {
        let partial = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString)")
        do {
            try FileManager.default.copyItem(at: source, to: partial)
            guard rename(partial.path, destination.path) == 0 else {  // replaces an older copy in one step
                throw SharedFolderError("cannot write \(destination.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }
}

public struct SharedFolderError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
