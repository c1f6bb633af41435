import Foundation
import OCRChatEngine
import OCRChatModel

/// Where the page previews of a job live: one JPEG a page beside the job's result, purged with it.
extension DataFolders {
    func previews(for uuid: String) -> URL { results.appendingPathComponent("\(uuid).pages", isDirectory: true) }
    func preview(for uuid: String, page index: Int) -> URL { previews(for: uuid).appendingPathComponent("\(index).jpg") }
}

extension JobProcessor {
    /// A small upright picture of every page, made while the upload still exists (it is deleted when
    /// the job ends), so the web page can show a page with its word boxes. A failure here does not
    /// fail the job: its text is there, and the page route then says the picture is missing.
    func writePreviews(_ document: Document, uuid: String, uploadPath: String, password: String?) async {
        let folder = folders.previews(for: uuid)
        let maker = PagePreviewMaker(limits: engine.configuration.limits)
        do {
            try? FileManager.default.removeItem(at: folder)  // a half-made set from an interrupted attempt
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try await offload {
                try maker.makePreviews(of: URL(fileURLWithPath: uploadPath), pages: document.pages, password: password) { index, jpeg in
                    try jpeg.write(to: folder.appendingPathComponent("\(index).jpg"), options: .atomic)
                }
            }
        } catch {
            logger.warning("no page previews for job", metadata: ["job": "\(uuid)", "reason": "\(error)"])
        }
    }
}
