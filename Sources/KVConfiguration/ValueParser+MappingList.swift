/// A field of a list entry whose value no two entries may share, e.g. a dependency's `name`.
struct UniqueField<Element>: Sendable {
    /// The entry key, e.g. `name`; errors point at it.
    let key: String
    /// The entry's value of that field, or `nil` when it has none.
    let value: @Sendable (Element) -> String?
    /// Whether the value is a secret: errors then show ``maskedValue`` instead.
    var isSecret = false
}

/// How errors show a value that must not be shown (a secret, or text that may hold one).
let maskedValue = KVStoreConfiguration.Security.maskedSecret

extension ValueParser {
    /// A list of mappings: in a file a YAML sequence of mappings, in a variable or flag the same as JSON
    /// (or YAML flow) text; an empty value, `[]` or `null` is the empty list. Problems name the entry,
    /// counted from 0, and its key: `health.dependencies[2].nmae`.
    ///
    /// - Parameters:
    ///   - key: the dotted key, for the allowed-keys list in errors.
    ///   - noun: one entry, as "a name no other *dependency* has" reads.
    ///   - entryKeys: the keys an entry may have, in the order errors list them.
    ///   - masksValues: whether the whole value and non-mapping entries are hidden in errors (they may hold secrets).
    ///   - unique: fields no two entries may share.
    ///   - parseEntry: one entry from its fields; `allowed` is the text for an unknown key's error.
    ///   - renderEntry: one entry as a JSON object.
    static func mappingList<Element: Sendable>(
        key: String,
        noun: String,
        expected: String,
        entryKeys: [String],
        masksValues: Bool = false,
        unique: [UniqueField<Element>] = [],
        parseEntry: @escaping @Sendable (_ fields: [RawField], _ allowed: String) throws(ValueProblem) -> Element,
        renderEntry: @escaping @Sendable (Element) -> String
    ) -> Self where Value == [Element] {
        Self(expected: expected, parse: { raw throws(ValueProblem) in
            let whole = ValueProblem(value: masksValues ? maskedValue : raw.display, expected: expected)
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

            var elements: [Element] = []
            for (index, item) in items.enumerated() {
                let path = "[\(index)]"
                guard case .mapping(let fields, let line) = item else {
                    throw ValueProblem(
                        value: masksValues ? maskedValue : item.display,
                        expected: "a mapping with the keys " + entryKeys.joined(separator: ", "),
                        path: path
                    )
                }
                let element: Element
                do throws(ValueProblem) {
                    element = try parseEntry(fields, "allowed keys in \(key)\(path): " + entryKeys.joined(separator: ", "))
                } catch {
                    throw error.nested(in: path, line: line)
                }
                for field in unique {
                    guard let value = field.value(element),
                        let first = elements.firstIndex(where: { field.value($0) == value })
                    else { continue }
                    throw ValueProblem(
                        value: field.isSecret ? maskedValue : value.debugDescription,
                        expected: "a \(field.key) no other \(noun) has; \(key)[\(first)] has it",
                        path: path + "." + field.key,
                        line: fields.first { $0.name == field.key }?.line ?? line
                    )
                }
                elements.append(element)
            }
            return elements
        }, render: { elements in
            "[" + elements.map(renderEntry).joined(separator: ",") + "]"
        })
    }
}

/// Parses one field of a list entry, so that its problem names the field (`.url`) and its line.
func parseField<Value>(_ field: RawField, _ parser: ValueParser<Value>) throws(ValueProblem) -> Value {
    do {
        return try parser.parse(field.value)
    } catch {
        throw error.nested(in: "." + field.name, line: field.line)
    }
}

/// The problem of an entry that lacks the required key `key`.
func missingField(_ key: String, expected: String) -> ValueProblem {
    ValueProblem(value: "", expected: expected, path: "." + key, kind: .missingKey)
}

/// The problem of an entry key that is not one of the allowed ones.
func unknownField(_ field: RawField, allowed: String) -> ValueProblem {
    ValueProblem(value: field.name, expected: "", path: "." + field.name, line: field.line, kind: .unknownKey(allowed: allowed))
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
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

/// A JSON object from members already rendered as JSON values, in order.
func jsonObject(_ members: [(String, String)]) -> String {
    "{" + members.map { jsonString($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
}
