extension KVStoreConfiguration {
    /// Where the HTTP API listens.
    public struct Server: Sendable, Equatable {
        /// Key `server.host`: the address to bind.
        public var host: String
        /// Key `server.port`: the TCP port to bind; 0 picks a free one (for tests).
        public var port: Int
        /// Key `server.allowed_hosts`: the names and addresses a request's `Host` may carry (`*`: any);
        /// empty = the default (loopback names and `server.host` without tokens, any with tokens).
        public var allowedHosts: [String]

        public init(host: String = "127.0.0.1", port: Int = 8080, allowedHosts: [String] = []) {
            self.host = host
            self.port = port
            self.allowedHosts = allowedHosts
        }

        /// Whether `host` may be listed in `server.allowed_hosts`: `*`, a DNS name, an IPv4 address, or an
        /// IPv6 address (in brackets or not); no port, no path.
        public static func isValidAllowedHost(_ host: String) -> Bool {
            if host == "*" { return true }
            var name = Substring(host)
            if name.hasPrefix("["), name.hasSuffix("]") { name = name.dropFirst().dropLast() }
            guard !name.isEmpty, name.utf8.count <= 253 else { return false }
            if name.contains(":") {
                // IPv6: hex digits, colons and (for an embedded IPv4 address) dots.
                return name.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } && name.filter({ $0 == ":" }).count >= 2
            }
            guard !host.hasPrefix("[") else { return false }
            let labels = name.split(separator: ".", omittingEmptySubsequences: false)
            let lastIsRoot = labels.count > 1 && labels.last == ""
            return labels.dropLast(lastIsRoot ? 1 : 0).allSatisfy { label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            }
        }
    }
}
