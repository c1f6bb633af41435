import ArgumentParser
import Foundation
import OCRChatExport

/// Where `convert` writes: stdout, one file, or a folder with one file per input.
final class OutputDestination {
    private enum Target {
        case standardOutput
        case file(URL)
        case folder(URL)
    }

    private let target: Target
    private let inputCount: Int
    private var written = 0

    init(_ output: String?, inputCount: Int) throws {
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
                throw ValidationError("--output \(output) is a file; with several inputs it must name a folder")
            }
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            target = .folder(url)
        } else {
            target = .file(url)
        }
    }

    /// Writes one document's export. On stdout, several documents are separated by a form feed,
    /// or for JSON form one array.
    func write(_ data: Data, for input: String, format: ExportFormat) throws {
        defer { written += 1 }
        switch target {
        case .standardOutput:
            var chunk = Data()
            if format == .json && inputCount > 1 {
                chunk.append(Data((written == 0 ? "[\n" : ",\n").utf8))
            } else if written > 0 {
                chunk.append(Data("\u{0C}\n".utf8))
            }
            chunk.append(data)
            FileHandle.standardOutput.write(chunk)
        case .file(let url):
            try data.write(to: url, options: .atomic)
        case .folder(let folder):
            let stem = input == "-" ? "stdin" : URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
            try data.write(to: folder.appendingPathComponent("\(stem).\(format.fileExtension)"), options: .atomic)
        }
    }

    /// Closes the JSON array on stdout.
    func finish(format: ExportFormat) {
        guard case .standardOutput = target, format == .json, inputCount > 1 else { return }
        FileHandle.standardOutput.write(Data((written == 0 ? "[]\n" : "]\n").utf8))
    }
}
