import Crypto
import Foundation

/// What a batch remembers in its output folder between runs, so a rerun (after Ctrl-C, a power cut,
/// or simply the next morning) redoes only what is new or changed.
///
/// Kept as `OUT/.ocrchat-batch.json`, rewritten atomically after each file: a run killed at any
/// moment leaves either the previous manifest or the next one, never half of one.
public struct BatchManifest: Codable, Sendable, Equatable {
    /// The manifest's name in the output folder (hidden: it is the batch's bookkeeping, not a result).
    public static let fileName = ".ocrchat-batch.json"

    /// One converted input.
    public struct Entry: Codable, Sendable, Equatable {
        /// Size and modification time of the input when it was read.
        public var stamp: FileStamp
        /// SHA-256 of the input's bytes, lowercase hex: recognises a file touched but not changed.
        public var sha256: String
        /// The outputs written, relative to the output folder.
        public var outputs: [String]
        /// Pages recognised.
        public var pages: Int
        /// The recognition settings that produced the outputs (see `BatchSettings.fingerprint`).
        public var settings: String
        /// When it was converted.
        public var convertedAt: Date

        public init(stamp: FileStamp, sha256: String, outputs: [String], pages: Int, settings: String, convertedAt: Date) {
            self.stamp = stamp
            self.sha256 = sha256
            self.outputs = outputs
            self.pages = pages
            self.settings = settings
            self.convertedAt = convertedAt
        }

        enum CodingKeys: String, CodingKey {
            case stamp, sha256, outputs, pages, settings
            case convertedAt = "converted_at"
        }
    }

    /// Format version, for a future change of layout.
    public var version = 1
    /// Converted inputs by relative path.
    public var entries: [String: Entry] = [:]

    public init() {}

    /// The manifest in `folder`, or an empty one when there is none. An unreadable manifest is a
    /// cache lost, not a reason to stop: everything is converted again.
    public static func load(from folder: URL) -> (manifest: BatchManifest, problem: String?) {
        let url = folder.appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else { return (BatchManifest(), nil) }
        do {
            return (try decoder.decode(BatchManifest.self, from: data), nil)
        } catch {
            return (BatchManifest(), "\(url.path) cannot be read (\(describe(error))); converting everything again")
        }
    }

    /// Writes the manifest into `folder` atomically.
    public func save(to folder: URL) throws {
        try AtomicFile.write(try Self.encoder.encode(self), to: folder.appendingPathComponent(Self.fileName))
    }

    /// Whether `file` needs no work: converted before with the same settings, every wanted output
    /// still there, and its stamp unchanged. When only the stamp changed, `hash` is asked for the
    /// file's SHA-256 and a file touched but not edited still counts as unchanged.
    public func isUpToDate(_ file: ScannedFile, outputs: [String], settings: String, outputFolder: URL,
                           hash: () throws -> String) -> Bool {
        guard let entry = entries[file.relativePath], entry.settings == settings,
              Set(outputs).isSubset(of: entry.outputs),
              outputs.allSatisfy({ FileManager.default.fileExists(atPath: outputFolder.appendingPathComponent($0).path) })
        else { return false }
        if entry.stamp == file.stamp { return true }
        return (try? hash()) == entry.sha256
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// SHA-256 of a file, read in 1 MiB pieces so a large PDF is never held twice in memory.
enum FileHash {
    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
