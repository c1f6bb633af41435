import Foundation
import Hummingbird
import Logging
import OCRChatEngine
import OCRChatModel
import OCRChatPDF

/// What the controllers share.
struct ServerDependencies: Sendable {
    let engine: any ServerEngine
    let store: Store
    let folders: DataFolders
    let processor: JobProcessor
    let configuration: ServerConfiguration

    /// The job if the caller may see it: a job made with a token belongs to that account, and for
    /// anyone else it does not exist (404, not 403, so that its existence is not told).
    func ownedJob(_ uuid: String, by account: AccountRecord?) throws -> JobRecord {
        guard UUID(uuidString: uuid) != nil, let job = try store.job(uuid.lowercased()) else { throw APIError.notFound }
        if let owner = job.accountID, owner != account?.id { throw APIError.notFound }
        return job
    }

    /// The stored result of a finished job.
    func document(of job: JobRecord) throws -> Document {
        guard let path = job.resultPath, let data = FileManager.default.contents(atPath: path) else {
            throw APIError(.gone, "the result of this job is no longer kept")
        }
        return try JSONDecoder().decode(Document.self, from: data)
    }
}

/// Builds the router: middleware (logging, errors, tokens), then one controller per resource.
func buildRouter(_ dependencies: ServerDependencies, logger: Logger) -> Router<OCRRequestContext> {
    let router = Router(context: OCRRequestContext.self)
    router.add(middleware: RequestLogMiddleware(logger: logger))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: TokenMiddleware(store: dependencies.store))
    OCRController(dependencies: dependencies).addRoutes(to: router)
    ChatController(dependencies: dependencies).addRoutes(to: router)
    HealthController(dependencies: dependencies).addRoutes(to: router)
    return router
}

/// Builds the whole server: the store (migrated, interrupted jobs requeued), the router, and the
/// background services (job queue, retention), ready for `runService()`.
public func buildApplication(configuration: ServerConfiguration, engine: any ServerEngine, logger: Logger) throws -> some ApplicationProtocol {
    let folders = try DataFolders(root: configuration.dataURL)
    let store = try Store(directory: folders.root)
    // Before any request is served: whatever was in flight when the server last stopped is redone.
    let requeued = try store.requeueInterrupted()
    if requeued > 0 { logger.notice("requeued \(requeued) interrupted job(s)") }
    let pdfWriter: SearchablePDFWriter?
    do {
        pdfWriter = try SearchablePDFWriter()
    } catch {
        pdfWriter = nil
        logger.warning("searchable PDF downloads are off: \(error)")
    }
    let processor = JobProcessor(engine: engine, store: store, folders: folders, pdfWriter: pdfWriter, logger: logger)
    let dependencies = ServerDependencies(engine: engine, store: store, folders: folders, processor: processor,
                                          configuration: configuration)
    let router = buildRouter(dependencies, logger: logger)
    let queue = JobQueueService(processor: processor, store: store, runners: configuration.jobRunners, logger: logger)
    let retention = RetentionService(store: store, folders: folders, retentionHours: configuration.retentionHours, logger: logger)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ocrchat"),
        services: [queue, retention],
        logger: logger
    )
}
