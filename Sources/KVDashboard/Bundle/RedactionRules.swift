import Foundation

/// What `bundle --redact FILE` removes from the copied snapshots before the page is built from
/// them, so that a bundle can leave the company.
///
/// The file holds one rule per line (blank lines and `#` comments aside):
///
///     host  REGEX         host names: every match in every string of a snapshot
///     path  REGEX         file paths: likewise
///     label NAME=REGEX    values of the label NAME (metric samples and alerts) that match, whole
///
/// REGEX is a regular expression (ICU syntax, as `NSRegularExpression` reads it). Each distinct
/// matched text becomes `host-1`, `host-2`, ... (`path-N`, `NAME-N`) in order of first appearance,
/// the same text always the same replacement, so that two hosts stay two hosts. Strings are every
/// value of the snapshot's JSON and the names of its health checks (keys of `health.checks`). One
/// instance numbers what it replaced across every file it redacts: use one per bundle.
public final class RedactionRules: @unchecked Sendable {
    enum Kind: Equatable {
        case host, path
        case label(String)

        var token: String {
            switch self {
            case .host: "host"
            case .path: "path"
            case .label(let name): name
            }
        }
    }

    struct Rule {
        var kind: Kind
        var pattern: NSRegularExpression
    }

    let rules: [Rule]
    /// Each rule kind's replacements so far, by matched text.
    private var replacements: [String: [String: String]] = [:]
    private let lock = NSLock()

    /// Parses the rules file's text; `file` names it in errors (`FILE:LINE: reason`).
    public init(parsing text: String, file: String) throws {
        var rules: [Rule] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let where_ = "\(file):\(index + 1)"
            let parts = line.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw DashboardError.input("\(where_): expected 'host REGEX', 'path REGEX' or 'label NAME=REGEX'")
            }
            let kind: Kind
            var pattern = parts[1]
            switch parts[0] {
            case "host": kind = .host
            case "path": kind = .path
            case "label":
                guard let equals = pattern.firstIndex(of: "="), equals != pattern.startIndex else {
                    throw DashboardError.input("\(where_): expected 'label NAME=REGEX'")
                }
                kind = .label(String(pattern[..<equals]))
                pattern = String(pattern[pattern.index(after: equals)...])
            default:
                throw DashboardError.input("\(where_): unknown rule '\(parts[0])' (host, path or label)")
            }
            do {
                rules.append(Rule(kind: kind, pattern: try NSRegularExpression(pattern: pattern)))
            } catch {
                throw DashboardError.input("\(where_): not a regular expression: \(pattern)")
            }
        }
        guard !rules.isEmpty else { throw DashboardError.input("\(file): no rules") }
        self.rules = rules
    }

    /// Reads and parses a rules file.
    public convenience init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DashboardError.input("--redact \(path): cannot read the file")
        }
        try self.init(parsing: String(decoding: data, as: UTF8.self), file: path)
    }

    /// The snapshot JSON `data` with every rule applied; the result is JSON again.
    func redact(json data: Data) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: data)
        return try JSONSerialization.data(withJSONObject: redact(object, key: nil), options: [.sortedKeys])
    }

    /// `text` with the `host` and `path` rules applied (for file names and messages outside a snapshot).
    func redact(_ text: String) -> String {
        var text = text
        for rule in rules where rule.kind == .host || rule.kind == .path {
            text = replace(rule, in: text)
        }
        return text
    }

    private func redact(_ value: Any, key: String?, labels: Bool = false) -> Any {
        switch value {
        case let text as String:
            var text = redact(text)
            if labels, let key {
                for rule in rules where rule.kind == .label(key) { text = replaceWhole(rule, text) }
            }
            return text
        case let array as [Any]:
            return array.map { redact($0, key: nil) }
        case let object as [String: Any]:
            var result: [String: Any] = [:]
            // In key order, so that the numbering (`host-1`, `host-2`) is the same from run to run.
            for (name, inner) in object.sorted(by: { $0.key < $1.key }) {
                // Check names are keys of health.checks; label sets are the objects under "labels".
                let renamed = key == "checks" ? redact(name) : name
                result[renamed] = redact(inner, key: name, labels: key == "labels")
            }
            return result
        default:
            return value
        }
    }

    private func replace(_ rule: Rule, in text: String) -> String {
        let matches = rule.pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard !matches.isEmpty else { return text }
        var result = text
        for match in matches.reversed() {
            guard let range = Range(match.range, in: result), !range.isEmpty else { continue }
            result.replaceSubrange(range, with: replacement(for: String(result[range]), of: rule.kind))
        }
        return result
    }

    private func replaceWhole(_ rule: Rule, _ text: String) -> String {
        guard rule.pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else { return text }
        return replacement(for: text, of: rule.kind)
    }

    private func replacement(for text: String, of kind: Kind) -> String {
        lock.lock()
        defer { lock.unlock() }
        let token = kind.token
        if let known = replacements[token]?[text] { return known }
        let made = "\(token)-\((replacements[token]?.count ?? 0) + 1)"
        replacements[token, default: [:]][text] = made
        return made
    }
}
