import Foundation
import GRDB

extension SQLiteStore {
    public func createAccount(name: String, plan: AccountRecord.Plan, credits: Int) async throws -> (AccountRecord, token: String) {
        let (account, token) = AccountToken.account(name: name, plan: plan, credits: credits)
        try await database.write { db in try account.insert(db) }
        return (account, token)
    }

    @discardableResult
    public func revokeAccounts(matching nameOrToken: String) async throws -> Int {
        try await database.write { db in
            let hash = AccountToken.hash(nameOrToken)
            let matches = try AccountRecord
                .filter(Column("revoked_at") == nil)
                .filter(Column("token_hash") == hash || Column("name") == nameOrToken || Column("token_prefix") == nameOrToken)
                .fetchAll(db)
            for var account in matches {
                account.revokedAt = Date()
                try account.update(db)
            }
            return matches.count
        }
    }

    public func accounts() async throws -> [AccountRecord] {
        try await database.read { db in try AccountRecord.order(Column("created_at")).fetchAll(db) }
    }

    public func account(forToken token: String) async throws -> AccountRecord? {
        let hash = AccountToken.hash(token)
        let account = try await database.read { db in
            try AccountRecord.filter(Column("token_hash") == hash).filter(Column("revoked_at") == nil).fetchOne(db)
        }
        return AccountToken.verified(account, hash: hash)
    }
}
