import Foundation

extension KVStoreConfiguration.Security {
    /// What error messages, `value(forKey:)` and descriptions show in place of a secret.
    public static let maskedSecret = "********"

    /// The fewest characters a token's secret may have.
    public static let minimumSecretLength = 16

    /// Whether `secret` may be a token's secret: at least ``minimumSecretLength`` characters, each a
    /// visible ASCII character (no spaces or control characters), so that it travels unchanged in an
    /// `Authorization: Bearer` header.
    public static func isValidSecret(_ secret: String) -> Bool {
        secret.unicodeScalars.count >= minimumSecretLength && secret.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) }
    }

    /// Whether `origin` may be listed in `security.cors_origins`: `*`, or `http://` or `https://` with a
    /// host and optionally a port, and no path (not even `/`), query or user.
    public static func isValidOrigin(_ origin: String) -> Bool {
        if origin == "*" { return true }
        guard !origin.contains(where: \.isWhitespace), let components = URLComponents(string: origin),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.path.isEmpty, components.query == nil, components.fragment == nil,
            components.user == nil, components.password == nil,
            components.port.map({ (1...65535).contains($0) }) ?? true
        else { return false }
        return true
    }
}

// Tokens print and reflect with their secret masked, so that no log line or dump shows it.
extension KVStoreConfiguration.Security.Token: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        let origin = secretFile.map { "secretFile: \($0.debugDescription)" } ?? "secret: \(KVStoreConfiguration.Security.maskedSecret)"
        return "Token(name: \(name.debugDescription), \(origin), role: \(role.rawValue))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "name": name, "secret": secret.map { _ in KVStoreConfiguration.Security.maskedSecret } as Any,
                "secretFile": secretFile as Any, "role": role,
            ],
            displayStyle: .struct
        )
    }
}

extension ValueParser where Value == String {
    /// A token's secret; errors never show it.
    static var secret: Self {
        let minimum = KVStoreConfiguration.Security.minimumSecretLength
        return Self(expected: "a secret of at least \(minimum) characters, each a visible ASCII character (no spaces)", parse: {
            raw throws(ValueProblem) in
            guard case .text(let text) = raw, KVStoreConfiguration.Security.isValidSecret(text) else {
                throw ValueProblem(value: maskedValue, expected: ValueParser<String>.secret.expected)
            }
            return text
        }, render: { _ in maskedValue })
    }

    /// A file holding a token's secret, read now; the value is the secret, with trailing line breaks removed.
    /// Errors name the file, never its content.
    static var secretFile: Self {
        let expected = "a readable file holding a secret of at least \(KVStoreConfiguration.Security.minimumSecretLength) "
            + "visible ASCII characters (no spaces; trailing line breaks are ignored)"
        return Self(expected: expected, parse: { raw throws(ValueProblem) in
            guard case .text(let path) = raw, !path.isEmpty else {
                throw ValueProblem(value: raw.display, expected: expected)
            }
            func problem(_ reason: String) -> ValueProblem {
                ValueProblem(value: path.debugDescription, expected: expected + "; " + reason)
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw problem("there is no such file")
            }
            guard !isDirectory.boolValue else { throw problem("it is a directory") }
            guard let data = FileManager.default.contents(atPath: path) else { throw problem("it cannot be read") }
            guard var text = String(data: data, encoding: .utf8) else { throw problem("it is not UTF-8 text") }
            while let last = text.last, last.isNewline { text.removeLast() }
            guard !text.isEmpty else { throw problem("it is empty") }
            guard KVStoreConfiguration.Security.isValidSecret(text) else {
                throw problem("its content is not such a secret")
            }
            return text
        }, render: { _ in maskedValue })
    }

    /// A path to a file that exists and can be read now.
    static func readableFile(_ what: String) -> Self {
        let expected = "a path to a readable \(what) file, or empty for none"
        return Self(expected: expected, parse: { raw throws(ValueProblem) in
            guard case .text(let path) = raw, !path.isEmpty else {
                throw ValueProblem(value: raw.display, expected: expected)
            }
            var isDirectory: ObjCBool = false
            let reason: String
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                reason = "there is no such file"
            } else if isDirectory.boolValue {
                reason = "it is a directory"
            } else if !FileManager.default.isReadableFile(atPath: path) {
                reason = "it cannot be read"
            } else {
                return path
            }
            throw ValueProblem(value: path.debugDescription, expected: expected + "; " + reason)
        }, render: { $0 })
    }
}

extension ValueParser {
    /// `wrapped`, or none: YAML null or an empty string (in a variable or flag, an empty value).
    static func optional<Wrapped>(_ wrapped: ValueParser<Wrapped>, expected: String? = nil) -> Self where Value == Wrapped? {
        Self(expected: expected ?? wrapped.expected, parse: { raw throws(ValueProblem) in
            if raw == .null || raw.trimmedText == "" { return nil }
            do throws(ValueProblem) {
                return try wrapped.parse(raw)
            } catch {
                var problem = error
                if let expected, problem.path.isEmpty, problem.kind == .invalidValue { problem.expected = expected }
                throw problem
            }
        }, render: { $0.map(wrapped.render) ?? "" })
        .withNumericFields(wrapped.numericFields.map { field in
            NumericField(path: field.path, range: field.range, allowsEmpty: true, value: field.value)
        })
    }
}

extension ValueParser where Value == [String] {
    /// `security.cors_origins`: a YAML sequence, or in a variable or flag comma-separated text or a JSON list.
    static var origins: Self {
        Self(expected: "a list of origins such as https://example.com or http://127.0.0.1:3000 (scheme, host, "
            + "optional port, no path), or * alone for any origin; comma-separated in a variable or flag") { raw in
            guard let items = listItems(raw), items.allSatisfy(KVStoreConfiguration.Security.isValidOrigin) else { return nil }
            if items.contains("*") && items.count > 1 { return nil }
            return items
        } render: { $0.joined(separator: ", ") }
    }

    /// `server.allowed_hosts`: like `security.cors_origins`, a list of host names or addresses (no port), or `*`.
    static var allowedHosts: Self {
        Self(expected: "a list of host names or addresses such as kv.example.com, 10.0.0.5 or [::1] (no port), "
            + "* for any, or empty for the default; comma-separated in a variable or flag") { raw in
            guard let items = listItems(raw), items.allSatisfy(KVStoreConfiguration.Server.isValidAllowedHost) else { return nil }
            return items
        } render: { $0.joined(separator: ", ") }
    }

    /// The items of a list setting: a YAML sequence, or in a variable or flag comma-separated text or a JSON
    /// list; trimmed. Nil for anything else.
    private static func listItems(_ raw: RawSetting) -> [String]? {
        var items: [String]
        switch raw {
        case .null: items = []
        case .list(let list): items = list
        case .text(let text):
            let trimmed = text.trimmingWhitespace()
            if trimmed.hasPrefix("[") {
                switch RawSetting.parsingYAML(trimmed) {
                case .list(let list)?: items = list
                default: return nil
                }
            } else {
                items = trimmed.isEmpty ? [] : trimmed.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
        case .sequence, .mapping, .unsupported: return nil
        }
        return items.map { $0.trimmingWhitespace() }
    }
}

extension ValueParser where Value == [KVStoreConfiguration.Security.Token] {
    typealias Token = KVStoreConfiguration.Security.Token

    static var tokenKeys: [String] { ["name", "secret", "secret_file", "role"] }

    /// `security.tokens`. Secrets never appear in errors or the rendered value, and since the value as a
    /// whole may hold secrets, errors about the whole value do not show it either.
    static func tokens(key: String) -> Self {
        .mappingList(
            key: key,
            noun: "token",
            expected: "a list of mappings, each with the keys name and role and exactly one of secret or "
                + "secret_file; JSON text in a variable or flag",
            entryKeys: tokenKeys,
            masksValues: true,
            unique: [UniqueField(key: "name", value: \.name), UniqueField(key: "secret", value: \.secret, isSecret: true)],
            parseEntry: parseToken,
            renderEntry: renderToken
        )
    }

    private static func parseToken(_ fields: [RawField], allowed: String) throws(ValueProblem) -> Token {
        var name: String?
        var secret: String?
        var secretFile: (secret: String, field: RawField)?
        var role: KVStoreConfiguration.Security.Role?
        for field in fields {
            switch field.name {
            case "name": name = try parseField(field, ValueParser<String>.identifier)
            case "secret": secret = try parseField(field, ValueParser<String>.secret)
            case "secret_file":
                let contents = try parseField(field, ValueParser<String>.secretFile)
                secretFile = (contents, field)
            case "role": role = try parseField(field, ValueParser<KVStoreConfiguration.Security.Role>.oneOf)
            default: throw unknownField(field, allowed: allowed)
            }
        }
        guard let name else { throw missingField("name", expected: ValueParser<String>.identifier.expected) }
        if let secretFile, secret != nil {
            throw ValueProblem(
                value: secretFile.field.value.display,
                expected: "exactly one of secret or secret_file; this token has both",
                path: ".secret_file", line: secretFile.field.line
            )
        }
        guard secret != nil || secretFile != nil else {
            throw missingField(
                "secret",
                expected: "exactly one of secret (\(ValueParser<String>.secret.expected)) or secret_file (a file holding it)"
            )
        }
        guard let role else {
            throw missingField("role", expected: ValueParser<KVStoreConfiguration.Security.Role>.oneOf.expected)
        }
        if let secretFile, case .text(let path) = secretFile.field.value {
            return Token(name: name, secret: secretFile.secret, secretFile: path, role: role)
        }
        return Token(name: name, secret: secret, role: role)
    }

    /// One token as a JSON object: its name, `secret_file` when the secret came from a file, else the masked
    /// secret, and its role.
    private static func renderToken(_ token: Token) -> String {
        var members = [("name", jsonString(token.name))]
        if let file = token.secretFile {
            members.append(("secret_file", jsonString(file)))
        } else {
            members.append(("secret", jsonString(maskedValue)))
        }
        members.append(("role", jsonString(token.role.rawValue)))
        return jsonObject(members)
    }
}
