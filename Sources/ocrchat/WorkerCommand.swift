import ArgumentParser
import Foundation
import Logging
import OCRChatEngine
import OCRChatWorker

/// `ocrchat worker` (hidden): the child process `serve` reads documents in. It speaks length-prefixed
/// JSON on stdin and stdout (its engine settings come as the first frame) and is of no use by hand.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Read documents for `ocrchat serve` over stdin and stdout (started by the server).",
        shouldDisplay: false
    )

    func run() async throws {
        let status = await WorkerLoop.run { settings in
            EngineOptions.bootstrapLogging(verbose: settings.verbose)
            return try OCREngine(configuration: settings.engineConfiguration(logger: Logger(label: "ocrchat.worker")))
        }
        throw ExitCode(status)
    }
}
