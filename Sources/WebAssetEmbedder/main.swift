// Run by the EmbedWebAssets plugin at build time: the web page's files (HTML, CSS, JavaScript, the
// OpenAPI document) become one Swift source in OCRChatWebAssets, so the `ocrchat` binary carries
// them wherever it is copied, with no resource bundle beside it.
//
//     WebAssetEmbedder OUTPUT.swift ROOT FILE...
//
// Each FILE (under ROOT) becomes an ASCII-only Swift string literal keyed by its path below ROOT;
// its UTF-8 view is the file's bytes exactly. A file that is not UTF-8 text stops the build.
import Foundation

/// Why the embedder stopped: one line for the build log.
struct EmbedderError: Error, CustomStringConvertible {
    let description: String
}

/// `text` as the body of a Swift string literal: printable ASCII as it is, the rest escaped, so
/// no byte of the file can end the literal, start an interpolation or be changed by an editor.
func swiftLiteralBody(_ text: String) -> String {
    var literal = ""
    literal.reserveCapacity(text.utf8.count + text.utf8.count / 8)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": literal += "\\\\"
        case "\"": literal += "\\\""
        case "\n": literal += "\\n"
        case "\t": literal += "\\t"
        case " "..."~": literal.unicodeScalars.append(scalar)
        default: literal += "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }
    return literal
}

/// The path of `file` below `root`, with `/` between its parts.
func relativePath(of file: URL, below root: URL) throws -> String {
    let rootParts = root.standardizedFileURL.pathComponents
    let fileParts = file.standardizedFileURL.pathComponents
    guard fileParts.count > rootParts.count, Array(fileParts.prefix(rootParts.count)) == rootParts else {
        throw EmbedderError(description: "\(file.path) is not under \(root.path)")
    }
    return fileParts.dropFirst(rootParts.count).joined(separator: "/")
}

func embed(_ arguments: [String]) throws {
    guard arguments.count >= 2 else {
        throw EmbedderError(description: "usage: WebAssetEmbedder OUTPUT.swift ROOT FILE...")
    }
    let output = URL(fileURLWithPath: arguments[0])
    let root = URL(fileURLWithPath: arguments[1], isDirectory: true)
    var entries: [(path: String, literal: String)] = []
    for argument in arguments.dropFirst(2) {
        let file = URL(fileURLWithPath: argument)
        let path = try relativePath(of: file, below: root)
        let bytes = try Data(contentsOf: file)
        guard let text = String(data: bytes, encoding: .utf8), Data(text.utf8) == bytes else {
            throw EmbedderError(description: "\(file.path) is not UTF-8 text; only text files are embedded")
        }
        entries.append((path, swiftLiteralBody(text)))
    }
    entries.sort { $0.path < $1.path }
    var source = """
        // Generated at build time by WebAssetEmbedder (the EmbedWebAssets plugin) from
        // Sources/OCRChatWebAssets/Files: edit those files, not this one.

        enum EmbeddedWebFiles {
            /// Every file, by its path under `Files/`; each literal's UTF-8 is the file's bytes.
            static let contents: [String: String] = [

        """
    for entry in entries {
        source += "        \"\(swiftLiteralBody(entry.path))\": \"\(entry.literal)\",\n"
    }
    if entries.isEmpty { source += "        :\n" }
    source += "    ]\n}\n"
    try Data(source.utf8).write(to: output, options: .atomic)
}

do {
    try embed(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("WebAssetEmbedder: \(error)\n".utf8))
    exit(1)
}
