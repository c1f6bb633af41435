import Foundation
import Logging
import OCRChatConversion
import OCRChatEngine
import OCRChatExport
import OCRChatModel

/// Converts a folder: scans it, skips what an earlier run already did, reads (and translates)
/// several documents at once through one shared conversion, writes each output atomically, records progress in the manifest after
/// every file, and ends with a report. With `watch` it keeps converting files as they arrive.
///
/// To stop it, cancel the task running `run()`: documents in hand are abandoned without leaving any
/// output behind (the next run does them), the manifest and report are written, and `run()` returns.
public struct BatchRunner: Sendable {
    /// What this runner converts, and how.
    public let configuration: BatchConfiguration
    private let conversion: Conversion
    private let progress: any BatchProgressReporter
    private let logger: Logger

    public init(configuration: BatchConfiguration, conversion: Conversion,
                progress: any BatchProgressReporter = SilentProgress(), logger: Logger = Logger(label: "ocrchat.batch")) {
        self.configuration = configuration
        self.conversion = conversion
        self.progress = progress
        self.logger = logger
    }

    /// Runs the batch (until cancelled when watching) and returns its report, also saved as
    /// `OUT/ocrchat-report.json`. Throws only for the batch as a whole (bad folders, an output
    /// folder that cannot be written); a file's failure is in the report.
    public func run() async throws -> BatchReport {
        try configuration.validate()
        let output = configuration.outputFolder
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw BatchError.writeFailed(path: output.path, detail: describe(error))
        }
        AtomicFile.removeLeftovers(under: output)
        let (manifest, problem) = BatchManifest.load(from: output)
        if let problem { logger.warning("\(problem)") }
        let state = RunState(manifest: manifest)

        var excluded = [output]
        if configuration.watch != nil || configuration.moveOriginals {
            excluded += [configuration.doneFolder, configuration.failedFolder]
        }
        let scanner = BatchScanner(inputFolder: configuration.inputFolder, recursive: configuration.recursive,
                                   excluding: excluded)
        if let watch = configuration.watch {
            try await watchFolder(scanner: scanner, settings: watch, state: state)
        } else {
            await convert(scanner.scan(), state: state)
        }

        try state.manifest.save(to: output)
        let report = state.report(for: configuration)
        try report.save(to: output)
        await progress.summarize(report.summary, failures: report.files.filter { $0.status == .failed },
                                 report: output.appendingPathComponent(BatchReport.fileName))
        return report
    }

    /// The hot folder: list, take what has settled and not been handled yet, convert, repeat.
    private func watchFolder(scanner: BatchScanner, settings: WatchSettings, state: RunState) async throws {
        var tracker = SettleTracker(settleSeconds: settings.settleSeconds)
        var handled: [String: FileStamp] = [:]  // taken in this session: not taken again unless changed
        await progress.idle()
        while !Task.isCancelled {
            let fresh = tracker.settled(scanner.scan()).filter { handled[$0.relativePath] != $0.stamp }
            if !fresh.isEmpty {
                await convert(fresh, state: state)
                for file in fresh { handled[file.relativePath] = file.stamp }
                // The report on disk follows the hot folder as it works, not only when it stops.
                do { try state.report(for: configuration).save(to: configuration.outputFolder) } catch {
                    logger.warning("cannot write the report: \(describe(error))")
                }
                await progress.idle()
            }
            try? await Task.sleep(for: .seconds(settings.pollSeconds))
        }
    }

    /// One pass over `files`: sniff, skip the unchanged, convert the rest several at a time.
    private func convert(_ files: [ScannedFile], state: RunState) async {
        let formats = configuration.formats
        let settings = configuration.settingsFingerprint
        var work: [Work] = []
        for (position, file) in files.enumerated() {
            if Task.isCancelled {
                state.leftOver += files.count - position
                return
            }
            // Gone since the listing (a scanner's rename, a user tidying up): nothing to report.
            guard FileStamp.of(file.url) != nil else { continue }
            switch BatchScanner.sniff(file.url) {
            case .unsupported(let reason):
                await state.record(FileResult(path: file.relativePath, status: .skipped, reason: reason), progress: progress)
            case .unreadable(let reason):
                await finishFailure(FileResult(path: file.relativePath, status: .failed, reason: reason), state: state)
            case .supported:
                let outputs = formats.map { BatchOutputs.outputPath(for: file.relativePath, format: $0) }
                let upToDate = state.manifest.isUpToDate(file, outputs: outputs, settings: settings,
                                                         outputFolder: configuration.outputFolder) {
                    try FileHash.sha256(of: file.url)
                }
                if upToDate, let entry = state.manifest.entries[file.relativePath] {
                    if entry.stamp != file.stamp {  // touched, same bytes: remember the new stamp
                        state.manifest.entries[file.relativePath]?.stamp = file.stamp
                        saveManifest(state)
                    }
                    await state.record(FileResult(path: file.relativePath, status: .unchanged, pages: entry.pages,
                                                  outputs: outputs), progress: progress)
                    moveOriginal(file.relativePath, succeeded: true)
                } else {
                    work.append(Work(file: file, outputs: outputs))
                }
            }
        }
        guard !work.isEmpty else { return }
        await progress.willConvert(count: work.count)

        // Several documents at once, so the pages of many one-page scans keep every engine thread busy.
        await withTaskGroup(of: Outcome.self) { group in
            var pending = work[...]
            func startNext() {
                guard !Task.isCancelled, let next = pending.popFirst() else { return }
                group.addTask { await self.convert(next) }
            }
            for _ in 0..<configuration.concurrentDocuments { startNext() }
            while let outcome = await group.next() {
                switch outcome {
                case .converted(let result, let entry):
                    state.manifest.entries[result.path] = entry
                    saveManifest(state)
                    await state.record(result, progress: progress)
                    moveOriginal(result.path, succeeded: true)
                case .failed(let result):
                    await finishFailure(result, state: state)
                case .abandoned:
                    state.leftOver += 1
                }
                startNext()
            }
            state.leftOver += pending.count
        }
    }

    private struct Work: Sendable {
        var file: ScannedFile
        var outputs: [String]
    }

    private enum Outcome: Sendable {
        case converted(FileResult, BatchManifest.Entry)
        case failed(FileResult)
        /// Stopped part-way by cancellation: nothing written, nothing recorded.
        case abandoned
    }

    /// Reads one document and writes all its outputs, or none of them.
    private func convert(_ work: Work) async -> Outcome {
        let path = work.file.relativePath
        let url = work.file.url
        let started = Date()
        await progress.started(path)
        do {
            let hash = try await offload { try FileHash.sha256(of: url) }
            var options = configuration.recognition
            let progress = self.progress
            options.progress = { done, count in await progress.pageDone(path, done: done, of: count) }
            let document = try await conversion.document(contentsOf: url, options: options,
                                                         translateTo: configuration.translateTo, for: configuration.formats)
            // Every format is made in memory first, so a format that fails leaves no output at all.
            let render = configuration.render
            let rendered = try zip(work.outputs, configuration.formats).map { output, format in
                (output, try render(document, url, format))
            }
            for (output, data) in rendered {
                try AtomicFile.write(data, to: configuration.outputFolder.appendingPathComponent(output))
            }
            let seconds = Date().timeIntervalSince(started)
            return .converted(
                FileResult(path: path, status: .converted, pages: document.pageCount, outputs: work.outputs, seconds: seconds),
                BatchManifest.Entry(stamp: work.file.stamp, sha256: hash, outputs: work.outputs, pages: document.pageCount,
                                    settings: configuration.settingsFingerprint, convertedAt: Date()))
        } catch {
            if Task.isCancelled { return .abandoned }
            return .failed(FileResult(path: path, status: .failed, reason: describe(error),
                                      seconds: Date().timeIntervalSince(started)))
        }
    }

    private func finishFailure(_ result: FileResult, state: RunState) async {
        await state.record(result, progress: progress)
        moveOriginal(result.path, succeeded: false)
    }

    private func moveOriginal(_ relativePath: String, succeeded: Bool) {
        guard configuration.moveOriginals else { return }
        let archive = OriginalsArchive(inputFolder: configuration.inputFolder, doneFolder: configuration.doneFolder,
                                       failedFolder: configuration.failedFolder)
        do {
            _ = try archive.move(relativePath, succeeded: succeeded)
        } catch {
            logger.warning("cannot move \(relativePath) to \(succeeded ? "done" : "failed")/: \(describe(error))")
        }
    }

    /// Saves the manifest after a file; a very large one at most every two seconds, since each
    /// save rewrites it whole (a kill then costs at most two seconds of work, redone next run).
    private func saveManifest(_ state: RunState) {
        let now = Date()
        guard state.manifest.entries.count < 1_000 || now.timeIntervalSince(state.lastManifestSave) >= 2 else { return }
        do {
            try state.manifest.save(to: configuration.outputFolder)
            state.lastManifestSave = now
        } catch {
            logger.warning("cannot write the manifest: \(describe(error))")
        }
    }
}

/// What a run has done so far. Touched only by the task running `BatchRunner.run()`; the
/// documents converted in parallel hand their outcomes back to it.
private final class RunState {
    var manifest: BatchManifest
    var results: [String: FileResult] = [:]
    var leftOver = 0
    var lastManifestSave = Date.distantPast
    let started = Date()

    init(manifest: BatchManifest) {
        self.manifest = manifest
    }

    func record(_ result: FileResult, progress: any BatchProgressReporter) async {
        results[result.path] = result
        await progress.finished(result)
    }

    func report(for configuration: BatchConfiguration) -> BatchReport {
        let files = results.values.sorted { $0.path < $1.path }
        let finished = Date()
        return BatchReport(inputFolder: configuration.inputFolder.path, outputFolder: configuration.outputFolder.path,
                           formats: configuration.formats.map(\.rawValue), started: started, finished: finished,
                           summary: BatchSummary(results: files, seconds: finished.timeIntervalSince(started),
                                                 stopped: leftOver > 0),
                           files: files)
    }
}
