import Foundation
import KVStorage

extension ValueParser where Value == [PostgresOptions.Host] {
    /// `storage.postgres.hosts`: one or more `host:port` (`[v6]:port`; the port defaults to 5432), as a
    /// YAML list, or comma-separated in a variable or flag.
    static var postgresHosts: Self {
        Self(expected: "one or more host:port such as db1.example.com:5432 or [::1]:5432, comma-separated in a variable or flag") { raw in
            let items: [String]
            switch raw {
            case .list(let list): items = list
            case .text(let text): items = text.split(separator: ",").map(String.init)
            default: return nil
            }
            let hosts = items.map { $0.trimmingWhitespace() }.compactMap(parseHost)
            return hosts.count == items.count && !hosts.isEmpty ? hosts : nil
        } render: { $0.map(\.description).joined(separator: ", ") }
    }

    private static func parseHost(_ text: String) -> PostgresOptions.Host? {
        var host = text
        var port = 5432
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let parsed = Int(rest.dropFirst()) else { return nil }
                port = parsed
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            guard let parsed = Int(text[text.index(after: colon)...]) else { return nil }
            port = parsed
        }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }), (1...65535).contains(port) else { return nil }
        return PostgresOptions.Host(host: host, port: port)
    }
}

extension ValueParser where Value == String {
    /// `storage.postgres.schema`: a plain lower-case SQL identifier.
    static var postgresSchema: Self {
        Self(expected: "a lower-case SQL identifier (a-z, 0-9, _; not starting with a digit; at most 63 characters)") { raw in
            raw.trimmedText.flatMap { PostgresOptions.isValidSchema($0) ? $0 : nil }
        } render: { $0 }
    }

    /// `storage.postgres.password`: any non-empty text; errors and references show it masked.
    static var databasePassword: Self {
        Self(expected: "a non-empty password", parse: { raw throws(ValueProblem) in
            guard case .text(let text) = raw, !text.isEmpty else { throw ValueProblem(value: maskedValue, expected: "a non-empty password") }
            return text
        }, render: { _ in maskedValue })
    }

    /// `storage.postgres.password_file`: a readable file, whose content (trailing line breaks removed)
    /// is the password. Errors name the file, never its content.
    static var databasePasswordFile: Self {
        let expected = "a readable file holding the password (trailing line breaks are ignored)"
        return Self(expected: expected, parse: { raw throws(ValueProblem) in
            guard case .text(let path) = raw, !path.isEmpty else { throw ValueProblem(value: raw.display, expected: expected) }
            func problem(_ reason: String) -> ValueProblem { ValueProblem(value: path.debugDescription, expected: expected + "; " + reason) }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw problem("there is no such file") }
            guard !isDirectory.boolValue else { throw problem("it is a directory") }
            guard let data = FileManager.default.contents(atPath: path) else { throw problem("it cannot be read") }
            guard var text = String(data: data, encoding: .utf8) else { throw problem("it is not UTF-8 text") }
            while let last = text.last, last.isNewline { text.removeLast() }
            guard !text.isEmpty else { throw problem("it is empty") }
            return text
        }, render: { _ in maskedValue })
    }
}
