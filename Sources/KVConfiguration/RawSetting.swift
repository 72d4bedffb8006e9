/// A setting's value as a source spelled it, before it is parsed for its key.
enum RawSetting: Sendable, Equatable {
    /// A scalar: a YAML scalar, an environment variable's value or a flag's argument.
    case text(String)
    /// A YAML null (`~`, `null` or nothing).
    case null
    /// A YAML sequence of scalars.
    case list([String])
    /// A YAML sequence with at least one item that is not a scalar (a mapping or a list).
    case sequence([RawSetting])
    /// A YAML mapping, its keys in file order; `line` is where it starts, when known.
    case mapping([RawField], line: Int?)
    /// Anything else YAML can spell (an alias), shown as `description`.
    case unsupported(description: String)

    /// The most characters of a string an error message shows; longer ones are cut, with their length.
    static let displayLimit = 200

    /// The value as an error message shows it: on one line, strings quoted, long strings cut.
    var display: String {
        switch self {
        case .text(let text) where text.count > Self.displayLimit:
            (String(text.prefix(Self.displayLimit / 4)) + "…").debugDescription + " (\(text.count) characters)"
        case .text(let text): text.debugDescription
        case .null: "null"
        case .list(let items): "[" + items.joined(separator: ", ") + "]"
        case .sequence(let items):
            items.allSatisfy { if case .mapping = $0 { true } else { false } } ? "a list of mappings" : "a nested list"
        case .mapping: "a mapping"
        case .unsupported(let description): description
        }
    }
}

/// One key of a ``RawSetting/mapping(_:line:)`` and its value.
struct RawField: Sendable, Equatable {
    /// The key as the source spelled it.
    var name: String
    var value: RawSetting
    /// The file line of the key, when known.
    var line: Int?
}
