import Foundation

/// A fresh folder under the system's temporary folder, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ label: String = #function) throws {
        let safe = label.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "kvsnapshot-\(safe)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Runs `body` with a fresh folder and removes it afterwards.
    static func with<T>(_ label: String = #function, _ body: (String) throws -> T) throws -> T {
        let directory = try TemporaryDirectory(label)
        defer { directory.remove() }
        return try body(directory.path)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Names in the folder, sorted, hidden ones included.
    static func names(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
