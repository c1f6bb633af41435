import Foundation
import Logging
import ServiceLifecycle

/// The store the configuration names: PostgreSQL when `database` is a `postgres://` URL (several
/// nodes share it), else SQLite in the data folder.
func openStore(configuration: ServerConfiguration, logger: Logger) async throws -> any Store {
    let sharedFolder = try configuration.openSharedFolder()
    if let database = configuration.database, PostgresLocation.isURL(database) {
        return try await PostgresStore(url: database, answerWithin: .seconds(max(1, configuration.databaseTimeoutSeconds)),
                                       sharedFolder: sharedFolder, logger: logger)
    }
    return try SQLiteStore(directory: configuration.dataURL)
}

/// The accounts of the store `database` (a `postgres://` URL) or `dataFolder` holds, for `ocrchat token`.
public func openAccountStore(database: String?, dataFolder: URL, logger: Logger) async throws -> any AccountStore {
    var configuration = ServerConfiguration()
    configuration.database = database
    configuration.dataDirectory = dataFolder.path
    return try await openStore(configuration: configuration, logger: logger)
}

/// Closes the store when the server stops, after the services that use it (it is the first
/// service, and a service group stops its services last to first).
struct StoreService: Service {
    let store: any Store

    func run() async throws {
        try? await gracefulShutdown()
        await store.close()
    }
}

/// For `ocrchat doctor`: opens the PostgreSQL database at `url` as serve does (its tables made or
/// brought up to date), and returns how many jobs wait in its queue.
public func sharedQueueDepth(database url: String, answerWithin: Duration = .seconds(5), logger: Logger) async throws -> Int {
    let store = try await PostgresStore(url: url, maximumConnections: 1, answerWithin: answerWithin, logger: logger)
    do {
        let waiting = try await store.pendingCount()
        await store.close()
        return waiting
    } catch {
        await store.close()
        throw error
    }
}
