import Foundation
import KVSnapshot

/// Why generating or publishing a dashboard failed: a code to match on and one readable line.
public struct DashboardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for matching (`error.code == .notWellFormed`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case chart, templates, render, notWellFormed, publish, input, bundle
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A chart could not be drawn (libxml2's writer failed).
        public static let chart = Code(.chart)
        /// The templates folder is missing, unreadable, or holds a template that does not parse.
        public static let templates = Code(.templates)
        /// A page could not be rendered from its template.
        public static let render = Code(.render)
        /// A generated file is not well-formed XML (a generator bug).
        public static let notWellFormed = Code(.notWellFormed)
        /// The site could not be written to its folder.
        public static let publish = Code(.publish)
        /// Bad input given by the caller (a window, a time zone, a folder).
        public static let input = Code(.input)
        /// A bundle could not be written, or its manifest not read.
        public static let bundle = Code(.bundle)

        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// One line saying what went wrong and where.
    public let message: String

    /// Creates an error; `message` is the whole line (`description`).
    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// One line saying what went wrong and where.
    public var description: String { message }

    static func chart(_ message: String) -> Self { .init(.chart, message: "chart: \(message)") }
    static func templates(_ message: String) -> Self { .init(.templates, message: "templates: \(message)") }
    static func render(_ message: String) -> Self { .init(.render, message: "render: \(message)") }
    static func notWellFormed(_ path: String, _ reason: String) -> Self {
        .init(.notWellFormed, message: "\(path): not well-formed XML (a generator bug): \(reason)")
    }
    static func publish(_ message: String) -> Self { .init(.publish, message: "publish: \(message)") }
    static func bundle(_ message: String) -> Self { .init(.bundle, message: message) }
    /// Bad input given by the caller (a window, a time zone, a folder).
    public static func input(_ message: String) -> Self { .init(.input, message: message) }

    /// A window with no snapshot to show: none in it, or only files that do not read (of `skipped`,
    /// those with snapshot names: other names are listed whatever the window and make nothing broken).
    public static func emptyWindow(from: Date, to: Date, node: String?, skipped: [DashboardSkippedFile]) -> Self {
        let window = "\(SnapshotTime.format(from)) to \(SnapshotTime.format(to))"
        let broken = skipped.filter { SnapshotFileName(parsing: ($0.name as NSString).lastPathComponent) != nil }
        if let first = broken.first {
            return input("no readable snapshot from \(window): \(broken.count) files skipped (\(first.name): \(first.reason))")
        }
        return input("no snapshot from \(window)" + (node.map { " of node '\($0)'" } ?? ""))
    }

    /// Whether a generated file failed the well-formedness check (`code == .notWellFormed`).
    public var isNotWellFormed: Bool { code == .notWellFormed }
}
