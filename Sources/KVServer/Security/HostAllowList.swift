import KVConfiguration

/// The names and addresses a request's `Host` (HTTP/2: `:authority`) may carry: `server.allowed_hosts`,
/// worked out once at start-up.
///
/// Without the setting and without tokens, only loopback names and addresses (`localhost`,
/// `127.0.0.0/8`, `[::1]`) and `server.host` are allowed, so a web page whose DNS name is
/// re-pointed at 127.0.0.1 cannot reach the API through a browser (DNS rebinding). With tokens
/// any host is allowed unless the setting lists some. Names compare case-insensitively; the port
/// is ignored; IPv6 addresses come in brackets.
struct HostAllowList: Sendable {
    private enum Mode: Sendable {
        case any
        /// Exactly these normalised hosts, and loopback ones when `loopback` is set.
        case listed(Set<String>, loopback: Bool)
    }

    private let mode: Mode

    init(configuration: KVStoreConfiguration) {
        let listed = configuration.server.allowedHosts
        if listed.contains("*") {
            mode = .any
        } else if !listed.isEmpty {
            mode = .listed(Set(listed.map(Self.normalized)), loopback: false)
        } else if !configuration.security.tokens.isEmpty {
            mode = .any
        } else {
            mode = .listed([Self.normalized(configuration.server.host)], loopback: true)
        }
    }

    /// Whether any host is allowed (then a missing `Host` is too).
    var allowsAny: Bool {
        if case .any = mode { return true }
        return false
    }

    /// Whether a request whose authority (`Host` header value) is `authority` may be served; nil (no `Host`) is not.
    func allows(authority: String?) -> Bool {
        switch mode {
        case .any:
            return true
        case .listed(let hosts, let loopback):
            guard let authority, let host = Self.host(ofAuthority: authority) else { return false }
            if hosts.contains(host) { return true }
            return loopback && LoopbackAddress.contains(host)
        }
    }

    /// The host of `host[:port]` or `[v6]:port`, normalised (lowercase, no brackets, no trailing dot);
    /// nil when malformed (empty, a bad port, user info, an unbracketed IPv6 address).
    static func host(ofAuthority authority: String) -> String? {
        var rest = Substring(authority)
        let host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            guard host.contains(":") else { return nil }
        } else {
            let colon = rest.firstIndex(of: ":") ?? rest.endIndex
            host = rest[..<colon]
            rest = rest[colon...]
        }
        if !rest.isEmpty {
            let port = rest.dropFirst()
            guard rest.first == ":", port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        }
        guard !host.isEmpty, !host.contains(where: { $0 == "@" || $0 == "/" || $0 == " " || $0 == "\\" }) else { return nil }
        return normalized(String(host))
    }

    /// A configured or presented host in the form they are compared in.
    static func normalized(_ host: String) -> String {
        var host = Substring(host.lowercased())
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        if host.count > 1, host.hasSuffix(".") { host = host.dropLast() }
        return String(host)
    }
}
