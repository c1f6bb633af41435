import Foundation
import OCRChatConversion
import OCRChatExport
import OCRChatModel

/// Turns one recognised document into the bytes of one format. The source file is passed too,
/// because some formats (a searchable PDF) are drawn over the original pages, not only the model.
public typealias OutputRenderer = @Sendable (_ document: Document, _ source: URL, _ format: ExportFormat) throws -> Data

/// The output side of a batch: which formats, how outputs are named, how their bytes are made.
public enum BatchOutputs {
    /// The formats named in a comma-separated list (`md,txt`), each once, in the order given.
    public static func parseFormats(_ list: String) throws -> [ExportFormat] {
        var formats: [ExportFormat] = []
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard names.contains(where: { !$0.isEmpty }) else { throw BatchError.invalidFormat("name at least one format") }
        let known = ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")
        for name in names where !name.isEmpty {
            guard let format = ExportFormat(rawValue: name) else {
                throw BatchError.invalidFormat("unknown format '\(name)'; choose from \(known)")
            }
            if !formats.contains(format) { formats.append(format) }
        }
        return formats
    }

    /// Each format's bytes, by the conversion's rules: the searchable PDF is drawn over the source
    /// file, every other format reads only the document (and shows its translation, but JSON).
    public static func render(_ document: Document, source: URL, format: ExportFormat) throws -> Data {
        try Conversion.export(document, as: format, original: { try Data(contentsOf: source, options: .mappedIfSafe) })
    }

    /// The standard renderer, as a value.
    public static let standardRenderer: OutputRenderer = { document, source, format in
        try render(document, source: source, format: format)
    }

    /// The output of an input for a format, relative to the output folder: the input's whole name
    /// plus the format's extension (`a/b/scan.pdf` → `a/b/scan.pdf.md`). Keeping the input's
    /// extension means `scan.png` and `scan.pdf` in one folder never share an output, and a name
    /// never depends on which other files happen to be present (which matters in a hot folder).
    /// One exception: the searchable PDF of a PDF is `scan.ocr.pdf` (as OCRmyPDF users name it),
    /// not `scan.pdf.pdf`; of an image it stays `scan.png.pdf`.
    public static func outputPath(for relativePath: String, format: ExportFormat) -> String {
        if format == .pdf, relativePath.lowercased().hasSuffix(".pdf") {
            return "\(relativePath.dropLast(4)).ocr.pdf"
        }
        return "\(relativePath).\(format.fileExtension)"
    }
}

/// Files written so a reader never sees half of one: the bytes go to a hidden temporary name in the
/// same folder (so the rename stays on one file system), then are renamed over the final name.
enum AtomicFile {
    /// Marks temporary files; any left by a killed run are removed when the next run starts.
    static let partialMarker = ".ocrchat-partial-"

    static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent)\(partialMarker)\(UUID().uuidString)")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw BatchError.writeFailed(path: url.path, detail: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Removes the temporary files a killed run left under `folder`.
    static func removeLeftovers(under folder: URL) {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return }
        while let path = walker.nextObject() as? String {
            if (path as NSString).lastPathComponent.contains(partialMarker) {
                try? FileManager.default.removeItem(atPath: folder.appendingPathComponent(path).path)
            }
        }
    }
}
