import Foundation
import GRDB

extension SQLiteStore {
    /// An account's jobs, newest first, at most `limit`.
    func jobs(ofAccount accountID: String, limit: Int) async throws -> [JobRecord] {
        try await database.read { db in
            try JobRecord.filter(Column("account_id") == accountID)
                .order(Column("created_at").desc, Column("uuid")).limit(limit).fetchAll(db)
        }
    }
}
