import Foundation

/// Named moments in a job's life where the crash-safety tests kill the server on purpose
/// (`OCRCHAT_CRASH_AT=<name>` in its environment): SIGKILL exactly there, so each window between
/// two durable steps is tested deterministically, not by racing a timer. Inert without the variable.
enum CrashPoint: String, CaseIterable, Sendable {
    /// The upload is on disk; no job row yet.
    case uploadStored = "upload-stored"
    /// The job row and its charge are committed; the client has not had the answer yet.
    case jobStored = "job-stored"
    /// The result JSON is written; the job is not marked done.
    case resultWritten = "result-written"
    /// The searchable PDF is written too; the job is not marked done.
    case pdfWritten = "pdf-written"
    /// The job is marked done; its upload is not deleted yet.
    case jobFinished = "job-finished"

    private static let armed: CrashPoint? = ProcessInfo.processInfo.environment["OCRCHAT_CRASH_AT"].flatMap(CrashPoint.init)

    /// Kills this process at once when the tests armed this point.
    static func reached(_ point: CrashPoint) {
        guard armed == point else { return }
        kill(getpid(), SIGKILL)
    }
}
