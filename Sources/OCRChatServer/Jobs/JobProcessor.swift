import Foundation
import Logging
import OCRChatConversion
import OCRChatModel

/// Runs one claimed job through the conversion and records the outcome: a result file and `done`,
/// or `failed` with the reason and the charge given back. The upload is deleted either way.
struct JobProcessor: Sendable {
    /// The reader (the engine or the worker pool) and the translator.
    let conversion: Conversion
    let store: any Store
    let folders: DataFolders
    /// Seals the passwords of queued jobs (an inline job's stays in memory).
    let vault: PasswordVault
    /// Jobs done and failed, pages read, seconds per page, documents being read.
    let metrics: ServerMetrics
    let logger: Logger
    /// This node's claims: renewed while a job is read.
    let claim: QueueClaim
    /// Rung whenever a job this node was reading ends (done, failed or put back), so that its
    /// completion callback goes out at once.
    var jobEnded = Doorbell()

    /// A job the queue claimed: its sealed password opened (a job whose password cannot be opened
    /// fails with the reason), then `process(_:password:)`.
    func processQueued(_ job: JobRecord) async {
        var password: String?
        if let sealed = job.password {
            do {
                password = try vault.open(sealed, job: job.uuid)
            } catch {
                let store = self.store
                await record { try await store.fail(job.uuid, epoch: job.epoch, reason: "\(error)") }
                metrics.jobFailed(tier: job.tier)
                jobEnded.ring()
                if let path = job.uploadPath { try? FileManager.default.removeItem(atPath: path) }
                logger.warning("job failed", metadata: ["job": "\(job.uuid)", "reason": "\(error)"])
                return
            }
        }
        await process(job, password: password)
    }

    /// Returns the error that failed the job (nil when it is done or went back to the queue), so
    /// that a request waiting for a small file can answer a bad file with a 400. `password` is the
    /// file's, in clear, held only in memory.
    @discardableResult
    func process(_ job: JobRecord, password: String?) async -> (any Error)? {
        let started = ContinuousClock.now
        metrics.readingStarted()
        defer {
            metrics.readingEnded()
            jobEnded.ring()
        }
        let store = self.store
        let uuid = job.uuid, epoch = job.epoch
        let files = JobFiles(store: store, folders: folders)
        let uploadPath: String
        do {
            // Received here, or on another node and fetched from the store.
            guard job.uploadPath != nil, let local = try await files.local(.upload, of: uuid) else {
                await record { try await store.fail(uuid, epoch: epoch, reason: "the uploaded file is missing from the data folder") }
                metrics.jobFailed(tier: job.tier)
                return nil
            }
            uploadPath = local.path
        } catch {
            // The store could not be read: the job waits in the queue for a node that can.
            await record { try await store.requeue(uuid, epoch: epoch) }
            logger.warning("job requeued: its upload could not be fetched", metadata: ["job": "\(uuid)", "reason": "\(error)"])
            return nil
        }
        var reading = RecognitionOptions(
            language: job.language, tier: Tier(rawValue: job.tier) ?? .cpu, password: password,
            tool: job.tool.flatMap(Tool.init(rawValue:)))  // the no-op aliases (extract-text, ocr) map to nil
        reading.pages = job.selectedPages
        reading.textLayer = job.textLayer.flatMap(TextLayerMode.init(rawValue:))?.policy ?? .useWhenUsable
        let options = reading
        do {
            let resultURL = folders.result(for: uuid)
            let outcome = try await holdingClaim(on: job) { [self] in
                let outcome = try await conversion.run(conversionJob(uuid, uploadPath: uploadPath, options: options,
                                                                     translateTo: job.translateTo),
                                                       progress: { done, _ in try? await store.updateProgress(uuid, epoch: epoch, pagesDone: done) })
                CrashPoint.reached(.resultWritten)
                note(outcome, of: uuid)
                CrashPoint.reached(.pdfWritten)
                try await files.shareResults(of: uuid, pageCount: outcome.pageCount)
                return outcome
            }
            // A kill before this commit redoes the job after the restart (the files above are
            // overwritten); a kill after it leaves only the upload, which the restart removes.
            let kept = try await store.finish(uuid, epoch: epoch, resultPath: resultURL.path, pageCount: outcome.pageCount)
            CrashPoint.reached(.jobFinished)
            metrics.jobDone(tier: job.tier, pages: outcome.pageCount, duration: ContinuousClock.now - started)
            try? FileManager.default.removeItem(atPath: uploadPath)
            if !kept, try await store.job(uuid) != nil {
                logger.warning("job claim lost while it was read: another node finishes it", metadata: ["job": "\(uuid)"])
                return nil
            }
            if !kept {
                // Deleted by its owner while it was read: what was made for it goes too.
                folders.removeFiles(of: uuid)
                logger.info("job deleted while it was read", metadata: ["job": "\(uuid)"])
                return nil
            }
            logger.info("job done", metadata: ["job": "\(uuid)", "pages": "\(outcome.pageCount)",
                                                "took": "\(ContinuousClock.now - started)"])
            return nil
        } catch let error where error is CancellationError || error as? EngineError == .cancelled {
            // Shutting down or the request went away: the job goes back to the queue, nothing lost.
            await record { try await store.requeue(uuid, epoch: epoch) }
            logger.info("job requeued", metadata: ["job": "\(uuid)"])
            return nil
        } catch let error as StoreUnavailable {
            // The database went away: nothing is recorded now; the claim runs out and any node
            // (this one too) takes the job again once the database is back.
            logger.warning("job left to be taken again: \(error)", metadata: ["job": "\(uuid)"])
            return nil
        } catch is ClaimLost {
            // Another node has the job now (this one could not renew in time): it writes the result.
            logger.warning("job claim lost while it was read: another node finishes it", metadata: ["job": "\(uuid)"])
            return nil
        } catch {
            await record { try await store.fail(uuid, epoch: epoch, reason: "\(error)") }
            metrics.jobFailed(tier: job.tier)
            try? FileManager.default.removeItem(atPath: uploadPath)
            logger.warning("job failed", metadata: ["job": "\(uuid)", "reason": "\(error)"])
            return error
        }
    }

    /// The job as its reader runs it: the result, the searchable PDF and the page pictures go
    /// beside each other in the results folder, made by the reader (in a worker process under
    /// isolation) while the upload still exists: it is deleted when the job ends.
    private func conversionJob(_ uuid: String, uploadPath: String, options: RecognitionOptions, translateTo: String?) -> ConversionJob {
        var job = ConversionJob(source: uploadPath, options: options, translateTo: options.tool == .translate ? translateTo : nil,
                                result: folders.result(for: uuid).path, searchablePDF: folders.searchablePDF(for: uuid).path,
                                previews: folders.previews(for: uuid).path)
        job.previewsOnDemand = true
        job.reading = folders.reading(for: uuid).path
        return job
    }

    /// A page picture of a finished job that was left to be made when asked (`previewsOnDemand`):
    /// made now from the job's searchable PDF by the reader (in a worker under isolation: the PDF
    /// holds the original's pages), kept and shared as one made with the job. Nil when it cannot
    /// be made (no searchable PDF, or the job's pictures were made with it and this one failed).
    func pagePicture(of job: JobRecord, page index: Int) async throws -> URL? {
        let files = JobFiles(store: store, folders: folders)
        guard job.resultPath != nil, let pdf = try await files.local(.searchablePDF, of: job.uuid),
              let result = try await files.local(.result, of: job.uuid) else { return nil }
        var making = ConversionJob(source: pdf.path, options: RecognitionOptions(language: job.language), translateTo: nil,
                                   result: result.path, searchablePDF: nil, previews: folders.previews(for: job.uuid).path)
        making.resultWritten = true
        making.previewPages = [index]
        let outcome = try await conversion.reader.makeFiles(making)
        if let failure = outcome.previewsFailure {
            logger.warning("no picture of a page", metadata: ["job": "\(job.uuid)", "page": "\(index + 1)", "reason": "\(failure)"])
            return nil
        }
        let picture = JobFile.preview(page: index)
        try await files.share(picture, of: job.uuid)
        let url = picture.url(in: folders, job: job.uuid)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A file made from the original that failed does not fail the job (its text is there); the
    /// PDF download then explains what went wrong, and the page route says the picture is missing.
    private func note(_ outcome: ConversionJob.Outcome, of uuid: String) {
        if let failure = outcome.searchablePDFFailure {
            try? Data(failure.utf8).write(to: folders.searchablePDFFailure(for: uuid), options: .atomic)
            logger.warning("no searchable PDF for job", metadata: ["job": "\(uuid)", "reason": "\(failure)"])
        }
        if let failure = outcome.previewsFailure {
            logger.warning("no page previews for job", metadata: ["job": "\(uuid)", "reason": "\(failure)"])
        }
    }

    /// A job stored but not usable (its upload could not be shared): failed and refunded.
    func abandon(_ job: JobRecord, reason: String) async {
        let store = self.store
        await record { try await store.fail(job.uuid, epoch: job.epoch, reason: reason) }
    }

    /// `work`'s answer, while this node's claim on `job` is renewed every third of its lease; a
    /// renewal that finds the claim lost cancels the work and throws `ClaimLost`. A renewal the
    /// database does not answer is tried again a third later: the claim still has time.
    private func holdingClaim<T: Sendable>(on job: JobRecord, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let (store, claim, uuid, epoch) = (self.store, self.claim, job.uuid, job.epoch)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(claim.lease / 3))
                    if let held = try? await store.renewLease(uuid, epoch: epoch, claim), !held { throw ClaimLost() }
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    /// A bookkeeping write that must not be lost silently: logged when the database refuses it.
    private func record(_ write: () async throws -> Void) async {
        do {
            try await write()
        } catch {
            logger.error("could not record a job's state: \(error)")
        }
    }
}

/// This node's claim on a job ran out and another node took it.
struct ClaimLost: Error {}

/// The data folder's layout: the database, uploads in flight, results.
public struct DataFolders: Sendable {
    public let root: URL

    public init(root: URL) throws {
        self.root = root
        for folder in [root, uploads, results] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    var uploads: URL { root.appendingPathComponent("uploads", isDirectory: true) }
    var results: URL { root.appendingPathComponent("results", isDirectory: true) }

    func upload(for uuid: String) -> URL { uploads.appendingPathComponent("\(uuid).upload") }
    func result(for uuid: String) -> URL { results.appendingPathComponent("\(uuid).json") }
    func searchablePDF(for uuid: String) -> URL { results.appendingPathComponent("\(uuid).pdf") }
    /// The job object's reading, written with the result (`JobReading`).
    func reading(for uuid: String) -> URL { results.appendingPathComponent("\(uuid).reading.json") }
    func searchablePDFFailure(for uuid: String) -> URL { results.appendingPathComponent("\(uuid).pdf-error.txt") }

    /// Removes every file of the job: its upload, result and reading, searchable PDF (or why there
    /// is none) and page pictures. Missing files are not an error.
    func removeFiles(of uuid: String) {
        for file in [upload(for: uuid), result(for: uuid), reading(for: uuid), searchablePDF(for: uuid),
                     searchablePDFFailure(for: uuid), previews(for: uuid)] {
            try? FileManager.default.removeItem(at: file)
        }
    }
}
