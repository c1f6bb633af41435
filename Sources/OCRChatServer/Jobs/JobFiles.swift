import Foundation
import NIOPosix

/// One of a job's files: its upload, its result and the job object's reading, its searchable PDF
/// (or why there is none), a page picture.
enum JobFile: Sendable, Equatable {
    case upload, result, reading, searchablePDF, searchablePDFFailure
    case preview(page: Int)

    /// Its name in the store (PostgreSQL keeps it as chunked bytea under the job and this name).
    var name: String {
        switch self {
        case .upload: "upload"
        case .result: "result.json"
        case .reading: "reading.json"
        case .searchablePDF: "searchable.pdf"
        case .searchablePDFFailure: "searchable-pdf-error.txt"
        case .preview(let page): "page-\(page).jpg"
        }
    }

    /// Where this node keeps it in its data folder.
    func url(in folders: DataFolders, job uuid: String) -> URL {
        switch self {
        case .upload: folders.upload(for: uuid)
        case .result: folders.result(for: uuid)
        case .reading: folders.reading(for: uuid)
        case .searchablePDF: folders.searchablePDF(for: uuid)
        case .searchablePDFFailure: folders.searchablePDFFailure(for: uuid)
        case .preview(let page): folders.preview(for: uuid, page: page)
        }
    }
}

/// A job's files on this node and in the store: written here, shared through the store so that
/// any node can read the job (an upload queued on one node is read on another; a result made on
/// one is downloaded from another); on SQLite the data folder is the only copy.
struct JobFiles: Sendable {
    let store: any Store
    let folders: DataFolders

    /// Shares the file this node made for `uuid`, if it is there.
    func share(_ file: JobFile, of uuid: String) async throws {
        let url = file.url(in: folders, job: uuid)
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        try await store.saveFile(job: uuid, name: file.name, contentsOf: url)
    }

    /// Shares every file a finished reading left: the result and reading, the PDF or why there is
    /// none, the page pictures.
    func shareResults(of uuid: String, pageCount: Int) async throws {
        for file in [JobFile.result, .reading, .searchablePDF, .searchablePDFFailure] + (0..<pageCount).map({ JobFile.preview(page: $0) }) {
            try await share(file, of: uuid)
        }
    }

    /// The file on this node, fetched from the store first when another node made it; nil when
    /// neither has it.
    func local(_ file: JobFile, of uuid: String) async throws -> URL? {
        let url = file.url(in: folders, job: uuid)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        return try await store.loadFile(job: uuid, name: file.name, to: url) ? url : nil
    }

    /// The file's bytes, from this node or the store (read on NIO's thread pool); nil when neither has it.
    func contents(_ file: JobFile, of uuid: String) async throws -> Data? {
        guard let url = try await local(file, of: uuid) else { return nil }
        return try await NIOThreadPool.singleton.runIfActive { FileManager.default.contents(atPath: url.path) }
    }
}
