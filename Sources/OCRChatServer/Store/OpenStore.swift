import Foundation
import Logging

/// The store the configuration names: SQLite in the data folder.
func openStore(configuration: ServerConfiguration, logger: Logger) async throws -> any Store {
    try SQLiteStore(directory: configuration.dataURL)
}
