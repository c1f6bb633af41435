import Crypto
import Foundation
import Synchronization

/// Seals the PDF passwords of queued jobs, so that the database never holds one in clear.
///
/// The key is 32 random bytes in `DATA/password.key` (mode 600), made when the first password is
/// sealed, never in the database: a copy of the database (a backup, one sent along with a bug
/// report) holds only sealed passwords. Whoever can read the whole data folder can read the key
/// too; that is the operator, who can read the uploads anyway. The key stays across restarts, so
/// a queued job still opens its PDF after one; without it (removed, or another one) the job fails
/// and says why. Inline jobs never store a password: it stays in the request's memory.
/// Each password is sealed with ChaCha20-Poly1305 and bound to its job's uuid, so that a sealed
/// password copied to another job's row does not open.
final class PasswordVault: Sendable {
    /// Where the key is kept.
    let keyURL: URL
    private let key = Mutex<SymmetricKey?>(nil)

    /// The prefix that tells a sealed password from one an older version stored in clear.
    static let prefix = "sealed:v1:"

    init(folder: URL) {
        keyURL = folder.appendingPathComponent("password.key")
    }

    /// `password` sealed for the job `uuid`, as it is stored.
    func seal(_ password: String, job uuid: String) throws -> String {
        let box = try ChaChaPoly.seal(Data(password.utf8), using: try currentKey(create: true), authenticating: Data(uuid.utf8))
        return Self.prefix + box.combined.base64EncodedString()
    }

    /// The password sealed for `uuid`; throws when it cannot be opened (no key, another key).
    func open(_ sealed: String, job uuid: String) throws -> String {
        guard sealed.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(sealed.dropFirst(Self.prefix.count))) else {
            throw VaultError("the stored password is not sealed")
        }
        do {
            let box = try ChaChaPoly.SealedBox(combined: data)
            let opened = try ChaChaPoly.open(box, using: try currentKey(create: false), authenticating: Data(uuid.utf8))
            return String(decoding: opened, as: UTF8.self)
        } catch let error as VaultError {
            throw error
        } catch {
            throw VaultError("the password of this file could not be opened (\(keyURL.lastPathComponent) was replaced); upload it again")
        }
    }

    /// The key, read from its file (or made, when `create` and there is none yet).
    private func currentKey(create: Bool) throws -> SymmetricKey {
        try key.withLock { cached in
            if let cached { return cached }
            let fileManager = FileManager.default
            if let data = fileManager.contents(atPath: keyURL.path), data.count == 32 {
                cached = SymmetricKey(data: data)
                return cached!
            }
            guard create, !fileManager.fileExists(atPath: keyURL.path) else {
                throw VaultError("the password of this file cannot be opened: \(keyURL.lastPathComponent) is missing from the data folder; upload it again")
            }
            let made = SymmetricKey(size: .bits256)
            let bytes = made.withUnsafeBytes { Data($0) }
            // Created with mode 600 from the start (O_EXCL: never over another file), then synced,
            // before any password sealed with it is committed.
            let fd = Glibc.open(keyURL.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw VaultError("cannot create \(keyURL.path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count, fsync(fd) == 0 else {
                throw VaultError("cannot write \(keyURL.path): \(String(cString: strerror(errno)))")
            }
            cached = made
            return made
        }
    }
}

/// A password that cannot be sealed or opened, with a reason a user can act on.
struct VaultError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
