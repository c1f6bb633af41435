import Foundation
import OCRChatModel

/// The size an image file claims, read from its header before anything is decoded, so that a
/// decompression bomb is refused before a byte of pixels is allocated.
struct ImageHeader: Equatable {
    var width: Int
    var height: Int

    /// width × height, saturated at Int.max instead of overflowing.
    var pixelCount: Int { width.saturatingProduct(height) }

    /// The size of each page (one for every format but TIFF), or an error for a damaged header.
    static func pages(of data: Data, format: InputFormat, maxPages: Int) throws -> [ImageHeader] {
        let bytes = ByteReader(data)
        let header: ImageHeader?
        switch format {
        case .png: header = png(bytes)
        case .jpeg: header = jpeg(bytes)
        case .gif: header = gif(bytes)
        case .bmp: header = bmp(bytes)
        case .webp: header = webp(bytes)
        case .tiff: return try tiff(bytes, maxPages: maxPages)
        case .pdf: return []
        }
        guard let header, header.width > 0, header.height > 0 else {
            throw EngineError.unreadable(format: format.displayName, detail: "the header is damaged or truncated")
        }
        return [header]
    }

    private static func png(_ bytes: ByteReader) -> ImageHeader? {
        guard bytes.ascii(at: 12, count: 4) == "IHDR",
              let width = bytes.uint32BE(at: 16), let height = bytes.uint32BE(at: 20) else { return nil }
        return ImageHeader(width: Int(width), height: Int(height))
    }

    private static func jpeg(_ bytes: ByteReader) -> ImageHeader? {
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { offset += 2; continue }
            guard let length = bytes.uint16BE(at: offset + 2), length >= 2 else { return nil }
            // Start of frame: every SOFn but DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard let height = bytes.uint16BE(at: offset + 5), let width = bytes.uint16BE(at: offset + 7) else { return nil }
                return ImageHeader(width: Int(width), height: Int(height))
            }
            if marker == 0xD9 || marker == 0xDA { return nil }
            offset += 2 + Int(length)
        }
        return nil
    }

    private static func gif(_ bytes: ByteReader) -> ImageHeader? {
        guard let width = bytes.uint16LE(at: 6), let height = bytes.uint16LE(at: 8) else { return nil }
        // Frames may claim more than the logical screen; the decoder allocates the larger.
        var size = ImageHeader(width: Int(width), height: Int(height))
        guard let flags = bytes.byte(at: 10) else { return nil }
        var offset = 13 + ((flags & 0x80) != 0 ? 3 << (Int(flags & 0x07) + 1) : 0)
        var frames = 0
        while offset < bytes.count, frames < 10_000 {
            switch bytes[offset] {
            case 0x2C:  // image descriptor
                guard let left = bytes.uint16LE(at: offset + 1), let top = bytes.uint16LE(at: offset + 3),
                      let frameWidth = bytes.uint16LE(at: offset + 5), let frameHeight = bytes.uint16LE(at: offset + 7),
                      let frameFlags = bytes.byte(at: offset + 9) else { return size }
                size.width = max(size.width, Int(left) + Int(frameWidth))
                size.height = max(size.height, Int(top) + Int(frameHeight))
                frames += 1
                offset += 10 + ((frameFlags & 0x80) != 0 ? 3 << (Int(frameFlags & 0x07) + 1) : 0)
                offset += 1  // LZW minimum code size
                offset = skipSubBlocks(bytes, from: offset)
            case 0x21:  // extension
                offset = skipSubBlocks(bytes, from: offset + 2)
            default:
                return size
            }
        }
        return size
    }

    private static func skipSubBlocks(_ bytes: ByteReader, from start: Int) -> Int {
        var offset = start
        while let length = bytes.byte(at: offset), length != 0 {
            offset += 1 + Int(length)
        }
        return offset + 1
    }

    private static func bmp(_ bytes: ByteReader) -> ImageHeader? {
        guard let headerSize = bytes.uint32LE(at: 14) else { return nil }
        if headerSize == 12 {
            guard let width = bytes.uint16LE(at: 18), let height = bytes.uint16LE(at: 20) else { return nil }
            return ImageHeader(width: Int(width), height: Int(height))
        }
        guard headerSize >= 40, let width = bytes.uint32LE(at: 18), let height = bytes.uint32LE(at: 22) else { return nil }
        // Height is signed: negative means top-down rows.
        return ImageHeader(width: Int(Int32(bitPattern: width)).magnitude.clampedInt,
                           height: Int(Int32(bitPattern: height)).magnitude.clampedInt)
    }

    private static func webp(_ bytes: ByteReader) -> ImageHeader? {
        switch bytes.ascii(at: 12, count: 4) {
        case "VP8 ":
            guard let width = bytes.uint16LE(at: 26), let height = bytes.uint16LE(at: 28) else { return nil }
            return ImageHeader(width: Int(width & 0x3FFF), height: Int(height & 0x3FFF))
        case "VP8L":
            guard let b0 = bytes.byte(at: 21), let b1 = bytes.byte(at: 22), let b2 = bytes.byte(at: 23),
                  let b3 = bytes.byte(at: 24) else { return nil }
            let width = 1 + (Int(b0) | (Int(b1 & 0x3F) << 8))
            let height = 1 + (Int(b1 >> 6) | (Int(b2) << 2) | (Int(b3 & 0x0F) << 10))
            return ImageHeader(width: width, height: height)
        case "VP8X":
            guard let w0 = bytes.byte(at: 24), let w1 = bytes.byte(at: 25), let w2 = bytes.byte(at: 26),
                  let h0 = bytes.byte(at: 27), let h1 = bytes.byte(at: 28), let h2 = bytes.byte(at: 29) else { return nil }
            return ImageHeader(width: 1 + (Int(w0) | Int(w1) << 8 | Int(w2) << 16),
                               height: 1 + (Int(h0) | Int(h1) << 8 | Int(h2) << 16))
        default:
            return nil
        }
    }

    /// Walks the chain of image directories, with a guard against loops and absurd counts.
    private static func tiff(_ bytes: ByteReader, maxPages: Int) throws -> [ImageHeader] {
        let little = bytes.byte(at: 0) == 0x49
        func u16(_ offset: Int) -> Int? { (bytes.integer(at: offset, bigEndian: !little) as UInt16?).map(Int.init) }
        func u32(_ offset: Int) -> Int? { (bytes.integer(at: offset, bigEndian: !little) as UInt32?).map(Int.init) }
        let damaged = EngineError.unreadable(format: "TIFF", detail: "the image directory is damaged or truncated")
        guard var directory = u32(4), directory > 0 else { throw damaged }
        var pages: [ImageHeader] = []
        var seen: Set<Int> = []
        while directory != 0 {
            guard seen.insert(directory).inserted else { break }  // a loop back to a page already read
            guard let entryCount = u16(directory), entryCount > 0, directory + 2 + entryCount * 12 + 4 <= bytes.count else {
                // A link past the end: the file was cut short after `pages.count` pages.
                if pages.isEmpty { throw damaged }
                throw EngineError.unreadable(format: "TIFF", detail: "the file is truncated after page \(pages.count)")
            }
            var width = 0, height = 0
            for entry in 0..<entryCount {
                let at = directory + 2 + entry * 12
                guard let tag = u16(at), let type = u16(at + 2) else { break }
                let value = type == 3 ? u16(at + 8) : u32(at + 8)
                if tag == 256 { width = value ?? 0 }
                if tag == 257 { height = value ?? 0 }
            }
            guard width > 0, height > 0 else {
                if pages.isEmpty { throw damaged }
                break
            }
            pages.append(ImageHeader(width: width, height: height))
            if pages.count > maxPages { break }  // enough to refuse; no need to walk further
            guard let next = u32(directory + 2 + entryCount * 12) else { break }
            directory = next
        }
        return pages
    }
}

/// Bounds-checked reads from a byte buffer: an offset past the end answers nil, never a crash.
struct ByteReader {
    private let data: Data

    init(_ data: Data) { self.data = data }

    var count: Int { data.count }

    subscript(offset: Int) -> UInt8 { byte(at: offset) ?? 0 }

    func byte(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < data.count else { return nil }
        return data[data.startIndex + offset]
    }

    /// The unsigned integer of `T.bitWidth / 8` bytes at `offset`, most significant byte first when
    /// `bigEndian` (PNG, JPEG, a big-endian TIFF), else least significant first (GIF, BMP, WebP).
    func integer<T: FixedWidthInteger & UnsignedInteger>(at offset: Int, bigEndian: Bool) -> T? {
        let size = T.bitWidth / 8
        guard offset >= 0, offset + size <= data.count else { return nil }
        return (0..<size).reduce(T.zero) { value, index in
            value << 8 | T(data[data.startIndex + offset + (bigEndian ? index : size - 1 - index)])
        }
    }

    func uint16BE(at offset: Int) -> UInt16? { integer(at: offset, bigEndian: true) }
    func uint16LE(at offset: Int) -> UInt16? { integer(at: offset, bigEndian: false) }
    func uint32BE(at offset: Int) -> UInt32? { integer(at: offset, bigEndian: true) }
    func uint32LE(at offset: Int) -> UInt32? { integer(at: offset, bigEndian: false) }

    func ascii(at offset: Int, count: Int) -> String? {
        guard offset >= 0, offset + count <= data.count else { return nil }
        return String(decoding: data[(data.startIndex + offset)..<(data.startIndex + offset + count)], as: UTF8.self)
    }
}

extension UInt {
    fileprivate var clampedInt: Int { self > UInt(Int32.max) ? Int(Int32.max) : Int(self) }
}
