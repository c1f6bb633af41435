import Foundation
import NIOCore

/// The operator's single-user mode: one local account whose token the web page receives without
/// anyone typing it.
///
/// Safety: the server refuses the mode unless it listens on loopback only, and hands the token out
/// only to a loopback peer that named a loopback host (so a web site rebinding its own name to
/// 127.0.0.1 cannot read it). The token is kept in the data folder, readable by its owner only,
/// so it survives restarts and scripts on the workstation can use it too.
enum SingleUserAccount {
    static let accountName = "local (single-user)"

    /// The local account's token: the one kept in the data folder while it is still valid, else a new
    /// account's. Throws when the server would listen beyond loopback.
    static func token(configuration: ServerConfiguration, store: any Store, folders: DataFolders) async throws -> String {
        guard isLoopbackHost(configuration.host) else {
            throw SingleUserModeError(host: configuration.host)
        }
        let file = folders.root.appendingPathComponent("single-user.token")
        if let saved = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           !saved.isEmpty, try await store.account(forToken: saved) != nil {
            return saved
        }
        let (_, token) = try await store.createAccount(name: accountName, plan: .free, credits: 0)
        FileManager.default.createFile(atPath: file.path, contents: Data((token + "\n").utf8),
                                       attributes: [.posixPermissions: 0o600])
        return token
    }

    /// Whether a host name or address (as configured, or from a Host header without its port) is loopback.
    static func isLoopbackHost(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if name == "localhost" || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Whether the peer's address is loopback.
    static func isLoopbackPeer(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress?.lowercased() else { return false }
        if ip.hasPrefix("::ffff:") { return isLoopbackHost(String(ip.dropFirst(7))) }
        return isLoopbackHost(ip)
    }

    /// The host part of a Host header (`127.0.0.1:8080`, `[::1]:8080`, `localhost`).
    static func hostName(ofAuthority authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<end])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
    }
}

/// Single-user mode asked for on an address other machines can reach.
public struct SingleUserModeError: Error, CustomStringConvertible {
    public let host: String

    public init(host: String) {
        self.host = host
    }

    public var description: String {
        "single-user mode signs in whoever opens the page, so it only listens on loopback (127.0.0.1, ::1 or localhost), not \(host)"
    }
}

extension ServerConfiguration {
    /// Whether the server listens on loopback only, which single-user mode requires.
    public var listensOnLoopbackOnly: Bool { SingleUserAccount.isLoopbackHost(host) }
}
