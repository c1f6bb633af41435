import Foundation
import GRDB

extension SQLiteStore {
    /// At start: a password an earlier version stored in clear is sealed when its job still
    /// waits, and dropped when the job has ended; the WAL is then truncated. Returns how many were sealed.
    func sealClearPasswords(with vault: PasswordVault) async throws -> Int {
        let clear = try await database.read { db in
            try JobRecord.filter(Column("password") != nil && !Column("password").like(PasswordVault.prefix + "%")).fetchAll(db)
        }
        guard !clear.isEmpty else { return 0 }
        let sealed = try await database.write { db in
            var sealed = 0
            for job in clear {
                let waiting = job.status == .pending || job.status == .processing
                let value = try job.password.flatMap { waiting ? try vault.seal($0, job: job.uuid) : nil }
                try db.execute(sql: "UPDATE job SET password = ? WHERE uuid = ?", arguments: [value, job.uuid])
                if value != nil { sealed += 1 }
            }
            return sealed
        }
        try await truncateLog()
        return sealed
    }

    /// The data folder is the only copy of a job's files: this node is the only one.
    func saveFile(job uuid: String, name: String, contentsOf url: URL) async throws {}

    func loadFile(job uuid: String, name: String, to url: URL) async throws -> Bool { false }

    var sharedFolder: SharedFolder? { nil }

    /// Copies the WAL into the database and empties it, so that pages deleted rows were on (with
    /// `secure_delete`, zeroed in the database) do not live on in old WAL frames.
    func truncateLog() async throws {
        try await database.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
    }
}
