import ArgumentParser
import Foundation
import Logging
import OCRChatEngine
import OCRChatWorker

/// `ocrchat worker` (hidden): the child process `serve` reads documents in. It speaks length-prefixed
/// JSON on stdin and stdout and is of no use by hand.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Read documents for `ocrchat serve` over stdin and stdout (started by the server).",
        shouldDisplay: false
    )

    @OptionGroup var engineOptions: EngineOptions

    @Option(help: "Address space this process may use, in MiB (0: no limit).")
    var memoryLimitMib: Int = 0

    func run() async throws {
        engineOptions.bootstrapLogging()
        let logger = Logger(label: "ocrchat.worker")
        if memoryLimitMib > 0 {
            // An allocation past the limit fails inside this process (which may then die); the
            // server goes on and answers for the file.
            let bytes = rlim_t(memoryLimitMib) << 20
            var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
            if setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) != 0 {
                logger.warning("could not set the memory limit of \(memoryLimitMib) MiB: errno \(errno)")
            }
        }
        let engine = try engineOptions.makeEngine(logger: logger)
        let status = await WorkerLoop.run(engine: engine, logger: logger)
        throw ExitCode(status)
    }
}
