import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The three calls an ocr.chat client makes (upload, poll, download), against any server that
/// speaks the API: this one on another workstation, or the public service.
///
/// Uploads are streamed from a multipart file on disk and downloads go straight to a file, so a
/// large scan is never held in memory. A call the server refused for now (503 or 429, with its
/// `Retry-After`) or that could not reach it is tried again with back-off; anything else is an
/// `APIClientError` that says what the server said.
struct APIClient: Sendable {
    let server: URL
    let token: String?
    /// Seconds one request may take: an upload of five pages or fewer is read within its POST.
    let requestSeconds: Double
    /// Tries of a call that met a refusal-for-now or no server at all.
    let attempts: Int

    private let session: URLSession

    init(server: URL, token: String?, attempts: Int, requestSeconds: Double = 900) {
        self.server = server
        self.token = token
        self.requestSeconds = requestSeconds
        self.attempts = max(1, attempts)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestSeconds
        configuration.timeoutIntervalForResource = requestSeconds
        session = URLSession(configuration: configuration)
    }

    /// What the client reads of a job (the server sends more).
    struct Job: Decodable, Sendable {
        var uuid: String
        var status: String
        var pageCount: Int?
        var pagesDone: Int?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case uuid, status, error
            case pageCount = "page_count"
            case pagesDone = "pages_done"
        }

        var isFinished: Bool { status == "done" || status == "failed" }
    }

    /// `POST /api/v1/ocr/`: `file` with the other upload fields.
    func upload(_ file: URL, fields: [(String, String)]) async throws -> Job {
        let body = try MultipartBody(file: file, fields: fields)
        defer { body.remove() }
        var request = self.request("api/v1/ocr/", method: "POST")
        request.setValue("multipart/form-data; boundary=\(body.boundary)", forHTTPHeaderField: "Content-Type")
        let (data, _) = try await send(request) { try await session.upload(for: $0, fromFile: body.url) }
        return try decodeJob(data)
    }

    /// `GET /api/v1/ocr/{uuid}/`.
    func job(_ uuid: String) async throws -> Job {
        let (data, _) = try await send(request("api/v1/ocr/\(uuid)/", method: "GET")) { try await session.data(for: $0) }
        return try decodeJob(data)
    }

    /// `GET /api/v1/ocr/{uuid}/download/?format=F`, written to `destination` (atomically: a file
    /// there is replaced only by a whole download).
    func download(_ uuid: String, format: String, to destination: URL) async throws {
        let request = self.request("api/v1/ocr/\(uuid)/download/", method: "GET", query: [URLQueryItem(name: "format", value: format)])
        let (file, _) = try await send(request) { request in
            let (location, response) = try await session.download(for: request)
            // The session removes its file when this returns: keep it under a name of ours.
            let kept = destination.deletingLastPathComponent()
                .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).part")
            try FileManager.default.moveItem(at: location, to: kept)
            return (kept, response)
        }
        do {
            if FileManager.default.fileExists(atPath: destination.path) {
                _ = try FileManager.default.replaceItemAt(destination, withItemAt: file)
            } else {
                try FileManager.default.moveItem(at: file, to: destination)
            }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw APIClientError.local("cannot write \(destination.path): \(error.localizedDescription)")
        }
    }

    // MARK: Requests

    private func request(_ path: String, method: String, query: [URLQueryItem] = []) -> URLRequest {
        var components = URLComponents(url: server.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        // appendingPathComponent drops the trailing slash every route is written with.
        if !components.path.hasSuffix("/") { components.path += "/" }
        if !query.isEmpty { components.queryItems = query }
        var request = URLRequest(url: components.url!)
        request.httpMethod = method
        request.timeoutInterval = requestSeconds
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }

    /// Runs `call`, again after a wait when the server said "later" or could not be reached; a
    /// body that is not 2xx becomes the server's own error message. (A download's body is a file.)
    private func send<Body>(_ request: URLRequest, _ call: (URLRequest) async throws -> (Body, URLResponse)) async throws
        -> (Body, HTTPURLResponse)
    {
        var wait = 1.0
        for attempt in 1...attempts {
            let body: Body, response: URLResponse
            do {
                (body, response) = try await call(request)
            } catch let error as URLError where Self.isUnreachable(error) && attempt < attempts {
                try await Task.sleep(for: .seconds(wait))
                wait = min(wait * 2, 30)
                continue
            } catch let error as URLError {
                throw APIClientError.unreachable(server: server.absoluteString, reason: error.localizedDescription)
            }
            guard let http = response as? HTTPURLResponse else {
                throw APIClientError.unreachable(server: server.absoluteString, reason: "no HTTP response")
            }
            if (200..<300).contains(http.statusCode) { return (body, http) }
            let data = Self.bytes(of: body)
            if [429, 503].contains(http.statusCode), attempt < attempts {
                let asked = http.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init)
                try await Task.sleep(for: .seconds(min(asked ?? wait, 120)))
                wait = min(wait * 2, 30)
                continue
            }
            throw APIClientError.refused(status: http.statusCode, message: Self.message(in: data))
        }
        throw APIClientError.unreachable(server: server.absoluteString, reason: "no answer after \(attempts) tries")
    }

    private static func isUnreachable(_ error: URLError) -> Bool {
        [.cannotConnectToHost, .networkConnectionLost, .cannotFindHost, .notConnectedToInternet, .dnsLookupFailed]
            .contains(error.code)
    }

    private static func bytes<Body>(of body: Body) -> Data {
        if let data = body as? Data { return data }
        if let file = body as? URL {
            defer { try? FileManager.default.removeItem(at: file) }
            return (try? Data(contentsOf: file)) ?? Data()
        }
        return Data()
    }

    /// The API's `{"error": "…"}` (with `used` and `cap` on a 402), or the start of whatever came.
    static func message(in data: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let error = object["error"] as? String {
            if let used = object["used"], let cap = object["cap"] { return "\(error) (used \(used) of \(cap))" }
            return error
        }
        let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "no message" : text
    }

    private func decodeJob(_ data: Data) throws -> Job {
        do {
            return try JSONDecoder().decode(Job.self, from: data)
        } catch {
            throw APIClientError.refused(status: 200, message: "the answer is not an ocr.chat job: \(Self.message(in: data))")
        }
    }
}

enum APIClientError: Error, CustomStringConvertible {
    /// The server answered with an error status.
    case refused(status: Int, message: String)
    /// No server answered there.
    case unreachable(server: String, reason: String)
    /// Something on this side (a file that cannot be read or written).
    case local(String)

    var description: String {
        switch self {
        case .refused(let status, let message): return "\(message) (HTTP \(status))"
        case .unreachable(let server, let reason): return "cannot reach \(server): \(reason)"
        case .local(let message): return message
        }
    }
}

/// A multipart/form-data body in a temporary file: the fields, then the file copied in chunks.
struct MultipartBody {
    let url: URL
    let boundary = "ocrchat-submit-\(UUID().uuidString)"

    init(file: URL, fields: [(String, String)]) throws {
        guard let input = FileHandle(forReadingAtPath: file.path) else {
            throw APIClientError.local("cannot read \(file.path)")
        }
        defer { try? input.close() }
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-upload-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let output = FileHandle(forWritingAtPath: url.path) else {
            throw APIClientError.local("cannot write a temporary file in \(FileManager.default.temporaryDirectory.path)")
        }
        defer { try? output.close() }
        do {
            var head = ""
            for (name, value) in fields {
                head += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            let name = file.lastPathComponent.replacingOccurrences(of: "\"", with: "%22")
            head += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
            try output.write(contentsOf: Data(head.utf8))
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                try output.write(contentsOf: chunk)
            }
            try output.write(contentsOf: Data("\r\n--\(boundary)--\r\n".utf8))
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw APIClientError.local("cannot prepare the upload of \(file.path): \(error.localizedDescription)")
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
