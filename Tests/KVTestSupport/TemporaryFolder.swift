import Foundation

/// A fresh folder under the system's temporary folder, removed by `remove()` or when released.
public final class TemporaryFolder: Sendable {
    /// The folder's absolute path.
    public let path: String

    /// Creates the folder; `label` (letters and digits kept) makes its name easy to spot.
    public init(_ label: String = #function) {
        let safe = label.filter { $0.isLetter || $0.isNumber }.prefix(40)
        self.path = NSTemporaryDirectory() + "kvstore-test-\(safe)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    deinit { self.remove() }

    /// The folder as a file URL.
    public var url: URL { URL(fileURLWithPath: self.path, isDirectory: true) }

    /// Removes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }

    /// Runs `body` with a fresh folder's path and removes the folder afterwards.
    public static func with<T>(_ label: String = #function, _ body: (String) throws -> T) rethrows -> T {
        let folder = TemporaryFolder(label)
        defer { folder.remove() }
        return try body(folder.path)
    }

    /// Names in the folder at `path`, sorted, hidden ones included.
    public static func names(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// Writes `text` as UTF-8 to the file at `path`.
    public static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
