import Foundation

extension ValueParser where Value == String {
    /// An absolute `http://` URL with a host (and a port from 1 to 65535, if it has one).
    static var httpURL: Self {
        Self(expected: "an http:// URL with a host, such as http://127.0.0.1:9000/health") { raw in
            guard let text = raw.trimmedText, !text.contains(where: \.isWhitespace),
                let components = URLComponents(string: text),
                components.scheme?.lowercased() == "http",
                let host = components.host, !host.isEmpty,
                components.port.map({ (1...65535).contains($0) }) ?? true
            else { return nil }
            return text
        } render: { $0 }
    }
}

extension ValueParser where Value == [KVStoreConfiguration.Health.Dependency] {
    /// The keys of one dependency, in the order the reference and the rendered value use.
    static var dependencyKeys: [String] { ["name", "url", "critical", "timeout_seconds", "expected_status"] }

    /// A list of HTTP dependencies: in a file a sequence of mappings, in a variable or flag the same as
    /// JSON (or YAML flow) text. Problems name the entry and its key: `health.dependencies[2].nmae`.
    static func dependencies(key: String) -> Self {
        .mappingList(
            key: key,
            noun: "dependency",
            expected: "a list of mappings, each with the keys name and url and optionally critical, "
                + "timeout_seconds and expected_status; JSON text in a variable or flag",
            entryKeys: dependencyKeys,
            unique: [UniqueField(key: "name", value: \.name)],
            parseEntry: parseDependency,
            renderEntry: renderJSON
        )
        .withNumericFields(
            NumericField.inListEntry("timeout_seconds", ValueParser<Double>.seconds, entry: numericFieldEntry)
                + NumericField.inListEntry("expected_status", expectedStatusParser, entry: numericFieldEntry)
        )
    }

    /// `expected_status`: an HTTP status code.
    private static var expectedStatusParser: ValueParser<Int> { .integer(from: 100, to: 599) }

    /// A valid dependency, for the numbers that ``NumericField/inListEntry(_:_:entry:)`` adds to it.
    private static var numericFieldEntry: [(String, String)] {
        [("name", jsonString("upstream")), ("url", jsonString("http://127.0.0.1:9/health"))]
    }

    private static func parseDependency(
        _ fields: [RawField],
        allowed: String
    ) throws(ValueProblem) -> KVStoreConfiguration.Health.Dependency {
        var name: String?
        var url: String?
        var critical = false
        var timeoutSeconds: Double?
        var expectedStatus = 200
        for field in fields {
            switch field.name {
            case "name": name = try parseField(field, ValueParser<String>.identifier)
            case "url": url = try parseField(field, ValueParser<String>.httpURL)
            case "critical": critical = try parseField(field, ValueParser<Bool>.boolean)
            case "timeout_seconds":
                // Null, like leaving the key out, uses health.timeout_seconds.
                timeoutSeconds = field.value == .null ? nil : try parseField(field, ValueParser<Double>.seconds)
            case "expected_status":
                expectedStatus = try parseField(field, expectedStatusParser)
            default:
                throw unknownField(field, allowed: allowed)
            }
        }
        guard let name else { throw missingField("name", expected: ValueParser<String>.identifier.expected) }
        guard let url else { throw missingField("url", expected: ValueParser<String>.httpURL.expected) }
        return .init(
            name: name, url: url, critical: critical, timeoutSeconds: timeoutSeconds, expectedStatus: expectedStatus
        )
    }

    /// One dependency as a JSON object, keys in ``dependencyKeys`` order; no `timeout_seconds` when it has none.
    private static func renderJSON(_ dependency: KVStoreConfiguration.Health.Dependency) -> String {
        var members = [
            ("name", jsonString(dependency.name)),
            ("url", jsonString(dependency.url)),
            ("critical", String(dependency.critical)),
        ]
        if let timeout = dependency.timeoutSeconds {
            members.append(("timeout_seconds", formatNumber(timeout)))
        }
        members.append(("expected_status", String(dependency.expectedStatus)))
        return jsonObject(members)
    }
}
