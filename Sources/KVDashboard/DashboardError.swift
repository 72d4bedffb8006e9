/// Why generating or publishing a dashboard failed; `description` is one readable line.
public struct DashboardError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case chart, templates, render, notWellFormed, publish, input
    }

    private let kind: Kind
    /// One line saying what went wrong and where.
    public let description: String

    private init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    static func chart(_ message: String) -> Self { .init(.chart, "chart: \(message)") }
    static func templates(_ message: String) -> Self { .init(.templates, "templates: \(message)") }
    static func render(_ message: String) -> Self { .init(.render, "render: \(message)") }
    static func notWellFormed(_ path: String, _ reason: String) -> Self {
        .init(.notWellFormed, "\(path): not well-formed XML (a generator bug): \(reason)")
    }
    static func publish(_ message: String) -> Self { .init(.publish, "publish: \(message)") }
    /// Bad input given by the caller (a window, a time zone, a folder).
    public static func input(_ message: String) -> Self { .init(.input, message) }

    /// Whether a generated file failed the well-formedness check.
    public var isNotWellFormed: Bool { kind == .notWellFormed }
}
