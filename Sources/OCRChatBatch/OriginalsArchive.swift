import Foundation

/// Moves handled originals out of a hot folder: finished ones to `IN/done/`, failed ones to
/// `IN/failed/`, each keeping its path below the input folder. A name already taken there gets a
/// number (`scan (2).pdf`) rather than replacing an earlier original.
struct OriginalsArchive: Sendable {
    let inputFolder: URL
    let doneFolder: URL
    let failedFolder: URL

    /// Moves `relativePath` to done/ or failed/; returns where it went.
    func move(_ relativePath: String, succeeded: Bool) throws -> URL {
        let source = inputFolder.appendingPathComponent(relativePath)
        var destination = (succeeded ? doneFolder : failedFolder).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let stem = destination.deletingPathExtension().lastPathComponent
        let pathExtension = destination.pathExtension
        var number = 2
        while FileManager.default.fileExists(atPath: destination.path) {
            let name = pathExtension.isEmpty ? "\(stem) (\(number))" : "\(stem) (\(number)).\(pathExtension)"
            destination = destination.deletingLastPathComponent().appendingPathComponent(name)
            number += 1
        }
        try FileManager.default.moveItem(at: source, to: destination)
        return destination
    }
}
