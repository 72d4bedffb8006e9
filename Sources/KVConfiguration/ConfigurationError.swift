/// Why a configuration cannot be used: one line naming the source, the key, the bad value and what is allowed.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The whole message, on one line.
    public var description: String

    init(_ source: ConfigurationSource, _ message: String) {
        self.description = "\(source): \(message)"
    }

    /// An error with this message; the message should be one line.
    public init(description: String) {
        self.description = description
    }
}

extension ConfigurationError {
    static func invalidValue(_ problem: ValueProblem, key: String, source: ConfigurationSource) -> Self {
        let key = key + problem.path
        let source = source.atLine(problem.line)
        switch problem.kind {
        case .invalidValue:
            return Self(source, "invalid value \(problem.value) for \(key) (expected \(problem.expected))")
        case .unknownKey(let allowed):
            return .unknownKey(key, allowed: allowed, source: source)
        case .missingKey:
            return Self(source, "missing key \(key) (expected \(problem.expected))")
        }
    }

    static func unknownKey(_ key: String, allowed: String, source: ConfigurationSource) -> Self {
        Self(source, "unknown key \(key) (\(allowed))")
    }

    static func unknownVariable(_ name: String, allowed: String) -> Self {
        Self(.environmentVariable(name), "no such setting (\(allowed))")
    }
}
