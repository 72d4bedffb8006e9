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
    /// `Host` values allowed as they stand, checked by one hash lookup before any parsing: each
    /// listed host (and `localhost`, `127.0.0.1` and `[::1]` in loopback mode) bare and with each
    /// listener's port, kept only where the full check allows it too. Clients send one of these;
    /// parsing one cost 2,600 instructions a request (`scripts/bench/callgrind.sh`).
    private let allowedAsSent: Set<String>

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
        allowedAsSent = Self.allowedAsSent(mode, ports: [configuration.server.port] + (configuration.metrics.port.map { [$0] } ?? []))
    }

    private static func allowedAsSent(_ mode: Mode, ports: [Int]) -> Set<String> {
        guard case .listed(let hosts, let loopback) = mode else { return [] }
        let names = hosts.map { $0.contains(":") ? "[\($0)]" : $0 } + (loopback ? ["localhost", "127.0.0.1", "[::1]"] : [])
        let sent = names.flatMap { name in [name] + ports.filter { $0 > 0 }.map { "\(name):\($0)" } }
        return Set(sent.filter { allowsParsed(mode, authority: $0) })
    }

    /// Whether any host is allowed (then a missing `Host` is too).
    var allowsAny: Bool {
        if case .any = mode { return true }
        return false
    }

    /// Whether a request whose authority (`Host` header value) is `authority` may be served; nil (no `Host`) is not.
    func allows(authority: String?) -> Bool {
        if let authority, !allowedAsSent.isEmpty, allowedAsSent.contains(authority) { return true }
        return Self.allowsParsed(mode, authority: authority)
    }

    private static func allowsParsed(_ mode: Mode, authority: String?) -> Bool {
        switch mode {
        case .any:
            return true
        case .listed(let hosts, let loopback):
            guard let authority, let host = host(ofAuthority: authority) else { return false }
            if hosts.contains(host) { return true }
            return loopback && LoopbackAddress.contains(host)
        }
    }

    /// The host of `host[:port]` or `[v6]:port`, normalised (lowercase, no brackets, no trailing dot);
    /// nil when malformed (empty, a bad port, user info, an unbracketed IPv6 address).
    ///
    /// Read as UTF-8 bytes: every request's `Host` passes here (as Characters it cost 17,000
    /// instructions a request, 7% of the no-op route, in `scripts/bench/callgrind.sh`).
    static func host(ofAuthority authority: String) -> String? {
        let bytes = authority.utf8
        let hostBytes: Substring.UTF8View
        var rest: String.UTF8View.Index
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostBytes = Substring(authority)[bytes.index(after: bytes.startIndex)..<close].utf8
            rest = bytes.index(after: close)
            guard hostBytes.contains(UInt8(ascii: ":")) else { return nil }
        } else {
            rest = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            hostBytes = Substring(authority)[bytes.startIndex..<rest].utf8
        }
        if rest != bytes.endIndex {
            guard bytes[rest] == UInt8(ascii: ":") else { return nil }
            rest = bytes.index(after: rest)
            let port = bytes[rest...]
            guard port.count <= 5, port.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        }
        guard !hostBytes.isEmpty, !hostBytes.contains(where: Self.isRefusedInHost) else { return nil }
        return normalized(Substring(hostBytes))
    }

    private static func isRefusedInHost(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "@") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\\")
    }

    /// A configured or presented host in the form they are compared in.
    static func normalized(_ host: String) -> String {
        normalized(Substring(host))
    }

    private static func normalized(_ host: Substring) -> String {
        // Cut by bytes, not Characters (a combining mark after "[" or before "." would join them).
        var bytes = host.utf8[...]
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") { bytes = bytes.dropFirst().dropLast() }
        if bytes.count > 1, bytes.last == UInt8(ascii: ".") { bytes = bytes.dropLast() }
        let host = Substring(bytes)
        // An ASCII name without capitals (what clients send) is already in its compared form.
        if host.utf8.allSatisfy({ $0 < 0x80 && !($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) }) { return String(host) }
        return String(host).lowercased()
    }
}
