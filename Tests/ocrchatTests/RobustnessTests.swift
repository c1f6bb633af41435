import Foundation
import Testing

/// Every hostile, damaged, encrypted or huge file in Robustness/ sent to a live `ocrchat serve`:
/// each gets its expected answer (the table below), none a 5xx, a hang or a dead server.
@Suite("Hostile files against a live server", .serialized, .oneMachineSlot)
struct RobustnessTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Robustness")

    /// What a file must get.
    enum Outcome: CustomStringConvertible {
        /// 200, `done`, and the text contains this.
        case text(String)
        /// 200 and `done` (a page without text, e.g. a photo or a blank page, is a correct empty result).
        case done
        /// 400, before any job is made, with an error containing this.
        case refused(String)
        /// The job was accepted (the file looked sound) and then failed with an error containing this.
        case failed(String)

        var description: String {
            switch self {
            case .text(let text): return "done with text '\(text)'"
            case .done: return "done"
            case .refused(let text): return "400 '\(text)'"
            case .failed(let text): return "failed '\(text)'"
            }
        }
    }

    static let damaged = "damaged or truncated"
    static let unreadablePDF = "the PDF file cannot be read"
    static let needsPassword = "the PDF is encrypted and needs a password"
    static let overPixelLimit = "megapixels per page"

    /// One row per file in Robustness/ (the test checks that none is missing).
    static let table: [(file: String, outcome: Outcome)] = [
        // Made here: empty, truncated, misnamed, bit-flipped, huge.
        ("derived_bitflipped.png", .refused("the PNG file cannot be read")),
        ("derived_empty.pdf", .refused("the file is empty")),
        ("derived_empty.png", .refused("the file is empty")),
        ("derived_huge_60000x60000_1bit.png", .refused(overPixelLimit)),
        ("derived_huge_header_only_100000x100000.png", .refused(overPixelLimit)),
        ("derived_pdf_header_only.pdf", .refused(unreadablePDF)),
        ("derived_png_named_as.jpg", .text("quick brown dog")),
        ("derived_text_named_as.pdf", .refused("looks like plain text")),
        ("derived_truncated_50pct.png", .refused("the PNG file cannot be read")),
        ("derived_truncated_50pct.tif", .refused("the TIFF file cannot be read")),
        ("derived_truncated_50pct_multipage.pdf", .refused(unreadablePDF)),
        ("derived_truncated_60pct.jpg", .refused("the JPEG file cannot be read")),
        ("derived_truncated_tail_l2kurz.pdf", .refused(unreadablePDF)),
        // Pillow's test images: fuzzer crashers, broken headers, bombs, odd depths.
        ("pillow_12in16bit.tif", .done),
        ("pillow_16bit.MM.deflate.tif", .done),
        ("pillow_bmp_b_badheadersize.bmp", .refused("the BMP file cannot be read")),
        ("pillow_bmp_b_badrle.bmp", .refused("the BMP file cannot be read")),
        ("pillow_bmp_b_pal8badindex.bmp", .refused("the BMP file cannot be read")),
        ("pillow_broken.png", .refused("the PNG file cannot be read: the header is damaged")),
        ("pillow_broken_exif_dpi.jpg", .done),
        ("pillow_crash-0c7e0e8e11ce787078f00b5b0ca409a167f070e0.tif", .refused("the TIFF file cannot be read")),
        ("pillow_crash-0e16d3bfb83be87356d026d66919deaefca44dac.tif", .refused("the TIFF file cannot be read")),
        ("pillow_crash-1152ec2d1a1a71395b6f2ce6721c38924d025bf3.tif", .refused("the TIFF file cannot be read")),
        ("pillow_crash-2020-10-test.tif", .refused("the TIFF file cannot be read: the file is truncated after page 1")),
        ("pillow_crash-338516dbd2f0e83caddb8ce256c22db3bd6dc40f.tif", .refused("the TIFF file cannot be read")),
        ("pillow_crash-4fb027452e6988530aa5dabee76eecacb3b79f8a.j2k", .refused("JPEG 2000")),
        ("pillow_crash-63b1dffefc8c075ddc606c0a2f5fdc15ece78863.tif", .refused("the file is truncated after page 1")),
        ("pillow_crash-86214e58da443d2b80820cff9677a38a33dcbbca.tif", .refused("the TIFF file cannot be read")),
        ("pillow_crash-d2c93af851d3ab9a19e34503626368b2ecde9c03.j2k", .refused("JPEG 2000")),
        ("pillow_decompression_bomb.gif", .refused(overPixelLimit)),
        ("pillow_decompression_bomb_extents.gif", .refused(overPixelLimit)),
        ("pillow_g4_orientation_1.tif", .text("This is a test file")),
        ("pillow_g4_orientation_3.tif", .text("This is a test file")),
        ("pillow_g4_orientation_8.tif", .text("This is a test file")),
        ("pillow_hopper_float_dpi_None.tif", .done),
        ("pillow_invalid_header_length.jp2", .refused("JPEG 2000")),
        ("pillow_oom-225817ca0f8c663be7ab4b9e717b02c661e66834.tif", .refused("the image directory is damaged")),
        ("pillow_seek_too_large.tif", .refused("BigTIFF")),
        // OCRmyPDF's test PDFs.
        ("ocrmypdf_2400dpi.pdf", .done),
        ("ocrmypdf_acroform.pdf", .text("cromulent")),
        ("ocrmypdf_docinfo_latin1_key.pdf", .done),
        ("ocrmypdf_encrypted_algo4.pdf", .text("PRESIDENT")),  // encrypted, empty user password: opens
        ("ocrmypdf_hugemono.pdf", .text("tiny amount of text")),  // 35000×35000 JBIG2, rendered within the pixel limit
        ("ocrmypdf_invalid.pdf", .refused(unreadablePDF)),
        ("ocrmypdf_kcs.pdf", .text("Capture")),
        ("ocrmypdf_livecycle.pdf", .done),
        ("ocrmypdf_no_contents.pdf", .done),
        ("ocrmypdf_overlay.pdf", .text("Payed")),
        ("ocrmypdf_skew-encrypted.pdf", .refused(needsPassword)),
        ("ocrmypdf_truetype_font_nomapping.pdf", .done),
        ("ocrmypdf_vector.pdf", .text("Sample Vector PDF")),
        // pdf.js's test PDFs: broken xref, unknown filters, encryption quirks, fuzzed.
        ("pdfjs_Brotli-Prototype-FileA.pdf", .refused(unreadablePDF)),
        ("pdfjs_ZapfDingbats.pdf", .text("zapf-dingbats")),
        ("pdfjs_bug1020226.pdf", .refused(unreadablePDF)),
        ("pdfjs_bug1980958.pdf", .refused(unreadablePDF)),
        ("pdfjs_bug900822.pdf", .text("Test test")),
        ("pdfjs_issue13147.pdf", .done),
        ("pdfjs_issue15590.pdf", .refused("it has no pages")),
        ("pdfjs_issue17069.pdf", .text("Test doc")),
        ("pdfjs_issue17215.pdf", .text("Dummy PDF file")),
        ("pdfjs_issue19484_1.pdf", .refused("page 1")),
        ("pdfjs_issue19484_2.pdf", .refused("page 1")),
        ("pdfjs_issue3371.pdf", .refused(needsPassword)),
        ("pdfjs_issue6010_1.pdf", .refused(needsPassword)),
        ("pdfjs_issue7665.pdf", .text("7665")),
        ("pdfjs_issue9105_other.pdf", .refused(unreadablePDF)),
        ("pdfjs_issue9972-1.pdf", .text("Personal Sleep Study")),
        ("pdfjs_issue9972-2.pdf", .text("Personal Sleep Study")),
        ("pdfjs_operator_list_cycle.pdf", .done),
        ("pdfjs_poppler-395-0-fuzzed.pdf", .refused("it has no pages")),
        ("pdfjs_poppler-85140-0.pdf", .refused("it has no pages")),
        ("pdfjs_poppler-91414-0-53.pdf", .refused("it has no pages")),
        ("pdfjs_pr6531_1.pdf", .refused(needsPassword)),
        ("pdfjs_print_protection.pdf", .refused(needsPassword)),
        // Found by `make fuzz`: a PNG header claiming 3349106521×3570240383 pixels, whose pixel count
        // overflowed Int and trapped the process before the limit check.
        ("fuzz_png_header_overflow.png", .refused(overPixelLimit)),
        // py-pdf's samples.
        ("pysamples_libreoffice-writer-password.pdf", .refused(needsPassword)),  // opens with its password: see below
        ("pysamples_unreadablemetadata.pdf", .refused("page 1")),
    ]

    private func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-robust-\(UUID().uuidString)", isDirectory: true)
    }

    /// What the server answered for one file, in the terms of the table.
    struct Answer {
        var httpStatus: Int
        var jobStatus: String?
        var text: String
        var error: String
        var seconds: Double

        func matches(_ outcome: Outcome) -> Bool {
            switch outcome {
            case .text(let expected): return httpStatus == 200 && jobStatus == "done" && text.contains(expected)
            case .done: return httpStatus == 200 && jobStatus == "done"
            case .refused(let expected): return httpStatus == 400 && error.contains(expected)
            case .failed(let expected): return httpStatus == 200 && jobStatus == "failed" && error.contains(expected)
            }
        }
    }

    /// Uploads a file (with extra form fields) and follows the job to its end.
    static func send(_ file: URL, to server: ServerProcess, fields: [String: String] = [:]) async throws -> Answer {
        let started = Date()
        var arguments = ["-F", "file=@\(file.path)"]
        for (name, value) in fields { arguments += ["-F", "\(name)=\(value)"] }
        let (status, body) = try await server.http(arguments + ["\(server.baseURL)/api/v1/ocr/"])
        var job = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        // More than the inline page limit: the job is queued; poll it to its end.
        let deadline = Date().addingTimeInterval(300)
        while status == 200, let uuid = job["uuid"] as? String, ["pending", "processing"].contains(job["status"] as? String),
              Date() < deadline {
            try await Task.sleep(for: .seconds(0.2))
            job = try await server.json("/api/v1/ocr/\(uuid)/")
        }
        return Answer(httpStatus: status, jobStatus: job["status"] as? String, text: job["text"] as? String ?? "",
                      error: job["error"] as? String ?? "", seconds: Date().timeIntervalSince(started))
    }

    @Test("every file gets its expected answer; the server stays up and healthy")
    func everyFile() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0 != "README.md" }
        #expect(Set(files) == Set(Self.table.map(\.file)), "the table lists every file in Robustness/ and no other")
        // A low pixel limit keeps the huge pages quick; the limit is what is being tested for them.
        let server = try await ServerProcess(dataFolder: temporaryFolder(),
                                       arguments: ["--jobs", "2", "--metering", "off", "--max-megapixels", "8"])
        // Two clients at once, as the server has two workers.
        let answers = Answers()
        // The helper is used read-only by both clients (its state is set at start).
        nonisolated(unsafe) let target = server
        await withTaskGroup(of: Void.self) { group in
            for lane in 0..<2 {
                group.addTask {
                    for (index, row) in Self.table.enumerated() where index % 2 == lane {
                        let answer = (try? await Self.send(Self.folder.appendingPathComponent(row.file), to: target))
                            ?? Answer(httpStatus: 0, jobStatus: nil, text: "", error: "no answer", seconds: 0)
                        answers.record(row.file, answer)
                    }
                }
            }
        }
        for (file, outcome) in Self.table {
            let answer = try #require(answers.all[file])
            #expect(answer.httpStatus != 0 && answer.httpStatus < 500, "\(file): HTTP \(answer.httpStatus)")
            #expect(answer.matches(outcome),
                    "\(file): expected \(outcome), got HTTP \(answer.httpStatus) \(answer.jobStatus ?? "-") '\(answer.error)' text '\(answer.text.prefix(80))'")
        }
        let slowest = answers.all.max { $0.value.seconds < $1.value.seconds }
        print("robustness: \(answers.all.count) files, slowest \(slowest?.key ?? "-") in \(Int(slowest?.value.seconds ?? 0)) s")
        #expect(server.process.isRunning, "the server is still running")
        #expect(try await server.http(["\(server.baseURL)/healthz"]).0 == 200)
        // And it still reads a good file.
        let after = try await Self.send(URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")), to: server)
        #expect(after.matches(.text("quick brown dog")))
    }

    @Test("an encrypted PDF opens with its password field through the server, and says so without it")
    func passwordField() async throws {
        let server = try await ServerProcess(dataFolder: temporaryFolder(), arguments: ["--jobs", "1", "--metering", "off"])
        let file = Self.folder.appendingPathComponent("pysamples_libreoffice-writer-password.pdf")
        let opened = try await Self.send(file, to: server, fields: ["password": "openpassword"])
        #expect(opened.matches(.done), "\(opened)")
        #expect(!opened.text.isEmpty)
        #expect(try await Self.send(file, to: server).matches(.refused(Self.needsPassword)))
        #expect(try await Self.send(file, to: server, fields: ["password": "wrong"]).matches(.refused("the password does not open")))
    }
}

/// Answers collected from several client threads.
final class Answers: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String: RobustnessTests.Answer] = [:]

    func record(_ file: String, _ answer: RobustnessTests.Answer) {
        lock.lock()
        answers[file] = answer
        lock.unlock()
    }

    var all: [String: RobustnessTests.Answer] {
        lock.lock()
        defer { lock.unlock() }
        return answers
    }
}
