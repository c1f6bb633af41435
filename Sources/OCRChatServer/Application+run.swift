import Hummingbird
import Logging
import ServiceLifecycle

/// Runs the server until SIGTERM or SIGINT, then stops within a bounded time: it stops accepting,
/// background jobs go back to the queue at once, requests in flight get `shutdownGraceSeconds` to
/// finish and are then cut (an upload cut short leaves nothing behind). Returns normally, so the
/// process exits 0.
public func runUntilStopped(_ app: some ApplicationProtocol, configuration: ServerConfiguration, logger: Logger) async throws {
    var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    group.maximumGracefulShutdownDuration = .seconds(max(1, configuration.shutdownGraceSeconds))
    group.maximumCancellationDuration = .seconds(10)
    try await ServiceGroup(configuration: group).run()
}
