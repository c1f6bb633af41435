import Foundation
import HTTPTypes
import Hummingbird
import OCRChatConversion
import OCRChatExport
import OCRChatModel
import OCRChatTranslate

/// `/api/v1/ocr/`: upload a file (a job), poll it, download its result.
struct OCRController {
    let dependencies: ServerDependencies

    /// The presets of the public API; each is accepted here (the tools issues give them their work).
    static let tools: Set<String> = ["extract-tables", "handwriting-to-text", "translate", "extract-text", "ocr"]

    /// Each path matches with and without its trailing slash (the router ignores it).
    func addRoutes(to router: Router<OCRRequestContext>) {
        router.post("/api/v1/ocr", use: createCounted)
        router.get("/api/v1/ocr/:uuid", use: show)
        router.get("/api/v1/ocr/:uuid/download", use: download)
        router.delete("/api/v1/ocr/:uuid", use: delete)
    }

    /// `DELETE /api/v1/ocr/{uuid}/` (an extra): the job, its upload, results, page pictures and
    /// conversations removed now rather than at the end of the retention time. Only the job's
    /// owner may: the account that made it, or for an anonymous job an anonymous caller from the
    /// same address; for anyone else, and once it is gone, the job does not exist (404). A job
    /// being read is deleted too: its reading is left to end, and what it makes is removed then.
    @Sendable func delete(_ request: Request, context: OCRRequestContext) async throws -> Response {
        let uuid = try context.parameters.require("uuid").lowercased()
        guard UUID(uuidString: uuid) != nil else { throw APIError.notFound }
        let owner = JobRecord.owner(accountID: context.account?.id, clientIP: context.clientIP)
        guard let job = try await dependencies.store.deleteJob(uuid, owner: owner) else { throw APIError.notFound }
        dependencies.folders.removeFiles(of: uuid)
        if let path = job.uploadPath { try? FileManager.default.removeItem(atPath: path) }
        if let path = job.resultPath { try? FileManager.default.removeItem(atPath: path) }
        dependencies.chat.indexes.remove(uuid)
        // The deleted row's text and chats out of the WAL too, as after a purge (a busy WAL is
        // truncated by the next purge; the job is gone either way).
        do { try await dependencies.store.truncateLog() } catch { context.logger.warning("delete: the WAL was not truncated: \(error)") }
        return Response(status: .noContent)
    }

    /// `create`, with the uploads it refuses counted for `/metrics` (the 503s where they are
    /// refused, since their reasons share a status).
    @Sendable func createCounted(_ request: Request, context: OCRRequestContext) async throws -> Response {
        do {
            return try await create(request, context: context)
        } catch let error as any HTTPResponseError {
            if error.status.code == 402 {
                dependencies.metrics.refused(.paymentRequired)
            } else if error.status == .badRequest {
                dependencies.metrics.refused(.badRequest)
            }
            throw error
        }
    }

    /// `POST /api/v1/ocr/`: stores the upload, checks it and the caller's allowance, and either
    /// recognises it now (small files) or queues it.
    @Sendable func create(_ request: Request, context: OCRRequestContext) async throws -> Response {
        let configuration = dependencies.configuration
        // A retry of an upload the caller already made (its answer was lost: a timeout, a dropped
        // connection) gets that job back, charged once, before any limit or a byte of the body.
        let idempotencyKey = try Self.idempotencyKey(of: request)
        let owner = JobRecord.owner(accountID: context.account?.id, clientIP: context.clientIP)
        if let idempotencyKey, let earlier = try await dependencies.store.job(idempotencyKey: idempotencyKey, owner: owner) {
            return try await replay(earlier, request: request, context: context)
        }
        // Back-pressure before a byte of the upload is read: a full queue is a 503 with a time to
        // come back, not unbounded disk and memory.
        if try await dependencies.store.pendingCount() >= configuration.maxQueuedJobs {
            dependencies.metrics.refused(.queueFull)
            throw APIError(.serviceUnavailable, "the queue is full (\(configuration.maxQueuedJobs) jobs waiting); try again later",
                           retryAfterSeconds: 30)
        }
        switch dependencies.uploadSlots.acquire(caller: owner, anonymous: context.account == nil) {
        case nil:
            break
        case .serverFull:
            dependencies.metrics.refused(.serverBusy)
            throw APIError(.serviceUnavailable, "too many uploads at once (\(configuration.maxConcurrentUploads)); try again shortly",
                           retryAfterSeconds: 5)
        case .callerFull(let limit):
            dependencies.metrics.refused(.callerBusy)
            let caller = context.account == nil ? "from this address" : "for this account"
            throw APIError(.serviceUnavailable, "too many uploads at once \(caller) (\(limit)); wait for one to finish",
                           retryAfterSeconds: 5)
        }
        defer { dependencies.uploadSlots.release(caller: owner) }
        let uuid = JobID.random()
        let uploadURL = dependencies.folders.upload(for: uuid)
        let job: JobRecord
        let password: String?  // the PDF's, if sent: in memory only, for an inline job
        do {
            let upload = try await MultipartUpload.read(request, to: uploadURL, maxFileBytes: configuration.maxUploadMiB << 20)
            CrashPoint.reached(.uploadStored)
            let fields = try UploadFields(upload.fields, reader: dependencies.reader,
                                          translator: dependencies.processor.conversion.translator,
                                          callbacks: configuration.callbacks)
            password = fields.password
            let fileCount: Int
            do {
                fileCount = try await dependencies.reader.inspect(contentsOf: uploadURL, password: fields.password).pageCount
            } catch let error as EngineError {
                throw APIError.from(error)
            }
            // Only the pages asked for are read, and charged.
            let selected: Set<Int>?
            do {
                selected = try fields.pages?.indexes(pageCount: fileCount)
            } catch let error as PageSelectionError {
                throw APIError(.badRequest, error.description.replacingOccurrences(of: "--pages", with: "pages"))
            }
            let pageCount = selected?.count ?? fileCount
            let charge = try Meter(configuration: configuration.metering)
                .charge(pageCount: pageCount, tier: fields.tier, account: context.account, clientIP: context.clientIP)
            let inline = pageCount <= configuration.inlinePageLimit
            let now = Date()
            job = try await dependencies.store.insert(JobRecord(
                uuid: uuid, accountID: context.account?.id, clientIP: context.clientIP,
                status: inline ? .processing : .pending, tier: fields.tier.rawValue, language: fields.language,
                // Never in clear in the database: an inline job's stays in this request's memory.
                tool: fields.tool, translateTo: fields.translateTo,
                password: try fields.password.flatMap { inline ? nil : try dependencies.processor.vault.seal($0, job: uuid) },
                fileName: Self.safeFileName(upload.fileName), uploadPath: uploadURL.path, resultPath: nil,
                pageCount: pageCount, pagesDone: 0, error: nil, charged: 0, chargeKey: nil, chargePeriod: nil,
                attempts: inline ? 1 : 0, createdAt: now, updatedAt: now, finishedAt: nil,
                idempotencyKey: idempotencyKey, startedAt: inline ? now : nil,
                // An inline job is this node's from the start, claimed as the queue claims.
                node: inline ? configuration.nodeName : nil, epoch: inline ? 1 : 0,
                leaseExpiresAt: inline ? configuration.queueClaim.expiry(from: now) : nil,
                pageSelection: JobRecord.pageSelection(selected), textLayer: fields.mode?.rawValue), charge: charge,
                callbackURL: fields.callbackURL?.absoluteString)
        } catch {
            try? FileManager.default.removeItem(at: uploadURL)
            // The same key sent twice at once: the other request stored its job first (and this one's
            // charge was rolled back with its insert); answer with that job.
            if let idempotencyKey, error is StoreConflict,
               let earlier = try await dependencies.store.job(idempotencyKey: idempotencyKey, owner: owner) {
                return try await replay(earlier, request: request, context: context)
            }
            throw error
        }
        CrashPoint.reached(.jobStored)
        // Where every node can read it: a queued job may be read by another node, and an inline
        // one is, if this node dies while reading it. Not shared, a queued job cannot stay.
        do {
            try await dependencies.files.share(.upload, of: uuid)
        } catch {
            await dependencies.processor.abandon(job, reason: "the upload could not be stored: \(error)")
            throw error
        }
        if job.status == .processing, let error = await dependencies.processor.process(job, password: password) as? EngineError {
            // A small file read within the request that turned out unreadable (damaged past its
            // header, or crashing the decoder) is a 400 like any file refused at upload; the failed
            // job stays on record, and its credits were given back.
            let answer = APIError.from(error)
            if answer.status == .badRequest { throw answer }
        }
        return try await jobResponse(uuid, request: request, context: context)
    }

    /// The `Idempotency-Key` header: 1–255 visible ASCII characters, or absent.
    static func idempotencyKey(of request: Request) throws -> String? {
        guard let value = request.headers[Self.idempotencyKeyField] else { return nil }
        guard (1...255).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError(.badRequest, "Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        return value
    }

    static let idempotencyKeyField = HTTPField.Name("Idempotency-Key")!

    /// The job an earlier upload with the same key made, as it stands now, marked as a replay.
    private func replay(_ job: JobRecord, request: Request, context: OCRRequestContext) async throws -> Response {
        var response = try await jobResponse(job.uuid, request: request, context: context)
        response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
        return response
    }

    /// `GET /api/v1/ocr/{uuid}/`: the job as it stands.
    @Sendable func show(_ request: Request, context: OCRRequestContext) async throws -> Response {
        let uuid = try context.parameters.require("uuid")
        return try await jobResponse(uuid, request: request, context: context)
    }

    /// `GET /api/v1/ocr/{uuid}/download/?format=F`: the result as a file.
    @Sendable func download(_ request: Request, context: OCRRequestContext) async throws -> Response {
        let uuid = try context.parameters.require("uuid")
        let job = try await dependencies.ownedJob(uuid, by: context.account)
        // No format: the job object, as `format=json` gives it and as a client that forgot the
        // parameter can use (the contract names no answer for it).
        let name = request.uri.queryParameters.get("format")?.lowercased() ?? ""
        if name.isEmpty { return try await jobResponse(uuid, request: request, context: context) }
        guard let format = ExportFormat(rawValue: name) else {
            throw APIError(.badRequest, "unknown format '\(name)': use one of \(Self.formatList)")
        }
        switch job.status {
        case .pending, .processing:
            throw APIError(.conflict, "the job is not done yet (status: \(job.status.rawValue))")
        case .failed:
            throw APIError(.conflict, "the job failed: \(job.error ?? "no reason recorded")")
        case .done:
            break
        }
        let body: ResponseBody
        switch format {
        case .pdf:
            body = try await searchablePDF(of: job, context: context)
        default:
            // Reading the result and making the export (a DOCX of a long document) is blocking
            // work: on NIO's thread pool, not the cooperative pool the requests are answered on.
            let document = try await dependencies.document(of: job)
            let callback = format == .json ? try await dependencies.store.callback(of: job.uuid) : nil
            body = .init(byteBuffer: ByteBuffer(bytes: try await StoredFile.onThreadPool {
                guard format == .json else { return try Conversion.export(document, as: format) }
                // The contract: the json download is the job object itself, with lines and words.
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
                return try encoder.encode(JobResponse(job: job, document: document, callback: callback))
            }))
        }
        let stem = URL(fileURLWithPath: job.fileName).deletingPathExtension().lastPathComponent
        return Response(status: .ok, headers: [
            .contentType: format.contentType,
            .contentDisposition: Self.contentDisposition(fileName: "\(stem.isEmpty ? "document" : stem).\(format.fileExtension)"),
        ], body: body)
    }

    /// `attachment; filename="…"` with an ASCII name every client reads, and beside it, when the
    /// name is not plain ASCII, `filename*=UTF-8''…` (RFC 6266 and 8187) with the name as it was:
    /// a raw UTF-8 name in a header is read as Latin-1 by Python's `http.client` (`MÃ¤rz`).
    static func contentDisposition(fileName: String) -> String {
        let ascii = asciiFallback(fileName)
        guard ascii != fileName else { return "attachment; filename=\"\(fileName)\"" }
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(percentEncoded(fileName))"
    }

    /// The name in printable ASCII: accents dropped (`März` → `Marz`), anything else that is not
    /// ASCII, a quote or a backslash as `_`.
    static func asciiFallback(_ name: String) -> String {
        var result = ""
        for scalar in name.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if (0x20...0x7E).contains(scalar.value), scalar != "\"", scalar != "\\" {
                result.unicodeScalars.append(scalar)
            } else {
                result.append("_")
            }
        }
        return result
    }

    /// RFC 8187's `value-chars`: the UTF-8 bytes, all but `attr-char` percent-encoded.
    static func percentEncoded(_ name: String) -> String {
        let attributeCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        return name.utf8.map { byte in
            attributeCharacters.contains(byte) ? String(UnicodeScalar(byte)) : "%" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }.joined()
    }

    /// The searchable PDF made when the job finished (the upload it needs is gone by now), streamed
    /// from this node's copy (fetched from the store first when another node made it).
    private func searchablePDF(of job: JobRecord, context: OCRRequestContext) async throws -> ResponseBody {
        let files = dependencies.files
        if let file = try await files.local(.searchablePDF, of: job.uuid), let body = try await StoredFile.body(at: file, context: context) {
            return body
        }
        if let file = try await files.local(.searchablePDFFailure, of: job.uuid), let reason = await StoredFile.text(at: file) {
            throw APIError(.conflict, "no searchable PDF could be made for this job: \(reason)")
        }
        throw APIError(.gone, "the searchable PDF of this job is no longer kept")
    }

    private func jobResponse(_ uuid: String, request: Request, context: OCRRequestContext) async throws -> Response {
        let job = try await dependencies.ownedJob(uuid, by: context.account)
        let callback = try await dependencies.store.callback(of: job.uuid)
        // A finished job's reading was written with its result: sent as it is, not decoded and encoded again.
        if job.status == .done, job.resultPath != nil, let reading = try await dependencies.files.contents(.reading, of: job.uuid) {
            let body = try JobResponse.prepared(job: job, reading: reading, callback: callback)
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        let document = job.status == .done ? try await dependencies.document(of: job) : nil
        return try JobResponse(job: job, document: document, callback: callback).response(from: request, context: context)
    }

    static var formatList: String { ExportFormat.allCases.map(\.rawValue).joined(separator: ", ") }

    /// The client's file name, reduced to a harmless base name: the last component of either kind
    /// of path, without control characters, line breaks or quotes; never `.` or `..` (which a file URL would
    /// resolve against the server's working directory).
    static func safeFileName(_ name: String?) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        // Control characters (C0 and C1 alike: a Latin-1 reading of a name can make C1 ones),
        // quotes and the replacement character of bytes that were not text go.
        let base = last.filter { character in
            character != "\"" && character != "\u{FFFD}"
                && !character.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }
        }
        return base.isEmpty || base == "." || base == ".." ? "document" : String(base.prefix(200))
    }
}

/// The upload's text fields, checked: a bad value is a 400 before any work.
struct UploadFields {
    var tier: Tier
    var language: String
    var tool: String?
    var translateTo: String?
    var password: String?
    /// Where to POST the job's summary when it ends (a host the operator allows).
    var callbackURL: URL?
    /// `pages=1-3,7`: only these are read (OCRmyPDF's `--pages`).
    var pages: PageSelection?
    /// `mode=skip|redo|force`: what to do with pages that have text of their own (OCRmyPDF's modes).
    var mode: TextLayerMode?

    init(_ fields: [String: String], reader: any DocumentReader, translator: DocumentTranslator,
         callbacks: CallbackConfiguration) throws {
        let tierName = (fields["tier"].flatMap { $0.isEmpty ? nil : $0 } ?? "cpu").lowercased()
        guard let tier = Tier(rawValue: tierName) else {
            throw APIError(.badRequest, "unknown tier '\(tierName)': use cpu or vlm")
        }
        self.tier = tier
        language = fields["language"].flatMap { $0.isEmpty ? nil : $0 } ?? "auto"
        do {
            try reader.requireLanguage(language)
        } catch let error as EngineError {
            throw APIError.from(error)
        }
        tool = fields["tool"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if let tool, !OCRController.tools.contains(tool) {
            throw APIError(.badRequest, "unknown tool '\(tool)': use one of \(OCRController.tools.sorted().joined(separator: ", "))")
        }
        // A tool costs what its tier costs: handwriting is the vlm tier's work.
        if tool == Tool.handwritingToText.rawValue { self.tier = .vlm }
        translateTo = fields["translate_to"].flatMap { $0.isEmpty ? nil : $0 }
        if tool == "translate", translateTo == nil {
            throw APIError(.badRequest, "tool=translate needs translate_to, the target language")
        }
        if let translateTo {
            if tool == nil { tool = "translate" }
            guard tool == "translate" else {
                throw APIError(.badRequest, "translate_to goes with tool=translate, not tool=\(tool ?? "")")
            }
            do {
                try translator.validate(source: language, target: translateTo)
            } catch let error as TranslationError {
                throw APIError(.badRequest, error.description)
            }
        }
        password = fields["password"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = fields["pages"].flatMap({ $0.isEmpty ? nil : $0 }) {
            do {
                pages = try PageSelection(text)
            } catch let error as PageSelectionError {
                throw APIError(.badRequest, "pages=\(text): \(error)")
            }
        }
        if let name = fields["mode"].flatMap({ $0.isEmpty ? nil : $0.lowercased() }) {
            guard let mode = TextLayerMode(rawValue: name) else {
                throw APIError(.badRequest, "unknown mode '\(name)': use skip (the page's own text where it is usable), redo or force")
            }
            self.mode = mode
        }
        if let address = fields["callback_url"].flatMap({ $0.isEmpty ? nil : $0 }) {
            switch callbacks.check(address) {
            case .success(let url): callbackURL = url
            case .failure(let error): throw APIError(.badRequest, error.description)
            }
        }
    }
}
