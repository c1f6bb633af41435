import Foundation

/// Finds Tesseract's glyphless font `pdf.ttf` where the engine finds its models: the project's
/// `tessdata/`, then `TESSDATA_PREFIX` (and its `tessdata/`), then the system folders.
enum GlyphlessFont {
    static let fileName = "pdf.ttf"

    /// The folders searched, in order.
    static func searchFolders(environment: [String: String]) -> [URL] {
        var folders = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("tessdata")]
        if let prefix = environment["TESSDATA_PREFIX"], !prefix.isEmpty {
            folders.append(URL(fileURLWithPath: prefix))
            folders.append(URL(fileURLWithPath: prefix).appendingPathComponent("tessdata"))
        }
        for system in ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                       "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata"] {
            folders.append(URL(fileURLWithPath: system))
        }
        return folders
    }

    /// The first `pdf.ttf` in the search folders.
    static func locate(environment: [String: String]) throws -> URL {
        let folders = searchFolders(environment: environment)
        for folder in folders {
            let candidate = folder.appendingPathComponent(fileName)
            if FileManager.default.isReadableFile(atPath: candidate.path) { return candidate }
        }
        throw SearchablePDFError.fontNotFound(searched: folders.map(\.path))
    }
}
