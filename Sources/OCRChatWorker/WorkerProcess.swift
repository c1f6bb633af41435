import Foundation
import Synchronization

/// One `ocrchat worker` child, seen from the server: its pipes and its fate.
final class WorkerProcess: @unchecked Sendable {
    let number: Int
    private let process: Process
    private let channel: FrameChannel
    private let replies: FrameReceiver
    // The pipes are kept so their file descriptors stay open as long as the child is used.
    private let pipes: (toChild: Pipe, fromChild: Pipe)
    private let killed = Atomic<Bool>(false)

    /// Starts `executable arguments…` with its stdin and stdout on pipes; stderr is the server's.
    init(number: Int, executable: URL, arguments: [String], environment: [String: String]) throws {
        self.number = number
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let toChild = Pipe(), fromChild = Pipe()
        process.standardInput = toChild
        process.standardOutput = fromChild
        try process.run()
        self.process = process
        pipes = (toChild, fromChild)
        channel = FrameChannel(input: fromChild.fileHandleForReading.fileDescriptor,  // read by `replies`
                               output: toChild.fileHandleForWriting.fileDescriptor)
        do {
            replies = try FrameReceiver(reading: fromChild.fileHandleForReading.fileDescriptor)
        } catch {
            Glibc.kill(process.processIdentifier, SIGKILL)
            throw error
        }
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    var processIdentifier: Int32 { process.processIdentifier }
    var isAlive: Bool { process.isRunning && !killed.load(ordering: .relaxed) }

    /// Sends one frame: the settings first, then requests.
    func send(_ message: some Encodable) throws {
        try channel.write(JSONEncoder().encode(message))
    }

    /// The next reply, or nil when the child died before giving one. Awaited: no thread waits
    /// on the pipe meanwhile.
    func nextReply(timeout: Duration) async throws -> WorkerReply? {
        guard let frame = try await replies.next(timeout: timeout, stillAlive: { self.process.isRunning }) else { return nil }
        return try JSONDecoder().decode(WorkerReply.self, from: frame)
    }

    /// Stops the child at once (a hung or unwanted job); it is never used again.
    func kill() {
        killed.store(true, ordering: .relaxed)
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// How the child ended, in words ("signal 11 (SIGSEGV)", "exit status 1"), waiting a little
    /// for it to be reaped: with `Task.sleep`, so a dying worker never holds one of the few threads
    /// the server's tasks share.
    func exitDescription() async -> String {
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < deadline {
            do { try await Task.sleep(for: .milliseconds(10)) } catch { break }  // cancelled: say what is known
        }
        guard !process.isRunning else { return "it stopped answering" }
        let status = process.terminationStatus
        switch process.terminationReason {
        case .uncaughtSignal:
            return "signal \(status)\(Self.signalName(status).map { " (\($0))" } ?? "")"
        case .exit:
            return "exit status \(status)"
        @unknown default:
            return "status \(status)"
        }
    }

    static func signalName(_ signal: Int32) -> String? {
        switch signal {
        case SIGSEGV: return "SIGSEGV"
        case SIGABRT: return "SIGABRT"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGILL: return "SIGILL"
        case SIGKILL: return "SIGKILL, e.g. out of memory"
        case SIGTRAP: return "SIGTRAP"
        default: return nil
        }
    }
}
