import ArgumentParser
import Foundation
import Logging
import OCRChatBatch
import OCRChatConversion
import OCRChatEngine
import OCRChatExport
import OCRChatModel

extension ExportFormat: ExpressibleByArgument {}
extension Tier: ExpressibleByArgument {}

/// `ocrchat convert`: files in, text, Markdown, JSON, CSV, DOCX, hOCR, ALTO or a searchable PDF out.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Recognise images and PDFs and print or save the result.",
        discussion: """
            Reads PNG, JPEG, WEBP, GIF, BMP, TIFF (every page) and PDF (every page; pages with a \
            usable text layer are taken from it). The type is recognised from the content. With one \
            input the result goes to stdout or to --output; with several, --output names a folder \
            that receives one file per input.

            Several formats (--format md,pdf,docx) are all written from one reading of each file. \
            --output then names a stem (-o out gives out.md, out.pdf, out.docx; an extension of one \
            of the formats is dropped, so -o out.pdf does the same) or a folder (-o out/, or an \
            existing folder: out/NAME.md, out/NAME.pdf, …).

            docx and pdf are binary: on a terminal they need --output (or stdout redirected to a file).
            """
    )

    @Argument(help: "Files to read ('-' reads stdin).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: """
        Output format, or several comma-separated (md,pdf,docx: one reading, one file each): txt, \
        md, json, csv (a row per block, or the tables), docx (a Word document), hocr and alto \
        (boxes and confidences down to each word), pdf (a searchable PDF: the original pages or \
        images with an invisible text layer).
        """)
    var format: String = "txt"

    @Option(name: .shortAndLong, help: "Where to write: a file (a stem with several formats), a folder, or '-' for stdout (the default).")
    var output: String?

    @Option(help: """
        Engine tier: cpu (fast, default) or vlm (slower, more accurate on poor scans: PP-OCR's \
        neural recogniser beside Tesseract, line by line).
        """)
    var tier: Tier = .cpu

    @Option(help: "A preset: extract-tables (look hard for tables; csv is the tables), handwriting-to-text (the vlm tier), translate (with --translate-to).")
    var tool: Tool?

    @Option(help: """
        Translate the text into this language (es, spa, fr, pt, …) with Apertium, or with the local         model (--llm-url) for pairs Apertium does not have; implies --tool translate.
        """)
    var translateTo: String?

    @OptionGroup var localModel: LocalModelOptions

    @Option(name: .shortAndLong, help: "auto (default), a short code (en, de, fr, ru, ar, ja, ch, …) or Tesseract names (eng, deu+eng).")
    var language: String = "auto"

    @Option(help: "Password of an encrypted PDF.")
    var password: String?

    @Option(help: "Resolution PDF pages are rendered at for recognition.")
    var dpi: Int = 300

    @Option(help: """
        Pages to read, counted from 1: 1-3,7, or 5- for the 5th to the end (OCRmyPDF's --pages). \
        The text outputs hold only these pages; a searchable PDF of a PDF keeps every page, with a \
        text layer added only to these.
        """)
    var pages: String?

    @Option(help: "Also write the plain text to this file, beside the other outputs (OCRmyPDF's --sidecar); one input only.")
    var sidecar: String?

    @Option(help: """
        A PDF page that already has text: skip (default: its text layer is taken when it is usable, \
        the page is recognised when it is not), redo (a page whose text is an earlier OCR's invisible \
        layer is recognised again, and in --format pdf that old layer is replaced by the new; visible \
        text is kept) or force (every page is recognised from its image; not with --format pdf, whose \
        pages would then carry the old text and the new).
        """)
    var mode: TextLayerMode = .skip

    @OptionGroup var engineOptions: EngineOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one file to convert") }
        if !(50...1200).contains(dpi) { throw ValidationError("--dpi must be between 50 and 1200") }
        do {
            _ = try LanguageCodes.tesseractLanguage(for: language)
        } catch {
            throw ValidationError("\(error)")
        }
        try localModel.validateTranslation(tool: tool, source: language, target: translateTo)
        if inputs.filter({ $0 == "-" }).count > 1 { throw ValidationError("stdin ('-') can be read only once") }
        let formats = try self.formats()
        let toStandardOutput = output == nil || output == "-"
        if toStandardOutput && formats.count > 1 {
            throw ValidationError("--format \(format) names several formats: give --output a stem (-o out: out.md, out.pdf, …) or a folder (-o out/)")
        }
        // Only text, Markdown and JSON can share stdout: two DOCX packages, CSV tables or XML documents
        // back to back are no longer one valid file.
        if toStandardOutput && inputs.count > 1, let format = formats.first, ![.txt, .md, .json].contains(format) {
            throw ValidationError("--format \(format.rawValue) writes one file per input: with several inputs, give --output a folder")
        }
        if let pages {
            do { _ = try PageSelection(pages) } catch let error as PageSelectionError { throw ValidationError("--pages \(pages): \(error)") }
        }
        if sidecar != nil, inputs.count > 1 { throw ValidationError("--sidecar names one file: give it one input") }
        if mode == .force, formats.contains(.pdf) {
            throw ValidationError("--mode force cannot be used with --format pdf: the searchable PDF would carry both the page's own text and the new; use --mode skip")
        }
        // A ZIP or a PDF written onto a terminal is noise, and can leave the terminal in a bad state.
        if toStandardOutput, let format = formats.first, format.isBinary, isatty(STDOUT_FILENO) == 1 {
            throw ValidationError("--format \(format.rawValue) is a binary file: give -o FILE.\(format.fileExtension), or redirect stdout (> FILE.\(format.fileExtension))")
        }
    }

    /// The formats `--format` names, each once, in the order given.
    func formats() throws -> [ExportFormat] {
        do {
            return try BatchOutputs.parseFormats(format)
        } catch {
            throw ValidationError("--format: \(error)")
        }
    }

    func run() async throws {
        engineOptions.bootstrapLogging()
        let engine = try engineOptions.makeEngine()
        let formats = try self.formats()
        let destination: OutputDestination
        let sidecarURL = sidecar.map { URL(fileURLWithPath: $0) }
        do {
            destination = try OutputDestination(output, inputCount: inputs.count, formats: formats)
            if let sidecar, let sidecarURL { try OutputDestination.requireFolder(of: sidecarURL, option: "--sidecar \(sidecar)") }
        } catch let error as CommandError {
            throw CleanExit.failure(error.description)
        }
        var recognition = RecognitionOptions(language: language, tier: tier, password: password, renderDPI: dpi,
                                             tool: translateTo != nil ? .translate : tool)
        recognition.textLayer = mode.policy
        let options = recognition
        let selection = try pages.map { try PageSelection($0) }
        let conversion = Conversion(reader: engine, translation: localModel.translation)
        let translateTo = self.translateTo
        // Asked before any page is read, so that a missing font stops the command at once.
        if formats.contains(where: \.needsSource) { _ = try Conversion.searchablePDFWriter() }
        var failures = 0
        // Several documents are read at once so that their pages keep every pool thread busy;
        // results are written in input order.
        // Each child answers with a `Finished`, not an `(Int, Result)` tuple: Swift 6.3.1's release build
        // hands such a tuple back with a garbage index, and no document was ever written.
        try await withThrowingTaskGroup(of: Finished.self) { group in
            var next = 0
            var written = 0
            var ready: [Int: Result<Converted, any Error>] = [:]
            let concurrentDocuments = max(2, engine.configuration.workers)
            func start(_ index: Int) {
                let input = inputs[index]
                group.addTask {
                    do {
                        return Finished(index: index, result: .success(try await Self.convert(input, conversion: conversion, options: options,
                                                                                              formats: formats, translateTo: translateTo,
                                                                                              selection: selection, sidecar: sidecarURL != nil)))
                    } catch {
                        return Finished(index: index, result: .failure(error))
                    }
                }
            }
            while next < inputs.count, next < concurrentDocuments {
                start(next)
                next += 1
            }
            while let finished = try await group.next() {
                ready[finished.index] = finished.result
                if next < inputs.count {
                    start(next)
                    next += 1
                }
                while let result = ready.removeValue(forKey: written) {
                    switch result {
                    case .success(let converted):
                        do {
                            for export in converted.exports {
                                try destination.write(export.data, for: inputs[written], format: export.format)
                            }
                            if let sidecarURL, let text = converted.sidecar { try OutputDestination.write(text, to: sidecarURL) }
                        } catch let error as CommandError {
                            throw CleanExit.failure(error.description)
                        }
                        if converted.document.pages.allSatisfy({ $0.words.isEmpty }) {
                            let pages = converted.document.pageCount == 1 ? "its page" : "any of its \(converted.document.pageCount) pages"
                            FileHandle.standardError.write(Data("ocrchat: warning: \(inputs[written]): no text was found on \(pages)\n".utf8))
                        }
                    case .failure(let error):
                        failures += 1
                        FileHandle.standardError.write(Data("ocrchat: error: \(inputs[written]): \(error)\n".utf8))
                    }
                    written += 1
                }
            }
        }
        destination.finish(format: formats[0])
        if StageTimings.isEnabled { FileHandle.standardError.write(Data((StageTimings.json() + "\n").utf8)) }
        if failures > 0 { throw ExitCode.failure }
    }

    /// One input read once, translated when asked, and exported in every format from that one
    /// reading. Standard input is copied to a temporary file first: the reader reads files, and a
    /// searchable PDF reads the original again.
    private static func convert(_ input: String, conversion: Conversion, options: RecognitionOptions,
                                formats: [ExportFormat], translateTo: String?, selection: PageSelection?,
                                sidecar: Bool) async throws -> Converted {
        let file = input == "-" ? try standardInputCopy() : try checkedFile(input)
        defer { if input == "-" { try? FileManager.default.removeItem(at: file) } }
        var options = options
        if let selection {
            let pageCount = try await conversion.reader.inspect(contentsOf: file, password: options.password).pageCount
            do {
                options.pages = try selection.indexes(pageCount: pageCount)
            } catch let error as PageSelectionError {
                throw CommandError(error.description)
            }
        }
        let started = ContinuousClock.now
        let document = try await conversion.document(contentsOf: file, options: options, translateTo: translateTo,
                                                     for: formats)
        Logger(label: "ocrchat.convert").debug("document read", metadata: [
            "file": "\(input)", "pages": "\(document.pageCount)", "took": "\(ContinuousClock.now - started)"])
        for warning in document.warnings {
            FileHandle.standardError.write(Data("ocrchat: warning: \(input): \(warning)\n".utf8))
        }
        let exports = try formats.map { format in
            Export(format: format, data: try StageTimings.measure(.export) {
                try Conversion.export(document, as: format, original: { try Data(contentsOf: file, options: .mappedIfSafe) },
                                      password: options.password)
            })
        }
        let text = sidecar ? try Conversion.export(document, as: .txt) : nil
        return Converted(exports: exports, document: document, sidecar: text)
    }

    /// Standard input, read to its end, in a fresh temporary file (removed by the caller).
    private static func standardInputCopy() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-stdin-\(UUID().uuidString)")
        try FileHandle.standardInput.readDataToEndOfFile().write(to: file)
        return file
    }

    /// The input's URL once it is known to be a readable file.
    private static func checkedFile(_ input: String) throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            throw CommandError("no such file")
        }
        if isDirectory.boolValue { throw CommandError("is a folder; use 'ocrchat batch' for folders") }
        guard FileManager.default.isReadableFile(atPath: input) else { throw CommandError("permission denied") }
        return URL(fileURLWithPath: input)
    }
}

/// One input's exports (one a format, in the order asked), with the document they all came from.
struct Converted: Sendable {
    var exports: [Export]
    var document: Document
    /// The plain text for `--sidecar`, when asked for.
    var sidecar: Data?
}

extension TextLayerMode: ExpressibleByArgument {}

/// The bytes of one format.
struct Export: Sendable {
    var format: ExportFormat
    var data: Data
}

extension ExportFormat {
    /// Whether the format's bytes are not text (a ZIP package, a PDF): never written onto a terminal.
    var isBinary: Bool { self == .docx || self == .pdf }
}

/// One input's outcome, by its place among the inputs.
struct Finished: Sendable {
    var index: Int
    var result: Result<Converted, any Error>
}

/// A one-line failure of the command itself (not the engine's).
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension CleanExit {
    /// Ends with a non-zero exit code and one line on stderr.
    static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("ocrchat: error: \(message)\n".utf8))
        return ExitCode.failure
    }
}
