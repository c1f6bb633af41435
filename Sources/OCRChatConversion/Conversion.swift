import Foundation
import OCRChatExport
import OCRChatModel
import OCRChatPDF
import OCRChatTranslate

/// The one path of a document, for every front end (`convert`, `batch`, the server's jobs and
/// its worker processes): the reader reads the file, the translator translates the document when
/// a translation is asked for, and every export is made by the rules written once here.
public struct Conversion: Sendable {
    /// Reads files: the engine in this process, or the server's worker pool.
    public let reader: any DocumentReader
    /// Which translator: Apertium, and the operator's local model for the pairs Apertium lacks.
    public let translation: TranslationSettings
    /// The translator `translation` describes.
    public let translator: DocumentTranslator

    /// A conversion that reads with `reader` and translates as `translation` says.
    public init(reader: any DocumentReader, translation: TranslationSettings = TranslationSettings()) {
        self.reader = reader
        self.translation = translation
        translator = translation.translator
    }

    /// The document in the file at `url`, translated into `translateTo` when one is given and one
    /// of `formats` carries the translation (nil: every format may be asked for later, as a
    /// server's job downloads are).
    public func document(contentsOf url: URL, options: RecognitionOptions, translateTo: String? = nil,
                         for formats: [ExportFormat]? = nil) async throws -> Document {
        let document = try await reader.recognize(contentsOf: url, options: options)
        guard let translateTo, formats?.contains(where: Self.carriesTranslation) ?? true else { return document }
        return try await translator.translate(document, to: translateTo)
    }

    /// Runs a server job on the reader: read, translate, write the result and every file made
    /// from the original; only the outcome comes back.
    public func run(_ job: ConversionJob, progress: (@Sendable (Int, Int) async -> Void)?) async throws -> ConversionJob.Outcome {
        var job = job
        job.translation = translation
        return try await reader.convert(job, progress: progress)
    }

    /// Whether `format` carries the translation of a translated document at all: every format but
    /// the searchable PDF, whose invisible layer must match the page image and so keeps the page's
    /// own words.
    public static func carriesTranslation(_ format: ExportFormat) -> Bool {
        format != .pdf
    }

    /// Whether `format` shows the translation in place of the original text: JSON keeps the
    /// original beside the translation; every other format that carries one is the translation.
    public static func showsTranslation(_ format: ExportFormat) -> Bool {
        carriesTranslation(format) && format != .json
    }

    /// The bytes of `document` in `format`. `original` gives the bytes of the file it was read
    /// from, asked for only by a format drawn over the original pages (the searchable PDF, which
    /// without it throws `ExportError.sourceRequired`); `password` opens that file when it is an
    /// encrypted PDF.
    public static func export(_ document: Document, as format: ExportFormat, original: (() throws -> Data)? = nil,
                              password: String? = nil) throws -> Data {
        if format.needsSource, let original {
            return try searchablePDFWriter(password: password).write(document, source: original())
        }
        return try format.exporter.export(showsTranslation(format) ? document.presentingTranslation() : document)
    }

    /// The one place a searchable PDF writer is made, with the password of the file it draws over.
    /// Throws when the glyphless font is missing: a caller that asks before any work fails at once.
    public static func searchablePDFWriter(password: String? = nil) throws -> SearchablePDFWriter {
        var writer = try fontedWriter.get()
        writer.password = password
        return writer
    }

    /// The glyphless font is looked for once per process.
    private static let fontedWriter = Result { try SearchablePDFWriter() }
}
