import Foundation
import OCRChatModel

/// A file type the engine reads, recognised from the first bytes, never from the name.
public enum InputFormat: String, Sendable, CaseIterable, Codable {
    case png, jpeg, webp, gif, bmp, tiff, pdf

    /// The name people know the format by.
    public var displayName: String {
        switch self {
        case .png: return "PNG"
        case .jpeg: return "JPEG"
        case .webp: return "WEBP"
        case .gif: return "GIF"
        case .bmp: return "BMP"
        case .tiff: return "TIFF"
        case .pdf: return "PDF"
        }
    }

    /// Recognises the format from the bytes; throws a message saying what the bytes look like otherwise.
    public static func sniff(_ data: Data) throws -> InputFormat {
        guard !data.isEmpty else { throw EngineError.emptyFile }
        let head = [UInt8](data.prefix(1024))
        func starts(with magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(with: Array("RIFF".utf8)) && starts(with: Array("WEBP".utf8), at: 8) { return .webp }
        if starts(with: Array("GIF87a".utf8)) || starts(with: Array("GIF89a".utf8)) { return .gif }
        if starts(with: Array("BM".utf8)) && head.count >= 26 { return .bmp }
        if starts(with: [0x49, 0x49, 0x2A, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        // A PDF header may follow a little junk (some scanners write a preamble); readers accept 1 KiB.
        if let range = data.prefix(1024).range(of: Data("%PDF-".utf8)), range.lowerBound - data.startIndex < 1024 {
            return .pdf
        }
        throw EngineError.unsupportedType(detail: describeUnknown(head))
    }

    private static func describeUnknown(_ head: [UInt8]) -> String {
        let known: [([UInt8], String)] = [
            ([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20], "a JPEG 2000 image"),
            ([0xFF, 0x4F, 0xFF, 0x51], "a JPEG 2000 codestream"),
            ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (or an Office document)"),
            ([0x25, 0x21, 0x50, 0x53], "a PostScript file"),
            ([0x1F, 0x8B], "a gzip archive"),
            ([0x49, 0x49, 0x2B, 0x00], "a BigTIFF (64-bit TIFF), which is not supported; save it as a standard TIFF"),
            ([0x4D, 0x4D, 0x00, 0x2B], "a BigTIFF (64-bit TIFF), which is not supported; save it as a standard TIFF"),
        ]
        for (magic, name) in known where head.starts(with: magic) {
            return "the file is \(name)"
        }
        if head.count >= 12, Array(head[4..<8]) == Array("ftyp".utf8) {
            return "the file is an ISO media file (HEIC/AVIF/MP4)"
        }
        let printable = head.filter { (0x20...0x7E).contains($0) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if !head.isEmpty, Double(printable.count) / Double(head.count) > 0.95 {
            return "the file looks like plain text"
        }
        return "the content is not a known image or PDF"
    }
}
