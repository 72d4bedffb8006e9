/// Where a setting came from, as error messages name it.
enum ConfigurationSource: Sendable, Equatable, CustomStringConvertible {
    /// The embedded defaults of a profile.
    case profile(KVStoreConfiguration.Environment)
    /// A YAML file; `line` is 1-based when known.
    case file(path: String, line: Int?, column: Int? = nil)
    /// A `KVSTORE_*` environment variable.
    case environmentVariable(String)
    /// A command-line override; `flag` is the dedicated flag of the key, when it has one.
    case commandLine(flag: String?)

    var description: String {
        switch self {
        case .profile(let environment):
            return "the \(environment.rawValue) profile"
        case .file(let path, let line, let column):
            var text = "config file \(path)"
            if let line { text += ", line \(line)" }
            if let column { text += ", column \(column)" }
            return text
        case .environmentVariable(let name):
            return "environment variable \(name)"
        case .commandLine(let flag):
            if let flag { return "command-line flag \(flag)" }
            return "command line"
        }
    }
}

extension ConfigurationSource {
    /// The same source at `line` of its file; unchanged when `line` is `nil` or the source is not a file.
    func atLine(_ line: Int?) -> Self {
        guard let line, case .file(let path, _, _) = self else { return self }
        return .file(path: path, line: line)
    }
}
