/// A health monitor that cannot be built as asked (for example two checks with one name): a code to
/// match on and one readable line.
public struct HealthMonitorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for matching (`error.code == .duplicateName`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case duplicateName
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// Two checks have the same name; names must be unique.
        public static let duplicateName = Code(.duplicateName)

        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// One line saying what is wrong.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// One line saying what is wrong.
    public var description: String { message }

    static func duplicateName(_ name: String) -> HealthMonitorError {
        HealthMonitorError(.duplicateName, message: "two health checks are named \"\(name)\"; names must be unique")
    }
}
