import Foundation
import Logging
import OCRChatConversion
import OCRChatEngine

/// The child side of `ocrchat worker`: reads its settings and then requests from stdin, runs them
/// on this process's own engine (its models stay loaded between requests), writes progress and
/// the answer to stdout.
///
/// A native crash here (a decoder or Tesseract on a hostile file) ends this process only; the
/// server sees its pipe close and answers for the file.
public enum WorkerLoop {
    /// Test switch: a comma-separated list of `recognize:MARKER`, `inspect:MARKER`, `derive:MARKER` or `hang:MARKER`
    /// makes the worker crash with SIGSEGV (or never answer) on a file that contains MARKER, as a
    /// hostile file would. Only the tests set it; the marker is never part of a real file by chance.
    public static let testFaultVariable = "OCRCHAT_TEST_WORKER_FAULT"
    /// The server's process id, which a worker watches so as to end with it.
    public static let serverVariable = "OCRCHAT_WORKER_SERVER_PID"

    /// Reads the settings frame, starts the engine with `start`, then serves requests until stdin
    /// closes; returns the exit status.
    public static func run(start: (WorkerSettings) throws -> OCREngine) async -> Int32 {
        // Frames go to a private copy of stdout; stdout itself then points at stderr, so that a
        // library printing to stdout cannot corrupt a frame.
        let frames = dup(STDOUT_FILENO)
        dup2(STDERR_FILENO, STDOUT_FILENO)
        let channel = FrameChannel(input: STDIN_FILENO, output: frames)
        watchParent()
        let engine: OCREngine
        do {
            guard let frame = try await offload({ try channel.read() }) else { return 0 }
            let settings = try JSONDecoder().decode(WorkerSettings.self, from: frame)
            limitMemory(toMiB: settings.memoryLimitMiB)
            engine = try start(settings)
        } catch {
            FileHandle.standardError.write(Data("ocrchat worker: cannot start: \(error)\n".utf8))
            return 1
        }
        let logger = engine.configuration.logger
        let faults = (ProcessInfo.processInfo.environment[testFaultVariable] ?? "")
            .split(separator: ",").compactMap { TestFault(String($0)) }
        while true {
            let frame: Data?
            do {
                frame = try await offload { try channel.read() }
            } catch {
                logger.error("worker: cannot read a request: \(error)")
                return 1
            }
            guard let frame else { return 0 }  // the server closed the pipe: done
            let reply: WorkerReply
            do {
                let request = try JSONDecoder().decode(WorkerRequest.self, from: frame)
                reply = await serve(request, engine: engine, channel: channel, faults: faults)
            } catch {
                reply = .otherFailure("a malformed request: \(error)")
            }
            do {
                try channel.write(JSONEncoder().encode(reply))
            } catch FrameChannel.Failure.system(_, EPIPE) {
                return 0  // the server is gone
            } catch {
                logger.error("worker: cannot answer: \(error)")
                return 1
            }
        }
    }

    private static func serve(_ request: WorkerRequest, engine: OCREngine, channel: FrameChannel,
                              faults: [TestFault]) async -> WorkerReply {
        do {
            switch request {
            case .inspect(let path, let password):
                faults.strike(.inspect, path: path)
                return .summary(try await engine.inspect(contentsOf: URL(fileURLWithPath: path), password: password))
            case .convert(let job):
                if !job.resultWritten { faults.strike(.recognize, path: job.source) }
                let outcome = try await job.run(on: engine, progress: { done, total in
                    send(.progress(done: done, total: total), on: channel)
                }, resultStored: { pageCount in
                    send(.resultStored(pageCount: pageCount), on: channel)
                    faults.strike(.derive, path: job.source)
                })
                return .converted(outcome)
            }
        } catch let error as EngineError {
            return .failure(error)
        } catch {
            return .otherFailure("\(error)")
        }
    }

    /// A small frame before the answer (progress, the result stored). A broken pipe here means
    /// the server is gone: the rest of this job is of no use.
    private static func send(_ reply: WorkerReply, on channel: FrameChannel) {
        guard let data = try? JSONEncoder().encode(reply) else { return }
        do {
            try channel.write(data)
        } catch {
            _exit(0)
        }
    }

    /// An allocation past the limit fails inside this process (which may then die); the server
    /// goes on and answers for the file.
    private static func limitMemory(toMiB mebibytes: Int) {
        guard mebibytes > 0 else { return }
        let bytes = rlim_t(mebibytes) << 20
        var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
        if setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) != 0 {
            FileHandle.standardError.write(Data("ocrchat worker: could not set the memory limit of \(mebibytes) MiB: errno \(errno)\n".utf8))
        }
    }

    /// Ends this process when the server that started it is gone (even by SIGKILL, mid-job).
    private static func watchParent() {
        let parent = getppid()
        // The server says who it is: the process that spawned this one need not be it.
        let server = ProcessInfo.processInfo.environment[serverVariable].flatMap { pid_t($0) }
        let thread = Thread {
            while true {
                sleep(1)
                if getppid() != parent { _exit(0) }
                if let server, kill(server, 0) != 0, errno == ESRCH { _exit(0) }
            }
        }
        thread.name = "ocrchat-worker-watch"
        thread.start()
    }
}

/// A fault the tests inject through `OCRCHAT_TEST_WORKER_FAULT`.
private struct TestFault {
    /// Where in a request a fault strikes: `inspect`, `recognize` (a job's reading), `derive` (its
    /// files made from the original, once the result is stored), or `hang` (a reading that never ends).
    enum Action: String { case recognize, inspect, derive, hang }
    let action: Action
    let marker: Data

    init?(_ value: String) {
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let action = Action(rawValue: parts[0]), !parts[1].isEmpty else { return nil }
        self.action = action
        marker = Data(parts[1].utf8)
    }
}

extension [TestFault] {
    /// Crashes (or hangs) the worker when a fault armed for `stage` matches the file at `path`.
    fileprivate func strike(_ stage: TestFault.Action, path: String) {
        let armed = filter { $0.action == stage || ($0.action == .hang && stage == .recognize) }
        guard !armed.isEmpty, let data = FileManager.default.contents(atPath: path) else { return }
        for fault in armed where data.range(of: fault.marker) != nil {
            if fault.action == .hang {
                while true { sleep(60) }
            }
            // The default action, as for a real fault: the process ends on SIGSEGV at once (the
            // runtime's backtracer would return from a raised signal and carry on).
            signal(SIGSEGV, SIG_DFL)
            raise(SIGSEGV)
        }
    }
}
