import Foundation
import OCRChatEngine
import OCRChatModel

/// The repository's Samples/ folder (fixtures with their ground truth; see Samples/README.md).
let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Samples")
let consumers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Consumers")

func sample(_ name: String) throws -> Data {
    try Data(contentsOf: samples.appendingPathComponent(name))
}

/// One engine for the suite, as in the server.
let sharedEngine: OCREngine = {
    do {
        return try OCREngine(configuration: EngineConfiguration(workers: 2))
    } catch {
        fatalError("the test machine has no Tesseract model: \(error) (run make setup)")
    }
}()

/// Whitespace folded to single spaces: layout differences are not recognition errors.
func normalized(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
}

/// Character error rate of `text` against `truth`, whitespace folded.
func characterErrorRate(_ text: String, truth: String) -> Double {
    let a = Array(normalized(text)), b = Array(normalized(truth))
    if a.isEmpty || b.isEmpty { return a.count == b.count ? 0 : 1 }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return Double(previous[b.count]) / Double(max(b.count, 1))
}

/// The real programs that read the PDF: qpdf, pdftotext, pdfimages, pdftoppm, and Python with Pillow.
enum Tool {
    struct Failure: Error, CustomStringConvertible { let description: String }

    struct Outcome {
        var status: Int32
        var output: Data
        var error: String
        var text: String { String(decoding: output, as: UTF8.self) }
    }

    static func find(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Failure(description: "\(name) is not on PATH (run make setup)")
    }

    /// Runs `name` to the end; output goes through files so that a chatty tool cannot stall on a pipe.
    static func run(_ name: String, _ arguments: [String]) async throws -> Outcome {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = try find(name)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let status = await process.exitStatus()
        try out.close()
        try err.close()
        return Outcome(status: status, output: try Data(contentsOf: outURL),
                       error: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-pdf-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// A PDF written to a scratch file, read back with the real tools.
struct PDFFile {
    let url: URL
    let folder: URL

    init(_ data: Data) throws {
        folder = try Tool.scratchFolder()
        url = folder.appendingPathComponent("out.pdf")
        try data.write(to: url)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// `qpdf --check`: exit status and what it said.
    func check(password: String? = nil) async throws -> Tool.Outcome {
        try await Tool.run("qpdf", ["--check"] + (password.map { ["--password=\($0)"] } ?? []) + [url.path])
    }

    /// `pdftotext FILE -` (UTF-8).
    func text() async throws -> String {
        let outcome = try await Tool.run("pdftotext", ["-enc", "UTF-8", url.path, "-"])
        guard outcome.status == 0 else { throw Tool.Failure(description: "pdftotext: \(outcome.error)") }
        return outcome.text
    }

    /// `pdftotext -bbox`: each page's size in points and its words with boxes in points, top-left origin.
    func wordBoxes() async throws -> [(width: Double, height: Double, words: [(text: String, box: [Double])])] {
        let outcome = try await Tool.run("pdftotext", ["-bbox", "-enc", "UTF-8", url.path, "-"])
        guard outcome.status == 0 else { throw Tool.Failure(description: "pdftotext -bbox: \(outcome.error)") }
        var pages: [(width: Double, height: Double, words: [(text: String, box: [Double])])] = []
        for line in outcome.text.split(separator: "\n") {
            let line = String(line)
            if line.contains("<page ") {
                pages.append((attribute("width", in: line), attribute("height", in: line), []))
            } else if line.contains("<word "), !pages.isEmpty,
                      let start = line.firstIndex(of: ">"), let end = line.range(of: "</word>") {
                let box = ["xMin", "yMin", "xMax", "yMax"].map { attribute($0, in: line) }
                pages[pages.count - 1].words.append((String(line[line.index(after: start)..<end.lowerBound]), box))
            }
        }
        return pages
    }

    /// `pdfimages -list`: one row per image, columns as pdfimages names them.
    func images() async throws -> [[String: String]] {
        let outcome = try await Tool.run("pdfimages", ["-list", url.path])
        let rows = outcome.text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        guard rows.count >= 2 else { return [] }
        let header = rows[0]
        return rows.dropFirst(2).map { row in
            Dictionary(uniqueKeysWithValues: zip(header, row).map { ($0, $1) })
        }
    }

    /// The catalog's /Lang as qpdf shows it (`fr`), nil when there is none.
    func catalogLanguage() async throws -> String? {
        let trailer = try await Tool.run("qpdf", ["--show-object=trailer", url.path]).text
        guard let root = trailer.firstMatch(of: #/\/Root (\d+) (\d+) R/#) else { return nil }
        let catalog = try await Tool.run("qpdf", ["--show-object=\(root.1),\(root.2)", url.path]).text
        return catalog.firstMatch(of: #/\/Lang \(([^)]*)\)/#).map { String($0.1) }
    }

    /// The page count qpdf reads.
    func pageCount() async throws -> Int {
        Int(try await Tool.run("qpdf", ["--show-npages", url.path]).text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Renders page `page` (1-based) in gray to a PNG at `dpi` with `renderer` (`pdftoppm`, which
    /// smooths images, or `pdftocairo`, which draws an image at its own resolution pixel for pixel).
    func render(page: Int, dpi: Int, with renderer: String = "pdftoppm") async throws -> URL {
        let stem = folder.appendingPathComponent("\(renderer)-page\(page)-\(dpi)")
        let outcome = try await Tool.run(renderer, ["-r", "\(dpi)", "-f", "\(page)", "-l", "\(page)", "-png", "-singlefile",
                                              "-gray", url.path, stem.path])
        guard outcome.status == 0 else { throw Tool.Failure(description: "\(renderer): \(outcome.error)") }
        return stem.appendingPathExtension("png")
    }

    private func attribute(_ name: String, in line: String) -> Double {
        guard let range = line.range(of: " \(name)=\"") else { return .nan }
        let rest = line[range.upperBound...]
        return Double(rest.prefix { $0 != "\"" }) ?? .nan
    }
}

/// Share of the model's words that have an extracted word overlapping them with IoU > 0.5.
///
/// pdftotext gives word boxes in points as the page is displayed, but the page size without its
/// /Rotate: `rotate` (each page's /Rotate, when the test set one) swaps it back. When the PDF shows
/// the page as it was before the engine turned it (a PDF input, `uprightPages` false), the boxes are
/// turned as the engine turned the page (`Page.rotation`, clockwise); then they are scaled to pixels.
func shareOfWordsOnTheirBoxes(_ document: Document, _ pages: [(width: Double, height: Double, words: [(text: String, box: [Double])])],
                              rotate: Int = 0, uprightPages: Bool) -> Double {
    var total = 0, matched = 0
    for (page, extracted) in zip(document.pages, pages) {
        let sideways = (rotate / 90) % 2 == 1
        var width = sideways ? extracted.height : extracted.width, height = sideways ? extracted.width : extracted.height
        var boxes = extracted.words.map(\.box)
        for _ in 0..<(uprightPages ? 0 : ((page.rotation / 90) % 4 + 4) % 4) {
            // A quarter turn clockwise of a top-left-origin box in a width × height page.
            boxes = boxes.map { [height - $0[3], $0[0], height - $0[1], $0[2]] }
            (width, height) = (height, width)
        }
        let scaleX = Double(page.width) / width, scaleY = Double(page.height) / height
        boxes = boxes.map { [$0[0] * scaleX, $0[1] * scaleY, $0[2] * scaleX, $0[3] * scaleY] }
        for word in page.words {
            total += 1
            let model = [Double(word.bbox.x0), Double(word.bbox.y0), Double(word.bbox.x1), Double(word.bbox.y1)]
            if boxes.contains(where: { intersectionOverUnion(model, $0) > 0.5 }) { matched += 1 }
        }
    }
    return total == 0 ? 0 : Double(matched) / Double(total)
}

func intersectionOverUnion(_ a: [Double], _ b: [Double]) -> Double {
    let width = max(0, min(a[2], b[2]) - max(a[0], b[0])), height = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    let intersection = width * height
    let union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - intersection
    return union > 0 ? intersection / union : 0
}

/// What render_diff.py reports.
struct RenderDifference: Decodable {
    var sizes: [String: [Int]]
    var meanAbsoluteDifference: Double
    var blankDifference: Double
    var differingShare: Double
    var darkShare: Double

    static func between(original: URL, rendered: URL) async throws -> RenderDifference {
        let outcome = try await Tool.run("python3", [consumers.appendingPathComponent("render_diff.py").path, original.path, rendered.path])
        guard outcome.status == 0 else { throw Tool.Failure(description: "render_diff.py: \(outcome.error) (Pillow is installed by make setup)") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(RenderDifference.self, from: outcome.output)
    }
}

/// Prints a measurement so the test log keeps the numbers.
func report(_ what: String) {
    print("[searchable-pdf] \(what)")
}

extension Process {
    /// The exit status once the process has ended, looked at every 10 ms with `Task.sleep`: no
    /// thread of the cooperative pool waits while the tool works (the pool has two on a 2-core machine).
    func exitStatus() async -> Int32 {
        while isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        return terminationStatus
    }
}
