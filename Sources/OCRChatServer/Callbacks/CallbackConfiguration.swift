import Foundation

/// Completion callbacks (`callback_url` on an upload): which hosts the server may call, the key
/// it signs with, and how it retries. With no hosts listed (the default) the server calls nobody,
/// so that an upload cannot make it reach into the office's network.
public struct CallbackConfiguration: Sendable, Codable, Equatable {
    /// Hosts a callback may go to: `name`, or `name:port` for that port only. Compared with the
    /// URL's host as written (no lookup), case-insensitively.
    public var hosts: [String] = []
    /// The key of the HMAC-SHA256 signature in `X-OCRChat-Signature`; needed when hosts are listed.
    public var secret: String?
    /// Tries per callback before it is given up on.
    public var maxAttempts = 6
    /// Seconds before the second try; doubled after each failure (10 s: 10, 20, 40, 80, 160).
    public var firstRetrySeconds: Double = 10
    /// Longest one try may take, in seconds.
    public var timeoutSeconds: Double = 10

    public init() {}

    /// Whether callbacks are on at all.
    public var enabled: Bool { !hosts.isEmpty }

    /// Why these settings cannot serve, said before the server starts; nil when they can.
    public var problem: String? {
        guard enabled else { return nil }
        if (secret ?? "").isEmpty {
            return "callback hosts are listed but no callback secret is set (--callback-secret or OCRCHAT_CALLBACK_SECRET): receivers check each call's signature with it"
        }
        if let bad = hosts.first(where: { Self.parse(host: $0) == nil }) {
            return "the callback host '\(bad)' is not a host name or host:port"
        }
        if maxAttempts < 1 { return "callbacks' max_attempts must be 1 or more" }
        if firstRetrySeconds < 0 || timeoutSeconds <= 0 { return "callbacks' first_retry_seconds must be 0 or more and timeout_seconds positive" }
        return nil
    }

    /// The upload's `callback_url`, checked: an http(s) URL without credentials to a listed host;
    /// else a message for the 400.
    public func check(_ text: String) -> Result<URL, CallbackURLError> {
        guard enabled else {
            return .failure(CallbackURLError("this server makes no callbacks: its operator lists the hosts it may call with --callback-hosts"))
        }
        guard text.utf8.count <= 2048, let components = URLComponents(string: text), let url = components.url,
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host?.lowercased(), !host.isEmpty else {
            return .failure(CallbackURLError("callback_url must be an http or https URL"))
        }
        guard components.user == nil, components.password == nil else {
            return .failure(CallbackURLError("callback_url must not carry a user name or password"))
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        let allowed = hosts.compactMap(Self.parse(host:)).contains { entry in
            entry.host == host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) && (entry.port == nil || entry.port == port)
        }
        guard allowed else {
            return .failure(CallbackURLError("callback_url's host \(host):\(port) is not one this server may call (--callback-hosts)"))
        }
        return .success(url)
    }

    /// `name` or `name:port` (an IPv6 address in brackets), lowercased; nil when it is neither.
    static func parse(host entry: String) -> (host: String, port: Int?)? {
        let text = entry.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty, !text.contains("/"), !text.contains("@") else { return nil }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (host, nil) }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
            return (host, port)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (text, nil)
        case 2:
            guard !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
            return (String(parts[0]), port)
        default:
            return (text, nil)  // a bare IPv6 address
        }
    }

    enum CodingKeys: String, CodingKey {
        case hosts, secret
        case maxAttempts = "max_attempts"
        case firstRetrySeconds = "first_retry_seconds"
        case timeoutSeconds = "timeout_seconds"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try container.update(&hosts, forKey: .hosts)
        try container.update(&secret, forKey: .secret)
        try container.update(&maxAttempts, forKey: .maxAttempts)
        try container.update(&firstRetrySeconds, forKey: .firstRetrySeconds)
        try container.update(&timeoutSeconds, forKey: .timeoutSeconds)
    }
}

/// Why an upload's `callback_url` is refused.
public struct CallbackURLError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
