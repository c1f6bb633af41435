import Foundation
import OCRChatEngine

/// One regular file found under the input folder.
public struct ScannedFile: Sendable, Equatable, Hashable {
    /// The path below the input folder, with `/` between components (`a/b/scan.pdf`).
    public var relativePath: String
    /// Where the file is.
    public var url: URL
    /// Its size and modification time when it was listed.
    public var stamp: FileStamp

    public init(relativePath: String, url: URL, stamp: FileStamp) {
        self.relativePath = relativePath
        self.url = url
        self.stamp = stamp
    }
}

/// What the first bytes of a file say about it.
public enum SniffResult: Sendable, Equatable {
    /// An image or PDF the engine reads.
    case supported(InputFormat)
    /// Anything else; `reason` says what it looks like. Skipped and counted, not an error.
    case unsupported(reason: String)
    /// The file could not be opened or read.
    case unreadable(reason: String)
}

/// Lists the files of a batch: every regular, visible file under the input folder, top level only
/// unless recursive, leaving out the folders the batch itself writes to.
public struct BatchScanner: Sendable {
    /// The folder scanned.
    public let inputFolder: URL
    /// Whether sub-folders are scanned too.
    public let recursive: Bool
    /// Folders never entered (absolute, symbolic links resolved): the output folder when it lies
    /// inside the input, and `done/` and `failed/` when originals are moved there.
    public let excludedFolders: Set<String>

    public init(inputFolder: URL, recursive: Bool, excluding excluded: [URL] = []) {
        self.inputFolder = inputFolder.resolvingSymlinksInPath().standardizedFileURL
        self.recursive = recursive
        self.excludedFolders = Set(excluded.map { $0.resolvingSymlinksInPath().standardizedFileURL.path })
    }

    /// The files now present, sorted by relative path so every run takes them in the same order.
    /// Hidden files and folders (a leading dot) are left out: editors' and scanners' temporary
    /// files, and our own manifest, are hidden.
    public func scan() -> [ScannedFile] {
        var found: [ScannedFile] = []
        walk(inputFolder, prefix: "", into: &found)
        return found.sorted { $0.relativePath < $1.relativePath }
    }

    private func walk(_ folder: URL, prefix: String, into found: inout [ScannedFile]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            let relativePath = prefix.isEmpty ? name : "\(prefix)/\(name)"
            switch EntryKind.of(path: url.path) {
            case .regularFile(let stamp):
                found.append(ScannedFile(relativePath: relativePath, url: url, stamp: stamp))
            case .directory:
                if recursive && !excludedFolders.contains(url.standardizedFileURL.path) {
                    walk(url, prefix: relativePath, into: &found)
                }
            case .linkedDirectory, .other:
                continue
            }
        }
    }

    /// Reads the first KiB of a file and recognises its type from the bytes, as the engine does.
    public static func sniff(_ url: URL) -> SniffResult {
        let head: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            head = try handle.read(upToCount: 1024) ?? Data()
        } catch {
            return .unreadable(reason: "cannot be read: \(describe(error))")
        }
        do {
            return .supported(try InputFormat.sniff(head))
        } catch {
            return .unsupported(reason: describe(error))
        }
    }
}

/// An error as one line a person can act on.
func describe(_ error: any Error) -> String {
    // Foundation's errors describe themselves as "Error Domain=…"; their localized text reads better.
    if let error = error as? CocoaError { return error.localizedDescription }
    if type(of: error) is NSError.Type { return (error as NSError).localizedDescription }
    return String(describing: error)
}
