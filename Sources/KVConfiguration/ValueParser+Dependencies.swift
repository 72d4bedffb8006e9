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
        let expected = "a list of mappings, each with the keys name and url and optionally critical, "
            + "timeout_seconds and expected_status; JSON text in a variable or flag"
        return Self(expected: expected, parse: { raw throws(ValueProblem) in
            let whole = ValueProblem(value: raw.display, expected: expected)
            let items: [RawSetting]
            switch raw {
            case .text(let text):
                // A variable or a flag (or a quoted string in the file): parse it as JSON / YAML.
                switch RawSetting.parsingYAML(text) {
                case .null?: items = []
                case .list(let scalars)?: items = scalars.map(RawSetting.text)
                case .sequence(let sequence)?: items = sequence
                default: throw whole
                }
            case .null: items = []
            case .list(let scalars): items = scalars.map(RawSetting.text)
            case .sequence(let sequence): items = sequence
            case .mapping, .unsupported: throw whole
            }

            var dependencies: [KVStoreConfiguration.Health.Dependency] = []
            for (index, item) in items.enumerated() {
                let path = "[\(index)]"
                guard case .mapping(let fields, let line) = item else {
                    throw ValueProblem(
                        value: item.display,
                        expected: "a mapping with the keys " + dependencyKeys.joined(separator: ", "),
                        path: path
                    )
                }
                let dependency: KVStoreConfiguration.Health.Dependency
                do throws(ValueProblem) {
                    dependency = try parseDependency(fields, allowed: "allowed keys in \(key)\(path): "
                        + dependencyKeys.joined(separator: ", "))
                } catch {
                    throw error.nested(in: path, line: line)
                }
                if let first = dependencies.firstIndex(where: { $0.name == dependency.name }) {
                    throw ValueProblem(
                        value: dependency.name.debugDescription,
                        expected: "a name no other dependency has; \(key)[\(first)] has it",
                        path: path + ".name",
                        line: fields.first { $0.name == "name" }?.line ?? line
                    )
                }
                dependencies.append(dependency)
            }
            return dependencies
        }, render: { dependencies in
            "[" + dependencies.map(renderJSON).joined(separator: ",") + "]"
        })
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
            do throws(ValueProblem) {
                switch field.name {
                case "name": name = try ValueParser<String>.identifier.parse(field.value)
                case "url": url = try ValueParser<String>.httpURL.parse(field.value)
                case "critical": critical = try ValueParser<Bool>.boolean.parse(field.value)
                case "timeout_seconds":
                    // Null, like leaving the key out, uses health.timeout_seconds.
                    timeoutSeconds = field.value == .null ? nil : try ValueParser<Double>.positiveNumber.parse(field.value)
                case "expected_status":
                    expectedStatus = try ValueParser<Int>.integer(from: 100, to: 599).parse(field.value)
                default:
                    throw ValueProblem(value: field.name, expected: "", kind: .unknownKey(allowed: allowed))
                }
            } catch {
                throw error.nested(in: "." + field.name, line: field.line)
            }
        }
        guard let name else {
            throw ValueProblem(value: "", expected: ValueParser<String>.identifier.expected, path: ".name", kind: .missingKey)
        }
        guard let url else {
            throw ValueProblem(value: "", expected: ValueParser<String>.httpURL.expected, path: ".url", kind: .missingKey)
        }
        return .init(
            name: name, url: url, critical: critical, timeoutSeconds: timeoutSeconds, expectedStatus: expectedStatus
        )
    }

    /// One dependency as a JSON object, keys in ``dependencyKeys`` order; no `timeout_seconds` when it has none.
    private static func renderJSON(_ dependency: KVStoreConfiguration.Health.Dependency) -> String {
        var members = [
            "\"name\":" + jsonString(dependency.name),
            "\"url\":" + jsonString(dependency.url),
            "\"critical\":" + String(dependency.critical),
        ]
        if let timeout = dependency.timeoutSeconds {
            members.append("\"timeout_seconds\":" + formatNumber(timeout))
        }
        members.append("\"expected_status\":" + String(dependency.expectedStatus))
        return "{" + members.joined(separator: ",") + "}"
    }

    private static func jsonString(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
