import Foundation
import GRDB

extension SQLiteStore {
    /// Runs SQLite's quick check (`PRAGMA quick_check`) and counts the jobs; a read, so safe beside
    /// a running server. Synchronous for `ocrchat doctor`, which reads the file where it lies.
    public func checkHealth() throws -> StoreHealth {
        try database.read { db in
            let integrity = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "no answer"
            var jobs: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, tier, COUNT(*) AS n FROM job GROUP BY status, tier") {
                jobs[row["status"], default: [:]][row["tier"]] = row["n"]
            }
            return StoreHealth(integrity: integrity, jobs: jobs)
        }
    }

    public func health() async throws -> StoreHealth { try checkHealth() }
}
