import Foundation
import GRDB

extension Store {
    /// What `ocrchat doctor` and `/metrics` read from the database: SQLite's own check of the
    /// file, and how many jobs there are in each status on each tier.
    public struct Health: Sendable, Equatable {
        /// `ok`, or the first problem `PRAGMA quick_check` found.
        public var integrity: String
        /// Jobs per (status, tier), e.g. `["done": ["cpu": 3]]`.
        public var jobs: [String: [String: Int]]
    }

    /// Runs SQLite's quick check and counts the jobs; a read, so safe beside a running server.
    public func health() throws -> Health {
        try database.read { db in
            let integrity = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "no answer"
            var jobs: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, tier, COUNT(*) AS n FROM job GROUP BY status, tier") {
                jobs[row["status"], default: [:]][row["tier"]] = row["n"]
            }
            return Health(integrity: integrity, jobs: jobs)
        }
    }
}
