import Foundation
import KVSnapshot

/// A bundle's `MANIFEST.sha256`: one `<sha256>  <path>` line per file (the format `sha256sum -c`
/// reads), paths relative to the bundle folder, sorted; the manifest itself is not listed.
public enum BundleManifest {
    public static let fileName = "MANIFEST.sha256"

    /// One difference between a folder and its manifest.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            case changed, missing, extra
            /// A manifest line that is not `<64 hex digits>  <path>`, or a path outside the folder.
            case badLine = "bad line"
        }

        public var kind: Kind
        public var path: String

        public var description: String { "\(kind.rawValue): \(path)" }
    }

    /// The manifest text of every regular file under `folder` (the manifest aside).
    public static func text(of folder: URL) throws -> String {
        try files(in: folder).map { path in
            "\(SHA256.hex(try Data(contentsOf: folder.appendingPathComponent(path))))  \(path)\n"
        }.joined()
    }

    /// What differs between `folder` and its `MANIFEST.sha256`: every changed, missing and extra
    /// file, and every bad line. Throws `DashboardError` when there is no readable manifest.
    public static func verify(_ folder: URL) throws -> (checked: Int, problems: [Problem]) {
        let manifest = folder.appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: manifest) else {
            throw DashboardError.bundle("no readable \(fileName) in \(folder.path)")
        }
        var problems: [Problem] = []
        var listed: Set<String> = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            guard let (digest, path) = parse(line) else {
                problems.append(Problem(kind: .badLine, path: "line \(number + 1)"))
                continue
            }
            listed.insert(path)
            guard let content = try? Data(contentsOf: folder.appendingPathComponent(path)) else {
                problems.append(Problem(kind: .missing, path: path))
                continue
            }
            if SHA256.hex(content) != digest { problems.append(Problem(kind: .changed, path: path)) }
        }
        for path in try files(in: folder) where !listed.contains(path) {
            problems.append(Problem(kind: .extra, path: path))
        }
        return (listed.count, problems)
    }

    /// `<64 lowercase hex digits>  <path>` (or ` *<path>`, binary mode) with a path that stays inside.
    private static func parse(_ line: Substring) -> (String, String)? {
        let characters = Array(line)
        guard characters.count > 66, characters[64] == " ", characters[65] == " " || characters[65] == "*" else { return nil }
        let digest = String(characters[0..<64])
        guard digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        let path = String(characters[66...])
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else { return nil }
        return (digest, path)
    }

    /// Every regular file under `folder`, as relative paths, sorted; the manifest aside.
    static func files(in folder: URL) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else {
            throw DashboardError.bundle("cannot list \(folder.path)")
        }
        var paths: [String] = []
        while let path = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory),
                  !isDirectory.boolValue, path != fileName else { continue }
            paths.append(path)
        }
        return paths.sorted()
    }
}
