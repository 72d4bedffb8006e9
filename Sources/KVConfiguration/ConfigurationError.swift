/// Why a configuration cannot be used: a code to match on (`error.code == .unknownKey`) and one line
/// naming the source, the key, the bad value and what is allowed.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for matching.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidValue, unknownKey, missingKey, unknownVariable
            case fileNotFound, notAFile, unreadableFile, invalidYAML, conflictingValues
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A key has a value it does not allow (a wrong type, out of range, a section that is not a mapping).
        public static let invalidValue = Code(.invalidValue)
        /// A key (in the file, a flag, or inside a list entry) that no setting has.
        public static let unknownKey = Code(.unknownKey)
        /// A list entry lacks a key it needs.
        public static let missingKey = Code(.missingKey)
        /// A `KVSTORE_*` environment variable that names no setting.
        public static let unknownVariable = Code(.unknownVariable)
        /// The configuration file does not exist.
        public static let fileNotFound = Code(.fileNotFound)
        /// The configuration file's path names a folder.
        public static let notAFile = Code(.notAFile)
        /// The configuration file cannot be read as UTF-8 text.
        public static let unreadableFile = Code(.unreadableFile)
        /// The configuration file is not valid YAML (a syntax error, a duplicate key).
        public static let invalidYAML = Code(.invalidYAML)
        /// Values that are each allowed but not together (`metrics.port` equal to `server.port`, TLS half set).
        public static let conflictingValues = Code(.conflictingValues)

        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The whole message, on one line.
    public let description: String

    init(_ code: Code, _ source: ConfigurationSource, _ message: String) {
        self.init(code, description: "\(source): \(message)")
    }

    /// An error with this message; the message should be one line.
    public init(_ code: Code, description: String) {
        self.code = code
        self.description = description
    }
}

extension ConfigurationError {
    static func invalidValue(_ problem: ValueProblem, key: String, source: ConfigurationSource) -> Self {
        let key = key + problem.path
        let source = source.atLine(problem.line)
        switch problem.kind {
        case .invalidValue:
            return Self(.invalidValue, source, "invalid value \(problem.value) for \(key) (expected \(problem.expected))")
        case .unknownKey(let allowed):
            return .unknownKey(key, allowed: allowed, source: source)
        case .missingKey:
            return Self(.missingKey, source, "missing key \(key) (expected \(problem.expected))")
        }
    }

    static func unknownKey(_ key: String, allowed: String, source: ConfigurationSource) -> Self {
        Self(.unknownKey, source, "unknown key \(key) (\(allowed))")
    }

    static func unknownVariable(_ name: String, allowed: String) -> Self {
        Self(.unknownVariable, .environmentVariable(name), "no such setting (\(allowed))")
    }
}
