import Foundation

/// Where the page previews of a job live: one JPEG a page beside the job's result, purged with it.
extension DataFolders {
    func previews(for uuid: String) -> URL { results.appendingPathComponent("\(uuid).pages", isDirectory: true) }
    func preview(for uuid: String, page index: Int) -> URL { previews(for: uuid).appendingPathComponent("\(index).jpg") }
}
