import ArgumentParser
import Foundation
import OCRChatExport

/// Where `convert` writes: stdout, one file, one stem with a file per format, or a folder with one
/// file per input and format.
final class OutputDestination {
    private enum Target {
        case standardOutput
        case file(URL)
        /// Several formats of one input: `STEM.md`, `STEM.pdf`, …
        case stem(URL)
        case folder(URL)
    }

    private let target: Target
    private let inputCount: Int
    private var written: [ExportFormat: Int] = [:]

    /// Checks `output` before any page is read: a folder that is missing or a file where a folder
    /// is needed is one line naming it, not an error after minutes of recognition.
    init(_ output: String?, inputCount: Int, formats: [ExportFormat]) throws {
        self.inputCount = inputCount
        guard let output, output != "-" else {
            target = .standardOutput
            return
        }
        let url = URL(fileURLWithPath: output)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
        if inputCount > 1 || (exists && isDirectory.boolValue) || output.hasSuffix("/") {
            if exists && !isDirectory.boolValue {
                throw CommandError("--output \(output) is a file; with several inputs it must name a folder")
            }
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw CommandError("--output \(output): \(Self.reason(creatingFolder: url))")
            }
            target = .folder(url)
            return
        }
        try Self.requireFolder(of: url, option: "--output \(output)")
        if formats.count > 1 {
            // `-o scan.pdf --format md,pdf` is the stem `scan`, not `scan.pdf.md`.
            let lowered = output.lowercased()
            let stem = formats.map { ".\($0.fileExtension)" }.first { lowered.hasSuffix($0) }
                .map { String(output.dropLast($0.count)) } ?? output
            target = .stem(URL(fileURLWithPath: stem))
        } else {
            target = .file(url)
        }
    }

    /// Writes one document's export. On stdout, several documents are separated by a form feed,
    /// or for JSON form one array.
    func write(_ data: Data, for input: String, format: ExportFormat) throws {
        let count = written[format, default: 0]
        defer { written[format] = count + 1 }
        switch target {
        case .standardOutput:
            var chunk = Data()
            if format == .json && inputCount > 1 {
                chunk.append(Data((count == 0 ? "[\n" : ",\n").utf8))
            } else if count > 0 {
                chunk.append(Data("\u{0C}\n".utf8))
            }
            chunk.append(data)
            FileHandle.standardOutput.write(chunk)
        case .file(let url):
            try Self.write(data, to: url)
        case .stem(let stem):
            try Self.write(data, to: URL(fileURLWithPath: "\(stem.path).\(format.fileExtension)"))
        case .folder(let folder):
            let stem = input == "-" ? "stdin" : URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
            try Self.write(data, to: folder.appendingPathComponent("\(stem).\(format.fileExtension)"))
        }
    }

    /// Closes the JSON array on stdout.
    func finish(format: ExportFormat) {
        guard case .standardOutput = target, format == .json, inputCount > 1 else { return }
        FileHandle.standardOutput.write(Data((written[format, default: 0] == 0 ? "[]\n" : "]\n").utf8))
    }

    /// Writes the file whole, or throws one line that says why not (Foundation's own error is a
    /// dump of its domain and user info).
    static func write(_ data: Data, to url: URL) throws {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            var isDirectory: ObjCBool = false
            let folder = url.deletingLastPathComponent()
            if !FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
                throw CommandError("cannot write \(url.path): the folder \(folder.path) does not exist")
            }
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw CommandError("cannot write \(url.path): it is a folder")
            }
            if !FileManager.default.isWritableFile(atPath: folder.path) {
                throw CommandError("cannot write \(url.path): permission denied")
            }
            throw CommandError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// The folder the file `url` goes in exists and is a folder; `option` (`--output x.txt`)
    /// begins the error that says otherwise.
    static func requireFolder(of url: URL, option: String) throws {
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
            throw CommandError("\(option): the folder \(folder.path) does not exist")
        }
        guard isDirectory.boolValue else {
            throw CommandError("\(option): \(folder.path) is a file, not a folder")
        }
    }

    /// Why a folder could not be made: the first part of its path that is a file, or permissions.
    private static func reason(creatingFolder url: URL) -> String {
        var partial = URL(fileURLWithPath: "/")
        for component in url.pathComponents.dropFirst() {
            partial.appendPathComponent(component)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: partial.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return "\(partial.path) is a file, not a folder"
            }
        }
        return "the folder \(url.path) could not be made (permission denied?)"
    }
}
