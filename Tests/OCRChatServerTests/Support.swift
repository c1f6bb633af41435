import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OCRChatEngine
import PostgresHarness
import Testing
@testable import OCRChatServer

let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Samples")

func sample(_ name: String) throws -> Data {
    try Data(contentsOf: samples.appendingPathComponent(name))
}

/// One engine for the suite, as one server process has.
let sharedEngine: OCREngine = {
    do {
        return try OCREngine(configuration: EngineConfiguration(workers: 2))
    } catch {
        fatalError("no Tesseract model on this machine: \(error) (run make setup)")
    }
}()

/// A fresh data folder for one test.
func temporaryDataFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-server-\(UUID().uuidString)", isDirectory: true)
}

/// A server configuration on a fresh data folder, metering as given.
func testConfiguration(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
    var configuration = ServerConfiguration()
    configuration.dataDirectory = temporaryDataFolder().path
    configuration.port = 0
    adjust(&configuration)
    return configuration
}

/// Where a test's server keeps its accounts and jobs: the suite runs on both.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// SQLite in the test's data folder.
    case sqlite
    /// A fresh database of its own on the suite's throw-away PostgreSQL cluster.
    case postgres

    var testDescription: String { rawValue }
}

/// A server configuration on a fresh data folder and, for PostgreSQL, a fresh database.
func testConfiguration(_ backend: Backend, _ adjust: (inout ServerConfiguration) -> Void = { _ in }) async throws -> ServerConfiguration {
    var configuration = testConfiguration(adjust)
    if backend == .postgres {
        configuration.database = try await ThrowawayCluster.shared.freshDatabase()
        // Dozens of these tests open their databases at once beside the recognition suites on two
        // cores: an answer may take longer than an outage's 10 s (the outage test keeps that).
        configuration.databaseTimeoutSeconds = 60
    }
    return configuration
}

/// The store a test's server uses, opened beside it.
func openStore(_ configuration: ServerConfiguration) async throws -> any Store {
    try await OCRChatServer.openStore(configuration: configuration, logger: quietLogger)
}

var quietLogger: Logger {
    var logger = Logger(label: "ocrchat.test")
    logger.logLevel = .warning
    return logger
}

/// A multipart/form-data body as clients send it.
struct MultipartBody {
    static let boundary = "----ocrchat-test-boundary-7MA4YWxkTrZu0gW"
    var parts: [(name: String, fileName: String?, data: Data)] = []

    static func upload(_ file: Data, name: String = "scan.png", fields: [String: String] = [:]) -> MultipartBody {
        var body = MultipartBody()
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) { body.parts.append((key, nil, Data(value.utf8))) }
        body.parts.append(("file", name, file))
        return body
    }

    var headers: HTTPFields { [.contentType: "multipart/form-data; boundary=\(Self.boundary)"] }

    var buffer: ByteBuffer {
        var data = Data()
        for part in parts {
            data.append(Data("--\(Self.boundary)\r\n".utf8))
            var disposition = "Content-Disposition: form-data; name=\"\(part.name)\""
            if let fileName = part.fileName { disposition += "; filename=\"\(fileName)\"" }
            data.append(Data("\(disposition)\r\n".utf8))
            if part.fileName != nil { data.append(Data("Content-Type: application/octet-stream\r\n".utf8)) }
            data.append(Data("\r\n".utf8))
            data.append(part.data)
            data.append(Data("\r\n".utf8))
        }
        data.append(Data("--\(Self.boundary)--\r\n".utf8))
        return ByteBuffer(bytes: data)
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}

extension HTTPFields {
    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
}

func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
    var result = lhs
    for field in rhs { result.append(field) }
    return result
}
