import Foundation
import OCRChatEngine
import OCRChatModel

/// The repository's Samples/ folder (fixtures with their ground truth; see Samples/README.md).
let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Samples")

func sample(_ name: String) throws -> Data {
    try Data(contentsOf: samples.appendingPathComponent(name))
}

/// The ground truth of a sample, page by page (pages separated by a form-feed line).
func truthPages(_ name: String) throws -> [String] {
    let text = try String(contentsOf: samples.appendingPathComponent(name), encoding: .utf8)
    return text.components(separatedBy: "\u{0C}").map(normalized)
}

/// Whitespace folded to single spaces: layout differences are not recognition errors.
func normalized(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
}

/// Character error rate: edit distance over the length of the truth, whitespace folded.
func characterErrorRate(_ recognised: String, truth: String) -> Double {
    let truth = Array(normalized(truth))
    return Double(editDistance(Array(normalized(recognised)), truth)) / Double(max(truth.count, 1))
}

func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

/// One engine for the whole suite: its threads and models are reused, as in the server.
let sharedEngine: OCREngine = {
    do {
        return try OCREngine(configuration: EngineConfiguration(workers: 2))
    } catch {
        fatalError("the test machine has no Tesseract model: \(error) (run make setup)")
    }
}()

/// An engine with its own limits.
func engine(limits: EngineLimits) throws -> OCREngine {
    try OCREngine(configuration: EngineConfiguration(workers: 1, limits: limits))
}

/// A PNG header (signature and IHDR chunk with a correct CRC) claiming the given size, no pixels.
func pngHeader(width: UInt32, height: UInt32) -> Data {
    var chunk = Data("IHDR".utf8)
    for value in [width, height] { chunk.append(contentsOf: withUnsafeBytes(of: value.bigEndian, Array.init)) }
    chunk.append(contentsOf: [8, 0, 0, 0, 0])  // 8-bit gray, no interlace
    var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
    data.append(chunk)
    data.append(contentsOf: withUnsafeBytes(of: crc32(chunk).bigEndian, Array.init))
    return data
}

private func crc32(_ data: Data) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
    }
    return ~crc
}
