import Foundation
import GRDB

/// The server's persistence on one workstation: one SQLite database (WAL) in the data folder,
/// migrated on open.
///
/// Every change that must be exact under concurrent requests (claiming a job, charging an
/// allowance) happens inside one write transaction; SQLite serialises writers.
public final class SQLiteStore: Store {
    let database: DatabasePool

    /// Opens (creating if needed) `ocrchat.sqlite` in `directory` and brings its schema up to date.
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Deleted rows are overwritten with zeros, not left in free pages: purged text and
            // cleared passwords do not linger in the file (the WAL is truncated after purges).
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        database = try DatabasePool(path: directory.appendingPathComponent("ocrchat.sqlite").path,
                                    configuration: configuration)
        try Self.migrator.migrate(database)
    }

    /// Nothing to let go of before the last reference: the pool closes its connections when it goes.
    public func close() async {}

    /// Released migrations are never edited; a change of schema is a new migration.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: accounts, jobs, usage") { db in
            try db.create(table: "account") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("plan", .text).notNull()
                table.column("token_hash", .text).notNull().unique()
                table.column("token_prefix", .text).notNull()
                table.column("credits_total", .integer).notNull().defaults(to: 0)
                table.column("credits_used", .integer).notNull().defaults(to: 0)
                table.column("created_at", .datetime).notNull()
                table.column("revoked_at", .datetime)
            }
            try db.create(table: "job") { table in
                table.primaryKey("uuid", .text)
                table.column("account_id", .text).indexed()
                table.column("client_ip", .text).notNull()
                table.column("status", .text).notNull().indexed()
                table.column("tier", .text).notNull()
                table.column("language", .text).notNull()
                table.column("tool", .text)
                table.column("translate_to", .text)
                table.column("password", .text)
                table.column("file_name", .text).notNull()
                table.column("upload_path", .text)
                table.column("result_path", .text)
                table.column("page_count", .integer).notNull()
                table.column("pages_done", .integer).notNull().defaults(to: 0)
                table.column("error", .text)
                table.column("charged", .integer).notNull().defaults(to: 0)
                table.column("charge_key", .text)
                table.column("charge_period", .text)
                table.column("attempts", .integer).notNull().defaults(to: 0)
                table.column("created_at", .datetime).notNull()
                table.column("updated_at", .datetime).notNull()
                table.column("finished_at", .datetime)
            }
            try db.create(table: "usage") { table in
                table.column("key", .text).notNull()
                table.column("period", .text).notNull()
                table.column("pages", .integer).notNull()
                table.primaryKey(["key", "period"])
            }
        }
        migrator.registerMigration("v2: chat conversations and messages") { db in
            try db.create(table: "conversation") { table in
                table.primaryKey("id", .text)
                table.column("job_uuid", .text).notNull().indexed()
                    .references("job", column: "uuid", onDelete: .cascade)
                table.column("account_id", .text)
                table.column("created_at", .datetime).notNull()
                table.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "message") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("conversation_id", .text).notNull().indexed()
                    .references("conversation", column: "id", onDelete: .cascade)
                table.column("job_uuid", .text).notNull().indexed()
                table.column("role", .text).notNull()
                table.column("content", .text).notNull()
                table.column("citations", .text).notNull().defaults(to: "[]")
                table.column("created_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3: idempotency keys") { db in
            try db.alter(table: "job") { table in table.add(column: "idempotency_key", .text) }
            // One job per key and caller (an account, or an anonymous caller's address).
            try db.execute(sql: """
                CREATE UNIQUE INDEX job_idempotency ON job(COALESCE(account_id, 'ip:' || client_ip), idempotency_key)
                WHERE idempotency_key IS NOT NULL
                """)
        }
        migrator.registerMigration("v4: when a job's reading started, for its time left") { db in
            try db.alter(table: "job") { table in table.add(column: "started_at", .datetime) }
        }
        migrator.registerMigration("v5: claims with a node, an epoch and a lease") { db in
            try db.alter(table: "job") { table in
                table.add(column: "node", .text)
                table.add(column: "epoch", .integer).notNull().defaults(to: 0)
                table.add(column: "lease_expires_at", .datetime)
            }
        }
        migrator.registerMigration("v6: completion callbacks, pages and mode") { db in
            try db.alter(table: "job") { table in
                table.add(column: "page_selection", .text)
                table.add(column: "text_layer", .text)
            }
            try db.create(table: "job_callback") { table in
                table.primaryKey("job_uuid", .text).references("job", column: "uuid", onDelete: .cascade)
                table.column("url", .text).notNull()
                table.column("attempts", .text).notNull().defaults(to: "[]")
                table.column("due_at", .datetime)
                table.column("closed", .boolean).notNull().defaults(to: false)
            }
        }
        return migrator
    }
}
