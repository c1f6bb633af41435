import ArgumentParser
import Foundation
import Hummingbird
import Logging
import OCRChatEngine
import OCRChatServer

/// `ocrchat serve`: the ocr.chat-compatible HTTP API on this machine.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the ocr.chat-compatible HTTP server.",
        discussion: """
            Settings come from these flags, then the environment (OCRCHAT_HOST, OCRCHAT_PORT, \
            OCRCHAT_DATA, OCRCHAT_METERING=on|off, OCRCHAT_CONFIG), then a JSON config file \
            (--config, or ocrchat.json in the data folder), then defaults that serve one workstation: \
            127.0.0.1:8080, data in ./data. Existing ocr.chat clients work by pointing their base \
            URL at http://HOST:PORT.
            """
    )

    @Option(help: "Address to listen on (default 127.0.0.1; 0.0.0.0 opens it to the network).")
    var host: String?

    @Option(help: "Port to listen on (default 8080).")
    var port: Int?

    @Option(help: "Data folder: database, uploads in flight, results (default ./data).")
    var data: String?

    @Option(help: "JSON config file (default: ocrchat.json in the data folder, if present).")
    var config: String?

    @Option(help: "Metering of pages and credits: on or off (off for a private workstation).")
    var metering: Switch?

    @Option(help: "Hours finished results are kept before they are purged (default 168).")
    var retentionHours: Double?

    @OptionGroup var engineOptions: EngineOptions

    enum Switch: String, ExpressibleByArgument {
        case on, off
    }

    func validate() throws {
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535") }
        if let retentionHours, retentionHours <= 0 { throw ValidationError("--retention-hours must be positive") }
    }

    func run() async throws {
        engineOptions.bootstrapLogging(quietLevel: .info)
        let logger = Logger(label: "ocrchat.server")
        let settings: ServerConfiguration
        do {
            settings = try resolvedConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CleanExit.failure("\(error)")
        }
        let engine: OCREngine
        do {
            // --vlm-url and --vlm-model win over vlm_url and vlm_model in the config file.
            engine = try engineOptions.makeEngine(visionModel: engineOptions.visionModel(url: settings.vlmURL, model: settings.vlmModel))
        } catch let error as ValidationError {
            throw CleanExit.failure("\(error)")
        }
        let app = try Result { try buildApplication(configuration: settings, engine: engine, logger: logger) }
            .mapError { CleanExit.failure("cannot open the data folder \(settings.dataURL.path): \($0)") }
            .get()
        logger.notice("ocrchat serving on http://\(settings.host):\(settings.port) with data in \(settings.dataURL.path); metering \(settings.metering.enabled ? "on" : "off")")
        try await app.runService()
    }

    /// Flags win over the environment, which wins over the config file, which wins over defaults.
    func resolvedConfiguration(environment: [String: String]) throws -> ServerConfiguration {
        let dataFolder = data ?? environment["OCRCHAT_DATA"]
        var settings = ServerConfiguration()
        let configPath = config ?? environment["OCRCHAT_CONFIG"]
            ?? URL(fileURLWithPath: dataFolder ?? settings.dataDirectory).appendingPathComponent("ocrchat.json").path
        if FileManager.default.fileExists(atPath: configPath) {
            do {
                settings = try JSONDecoder().decode(ServerConfiguration.self, from: Data(contentsOf: URL(fileURLWithPath: configPath)))
            } catch {
                throw CommandError("the config file \(configPath) cannot be read: \(error)")
            }
        } else if config != nil || environment["OCRCHAT_CONFIG"] != nil {
            throw CommandError("the config file \(configPath) does not exist")
        }
        if let value = environment["OCRCHAT_HOST"] { settings.host = value }
        if let value = environment["OCRCHAT_PORT"] {
            guard let port = Int(value), (1...65535).contains(port) else { throw CommandError("OCRCHAT_PORT must be a port number") }
            settings.port = port
        }
        if let value = environment["OCRCHAT_METERING"] {
            guard let state = Switch(rawValue: value.lowercased()) else { throw CommandError("OCRCHAT_METERING must be on or off") }
            settings.metering.enabled = state == .on
        }
        if let dataFolder { settings.dataDirectory = dataFolder }
        if let host { settings.host = host }
        if let port { settings.port = port }
        if let metering { settings.metering.enabled = metering == .on }
        if let retentionHours { settings.retentionHours = retentionHours }
        settings.maxUploadMiB = engineOptions.maxFileMib
        return settings
    }
}
