import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore

/// A multipart upload read from the request as it arrives: the `file` part goes straight to a
/// file in the data folder (never held whole in memory), written on NIO's thread pool
/// (`UploadFile`), the small text fields are kept.
struct MultipartUpload {
    /// Where the file part was written.
    var fileURL: URL
    /// The file name the client gave, if any.
    var fileName: String?
    var fileSize: Int
    /// The other fields (`tier`, `language`, `tool`, …), at most a few KiB each.
    var fields: [String: String]

    static let maxFieldBytes = 4096

    /// Reads the request body into `destination`; throws a 400 for anything that is not a
    /// multipart form with a non-empty `file` part within `maxFileBytes`.
    static func read(_ request: Request, to destination: URL, maxFileBytes: Int) async throws -> MultipartUpload {
        guard let contentType = request.headers[.contentType],
              contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = Self.boundary(in: contentType), !boundary.isEmpty, boundary.count <= 200 else {
            throw APIError(.badRequest, "expected a multipart/form-data upload with a 'file' field")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxFileBytes + 1 << 20 {
            // Refused from the announced length, before a byte of the body is read. The contract
            // (API.md) answers a file too large with 400, so existing clients see what they expect.
            throw APIError(.badRequest, "the file is too large: the limit is \(maxFileBytes >> 20) MiB")
        }
        let collector = PartCollector(maxFileBytes: maxFileBytes)
        let parser = MultipartParser(boundary: boundary)
        var headerGuard = MultipartHeaderGuard(boundary: boundary)
        parser.onHeader = { name, value in collector.header(name: name, value: value) }
        parser.onBody = { buffer in collector.body(&buffer) }
        parser.onPartComplete = { collector.partComplete() }
        let file = UploadFile(path: destination.path)
        do {
            for try await chunk in request.body {
                do {
                    try parser.execute(try headerGuard.clean(chunk))
                } catch let error as MalformedRequest {
                    throw APIError(.badRequest, error.message)
                } catch let error as APIError {
                    throw error
                } catch {
                    throw APIError(.badRequest, "the multipart body is malformed")
                }
                if let error = collector.error { throw error }
                // What the chunk held of the file goes to disk before the next chunk is read (one
                // trip to the thread pool a chunk): a stalled or killed upload leaves what came.
                if collector.fileBytesWaiting > 0 { try await file.append(collector.takeFileBytes()) }
            }
            if collector.error == nil, collector.fileComplete { try await file.finish(appending: collector.takeFileBytes()) }
        } catch let error as APIError {
            throw error
        } catch let error as UploadFile.Failure {
            throw APIError.storing(error)
        } catch {
            throw APIError(.badRequest, "the multipart body is malformed")
        }
        if let error = collector.error { throw error }
        guard collector.sawFile else { throw APIError(.badRequest, "no file: send it in a multipart field named 'file'") }
        guard collector.fileComplete else { throw APIError(.badRequest, "the upload ended before the file was complete") }
        guard collector.fileSize > 0 else { throw APIError(.badRequest, "the file is empty (0 bytes)") }
        return MultipartUpload(fileURL: destination, fileName: collector.fileName, fileSize: collector.fileSize,
                               fields: collector.fields)
    }

    /// The boundary parameter of a multipart content type, quotes removed.
    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}

/// Receives the parser's callbacks for one request: parts' headers, bodies and ends. The file
/// part's bytes wait here until the reading loop writes them.
private final class PartCollector {
    let maxFileBytes: Int
    var fields: [String: String] = [:]
    var fileName: String?
    var fileSize = 0
    var sawFile = false
    var fileComplete = false
    var error: APIError?

    private var partName: String?
    private var partFileName: String?
    private var fieldBytes: [UInt8] = []
    private var fileBytes: [Data] = []
    private(set) var fileBytesWaiting = 0

    init(maxFileBytes: Int) {
        self.maxFileBytes = maxFileBytes
    }

    func header(name: String, value: String) {
        guard name.lowercased() == "content-disposition" else { return }
        partName = Self.parameter("name", in: value)
        partFileName = Self.parameter("filename", in: value)
        if partName == "file", sawFile, error == nil {
            // Which of two files the caller meant cannot be told; keeping one silently loses the other.
            error = APIError(.badRequest, "more than one 'file' part: send one file per upload")
        }
    }

    func body(_ buffer: inout ByteBuffer) {
        guard error == nil, let partName else { return }
        if partName == "file" {
            sawFile = true
            fileSize += buffer.readableBytes
            if fileSize > maxFileBytes {
                error = APIError(.badRequest, "the file is too large: the limit is \(maxFileBytes >> 20) MiB")
                return
            }
            fileBytesWaiting += buffer.readableBytes
            fileBytes.append(Data(buffer.readableBytesView))
        } else if fieldBytes.count + buffer.readableBytes <= MultipartUpload.maxFieldBytes {
            fieldBytes += buffer.readBytes(length: buffer.readableBytes) ?? []
        } else {
            error = APIError(.badRequest, "the field '\(partName)' is too long")
        }
    }

    /// The file part's bytes parsed since the last call.
    func takeFileBytes() -> [Data] {
        defer { fileBytes = []; fileBytesWaiting = 0 }
        return fileBytes
    }

    func partComplete() {
        if partName == "file" {
            sawFile = true  // an empty file part too
            if error == nil {
                fileComplete = true
                fileName = partFileName
            }
        } else if let partName, fields[partName] == nil {
            fields[partName] = String(decoding: fieldBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        partName = nil
        partFileName = nil
        fieldBytes = []
    }

    /// A parameter of a Content-Disposition header (`name="file"`).
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == name {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
