import Crypto
import Foundation
import GRDB

extension Store {
    /// Creates an account and returns it with its token, which is shown once and stored only hashed.
    public func createAccount(name: String, plan: AccountRecord.Plan, credits: Int) throws -> (AccountRecord, token: String) {
        let token = Self.newToken()
        let account = AccountRecord(id: UUID().uuidString.lowercased(), name: name, plan: plan,
                                    tokenHash: Self.hash(token), tokenPrefix: String(token.prefix(10)),
                                    creditsTotal: credits, creditsUsed: 0, createdAt: Date(), revokedAt: nil)
        try database.write { db in try account.insert(db) }
        return (account, token)
    }

    /// Revokes the accounts that match `nameOrToken` (the token itself, its prefix as listed, or the
    /// account name); returns how many were revoked.
    @discardableResult
    public func revokeAccounts(matching nameOrToken: String) throws -> Int {
        try database.write { db in
            let hash = Self.hash(nameOrToken)
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

    /// Every account, oldest first.
    public func accounts() throws -> [AccountRecord] {
        try database.read { db in try AccountRecord.order(Column("created_at")).fetchAll(db) }
    }

    /// The live account a token belongs to, or nil for an unknown or revoked token.
    ///
    /// The lookup is by the token's SHA-256, so what the index compares is a hash the caller cannot
    /// steer byte by byte; the hash found is then compared again in constant time, so that no
    /// step of the check takes longer the closer a guess comes.
    public func account(forToken token: String) throws -> AccountRecord? {
        let hash = Self.hash(token)
        let account = try database.read { db in
            try AccountRecord.filter(Column("token_hash") == hash).filter(Column("revoked_at") == nil).fetchOne(db)
        }
        guard let account, ConstantTime.equals(account.tokenHash, hash) else { return nil }
        return account
    }

    /// A token with 256 random bits, URL-safe.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "ocr_" + base64
    }

    /// SHA-256 of the token, hex: what is stored and looked up.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
