/// A setting's value as a source spelled it, before it is parsed for its key.
enum RawSetting: Sendable, Equatable {
    /// A scalar: a YAML scalar, an environment variable's value or a flag's argument.
    case text(String)
    /// A YAML null (`~`, `null` or nothing).
    case null
    /// A YAML sequence of scalars.
    case list([String])
    /// Anything else YAML can spell (a mapping, a nested list, an alias), shown as `description`.
    case unsupported(description: String)

    /// The value as an error message shows it: on one line, strings quoted.
    var display: String {
        switch self {
        case .text(let text): text.debugDescription
        case .null: "null"
        case .list(let items): "[" + items.joined(separator: ", ") + "]"
        case .unsupported(let description): description
        }
    }
}
