import Foundation
import OCRChatEngine
import OCRChatModel

/// The files a job makes from its original once the document is final (translated, if asked):
/// the searchable PDF and one small upright JPEG a page. Both open the upload with qpdf, Poppler
/// or an image codec, so under the worker pool they are made in a worker, like the reading itself.
public struct DerivedFiles: Codable, Sendable {
    /// The original file (the upload).
    public var source: String
    public var password: String?
    /// The document the files are made for: its words go into the PDF, its page turns into the pictures.
    public var document: Document
    /// Where the searchable PDF goes; nil: none is made.
    public var searchablePDF: String?
    /// The folder that receives `<page index>.jpg`; nil: no pictures.
    public var previews: String?

    public init(source: String, password: String?, document: Document, searchablePDF: String?, previews: String?) {
        self.source = source
        self.password = password
        self.document = document
        self.searchablePDF = searchablePDF
        self.previews = previews
    }

    /// What could not be made, and why.
    public struct Outcome: Codable, Sendable, Equatable {
        public var searchablePDFFailure: String?
        public var previewsFailure: String?

        public init(searchablePDFFailure: String? = nil, previewsFailure: String? = nil) {
            self.searchablePDFFailure = searchablePDFFailure
            self.previewsFailure = previewsFailure
        }

        /// Every file asked for failed for the same reason.
        public init(failed reason: String, for files: DerivedFiles) {
            searchablePDFFailure = files.searchablePDF == nil ? nil : reason
            previewsFailure = files.previews == nil ? nil : reason
        }
    }

    /// Makes the files (blocking: qpdf, Poppler and the codecs run on the caller's thread, and the
    /// pictures on `threads` threads). Each file is
    /// written whole under a temporary name and then moved, so a reader never sees half of one.
    public func write(limits: EngineLimits, threads: Int = 1) -> Outcome {
        var outcome = Outcome()
        let url = URL(fileURLWithPath: source)
        if let searchablePDF {
            do {
                let data = try Conversion.export(document, as: .pdf, original: { try Data(contentsOf: url, options: .mappedIfSafe) },
                                                 password: password)
                try data.write(to: URL(fileURLWithPath: searchablePDF), options: .atomic)
            } catch {
                outcome.searchablePDFFailure = "\(error)"
            }
        }
        if let previews {
            let folder = URL(fileURLWithPath: previews, isDirectory: true)
            do {
                try? FileManager.default.removeItem(at: folder)  // a half-made set from an interrupted attempt
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try PagePreviewMaker(limits: limits).makePreviews(of: url, pages: document.pages, password: password,
                                                                  threads: threads) { index, jpeg in
                    try jpeg.write(to: folder.appendingPathComponent("\(index).jpg"), options: .atomic)
                }
            } catch {
                outcome.previewsFailure = "\(error)"
            }
        }
        return outcome
    }
}
