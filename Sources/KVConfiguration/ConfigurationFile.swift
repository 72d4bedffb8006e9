import Foundation
import Yams

/// Reads the YAML configuration file: top-level `environment` and one nested section per dotted prefix.
enum ConfigurationFile {
    /// The settings in the file at `path`; a missing or unreadable file is an error, an empty one is not.
    static func settings(atPath path: String) throws(ConfigurationError) -> [Setting] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigurationError(.fileNotFound, .file(path: path, line: nil), "file not found")
        }
        guard !isDirectory.boolValue else {
            throw ConfigurationError(.notAFile, .file(path: path, line: nil), "is a directory, expected a YAML file")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(.unreadableFile, .file(path: path, line: nil), "cannot read the file as UTF-8 text")
        }
        return try settings(fromYAML: text, path: path)
    }

    /// The settings in `text`, a YAML document; `path` names it in errors.
    static func settings(fromYAML text: String, path: String) throws(ConfigurationError) -> [Setting] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw syntaxError(error, path: path)
        }
        switch root {
        case nil:
            return []
        case .mapping(let mapping)?:
            var settings: [Setting] = []
            try collect(mapping, section: "", path: path, into: &settings)
            return settings
        case let node?:
            if case .null = rawSetting(node) { return [] }
            let expected = "a mapping with the keys " + ConfigurationKey.children(of: "").joined(separator: ", ")
            throw ConfigurationError(
                .invalidValue,
                .file(path: path, line: node.mark?.line),
                "invalid value \(rawSetting(node).display) for the whole file (expected \(expected))"
            )
        }
    }

    private static func collect(
        _ mapping: Node.Mapping,
        section: String,
        path: String,
        into settings: inout [Setting]
    ) throws(ConfigurationError) {
        for (keyNode, valueNode) in mapping {
            let source = ConfigurationSource.file(path: path, line: keyNode.mark?.line)
            let name = keyNode.scalar?.string ?? rawSetting(keyNode).display
            let dotted = section.isEmpty ? name : section + "." + name
            if let key = ConfigurationKey.named(dotted) {
                settings.append(Setting(key: key, value: rawSetting(valueNode), source: source))
            } else if ConfigurationKey.isSection(dotted) {
                switch valueNode {
                case .mapping(let nested):
                    try collect(nested, section: dotted, path: path, into: &settings)
                case _ where rawSetting(valueNode) == .null:
                    continue  // a section whose keys are all commented out
                default:
                    let expected = "a section with the keys " + ConfigurationKey.children(of: dotted).joined(separator: ", ")
                    throw ConfigurationError(
                        .invalidValue,
                        source,
                        "invalid value \(rawSetting(valueNode).display) for \(dotted) (expected \(expected))"
                    )
                }
            } else {
                throw .unknownKey(dotted, allowed: ConfigurationKey.allowedKeysDescription(in: section), source: source)
            }
        }
    }

    /// A YAML node as the value of a key.
    private static func rawSetting(_ node: Node) -> RawSetting {
        RawSetting(node)
    }

    /// A YAML syntax error on one line, with its position when Yams knows it.
    private static func syntaxError(_ error: any Error, path: String) -> ConfigurationError {
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _)?,
            .parser(let context, let problem, let mark, _)?,
            .composer(let context, let problem, let mark, _)?:
            let detail = context.map { " (\($0.text))" } ?? ""
            return ConfigurationError(
                .invalidYAML,
                .file(path: path, line: mark.line, column: mark.column),
                "invalid YAML: \(problem)\(detail)"
            )
        case .duplicatedKeysInMapping(let duplicates, let context)?:
            return ConfigurationError(
                .invalidYAML,
                .file(path: path, line: context.mark.line),
                "invalid YAML: duplicate key \(duplicates.joined(separator: ", "))"
            )
        case .reader(let problem, _, _, _)?:
            return ConfigurationError(.invalidYAML, .file(path: path, line: nil), "invalid YAML: \(problem)")
        default:
            let oneLine = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            return ConfigurationError(.invalidYAML, .file(path: path, line: nil), "invalid YAML: \(oneLine)")
        }
    }
}
