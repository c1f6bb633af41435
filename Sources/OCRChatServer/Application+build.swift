import Foundation
import NIOPosix
import ServiceLifecycle
import Hummingbird
import Logging
import OCRChatConversion
import OCRChatModel

/// What the controllers share.
struct ServerDependencies: Sendable {
    /// Runs jobs; its reader, store, data folders and metrics are the ones every controller uses.
    let processor: JobProcessor
    let configuration: ServerConfiguration
    let chat: ChatService
    /// Uploads received or recognised now, bounded by `maxConcurrentUploads` and per caller.
    let uploadSlots: UploadSlots
    /// The local account's token in single-user mode (handed to the web page on loopback only).
    var localToken: String? = nil

    /// The engine in this process, or the worker pool.
    var reader: any DocumentReader { processor.conversion.reader }
    var store: any Store { processor.store }
    var folders: DataFolders { processor.folders }
    /// What `/metrics` counts.
    var metrics: ServerMetrics { processor.metrics }

    /// The job if the caller may see it: a job made with a token belongs to that account, and for
    /// anyone else it does not exist (404, not 403, so that its existence is not told).
    func ownedJob(_ uuid: String, by account: AccountRecord?) async throws -> JobRecord {
        guard UUID(uuidString: uuid) != nil, let job = try await store.job(uuid.lowercased()) else { throw APIError.notFound }
        if let owner = job.accountID, owner != account?.id { throw APIError.notFound }
        return job
    }

    /// The job's files here and in the store (any node reads any job's).
    var files: JobFiles { JobFiles(store: store, folders: folders) }

    /// The stored result of a finished job (made here, or fetched from the store when another node made it).
    func document(of job: JobRecord) async throws -> Document {
        guard job.resultPath != nil, let data = try await files.contents(.result, of: job.uuid) else {
            throw APIError(.gone, "the result of this job is no longer kept")
        }
        // A long document's JSON takes a while to decode: on the thread pool, like the read.
        return try await NIOThreadPool.singleton.runIfActive { try JSONDecoder().decode(Document.self, from: data) }
    }
}

/// Builds the router: middleware (logging, errors, tokens), then one controller per resource.
func buildRouter(_ dependencies: ServerDependencies, logger: Logger) -> Router<OCRRequestContext> {
    let router = Router(context: OCRRequestContext.self)
    router.add(middleware: RequestLogMiddleware(logger: logger))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware())
    // Before the account tokens: the metrics have a token of their own, or none (loopback only).
    MetricsController(dependencies: dependencies).addRoutes(to: router)
    router.add(middleware: TokenMiddleware(store: dependencies.store))
    OCRController(dependencies: dependencies).addRoutes(to: router)
    JobBrowsingController(dependencies: dependencies).addRoutes(to: router)
    ChatController(dependencies: dependencies).addRoutes(to: router)
    AccountController(dependencies: dependencies).addRoutes(to: router)
    HealthController(dependencies: dependencies).addRoutes(to: router)
    LanguagesController(dependencies: dependencies).addRoutes(to: router)
    WebController().addRoutes(to: router)
    return router
}

/// Builds the whole server: the store (migrated, interrupted jobs requeued), the router, and the
/// background services (job queue, retention), ready for `runService()`. `onListening` is called
/// with the port once the socket is bound (only then is the server reachable).
public func buildApplication(configuration: ServerConfiguration, reader: any DocumentReader, logger: Logger,
                             onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) async throws -> some ApplicationProtocol {
    let folders = try DataFolders(root: configuration.dataURL)
    let store = try await openStore(configuration: configuration, logger: logger)
    // Before any request is served: whatever was in flight when the server last stopped is redone,
    // and what a kill left half-written is removed (nothing is in flight yet, so nothing is in use).
    let recovery = try await store.recoverInterruptedJobs(maxAttempts: max(1, configuration.maxJobAttempts),
                                                          node: configuration.nodeName)
    if recovery.requeued > 0 { logger.notice("requeued \(recovery.requeued) interrupted job(s)") }
    if recovery.failed > 0 { logger.warning("gave up on \(recovery.failed) job(s) in hand at \(configuration.maxJobAttempts) crashes") }
    let orphans = try await store.removeOrphanFiles(in: folders)
    if orphans > 0 { logger.notice("removed \(orphans) file(s) left by an interrupted run") }
    do {
        _ = try Conversion.searchablePDFWriter()  // the font is looked for where the files are made, and here to warn early
    } catch {
        logger.warning("searchable PDF downloads are off: \(error)")
    }
    let vault = PasswordVault(folder: folders.root)
    let sealed = try await store.sealClearPasswords(with: vault)
    if sealed > 0 { logger.notice("sealed \(sealed) PDF password(s) an earlier version had stored in clear") }
    let conversion = Conversion(reader: reader, translation: configuration.chat.translation)
    let metrics = ServerMetrics()
    let processor = JobProcessor(conversion: conversion, store: store, folders: folders, vault: vault, metrics: metrics, logger: logger,
                                 claim: configuration.queueClaim)
    var dependencies = ServerDependencies(processor: processor, configuration: configuration,
                                          chat: ChatService(configuration: configuration.chat, logger: logger),
                                          uploadSlots: UploadSlots(limit: configuration.maxConcurrentUploads,
                                                                   perAddress: configuration.maxUploadsPerAddress,
                                                                   perAccount: configuration.maxUploadsPerAccount))
    if configuration.singleUser {
        dependencies.localToken = try await SingleUserAccount.token(configuration: configuration, store: store, folders: folders)
        logger.notice("single-user mode: the web page at http://\(configuration.host):\(configuration.port)/ signs in as the local account")
    }
    let router = buildRouter(dependencies, logger: logger)
    // Several nodes announce their jobs to each other (LISTEN/NOTIFY): the poll is then only a fallback.
    let queue = JobQueueService(processor: processor, runners: configuration.jobRunners,
                                maxAttempts: configuration.maxJobAttempts,
                                pollInterval: configuration.database == nil ? .milliseconds(200) : .seconds(2))
    let retention = RetentionService(store: store, folders: folders, retentionHours: configuration.retentionHours, logger: logger)
    var services: [any Service] = [StoreService(store: store), queue, retention]
    if configuration.callbacks.enabled {
        services.append(CallbackService(store: store, settings: configuration.callbacks, node: configuration.nodeName,
                                        doorbell: processor.jobEnded,
                                        pollInterval: configuration.database == nil ? .seconds(1) : .seconds(2), logger: logger))
    }
    return Application(
        responder: HeadRequestResponder(router.buildResponder()),
        server: .ocrchat(idleTimeout: .seconds(max(1, configuration.idleTimeoutSeconds)), pace: UploadPace(configuration),
                         metrics: metrics),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ocrchat"),
        services: services,
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
