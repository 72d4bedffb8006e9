import Foundation
#if canImport(Glibc)
import Glibc
#endif
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
            /// A listed path that is not a regular file inside the folder (a link, a folder, a device):
            /// never read.
            case notRegularFile = "not a regular file"
        }

        public var kind: Kind
        public var path: String

        /// `kind: path`, control characters in the path shown as `?` (a received bundle's names are
        /// printed to a terminal).
        public var description: String {
            "\(kind.rawValue): " + String(path.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
        }
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
            switch regularFile(path, in: folder) {
            case .missing:
                problems.append(Problem(kind: .missing, path: path))
                continue
            case .other:
                problems.append(Problem(kind: .notRegularFile, path: path))
                continue
            case .regular:
                break
            }
            guard let content = try? Data(contentsOf: folder.appendingPathComponent(path)) else {
                problems.append(Problem(kind: .missing, path: path))
                continue
            }
            if SHA256.hex(content) != digest { problems.append(Problem(kind: .changed, path: path)) }
        }
        for path in try files(in: folder, regularOnly: false) where !listed.contains(path) {
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

    private enum Entry { case regular, other, missing }

    /// What `path` is under `folder`, links not followed: every component before the last a real
    /// folder, the last a regular file (anything else is never read).
    private static func regularFile(_ path: String, in folder: URL) -> Entry {
        var current = folder.path
        let parts = path.split(separator: "/")
        for (index, part) in parts.enumerated() {
            current += "/" + part
            var info = stat()
            guard lstat(current, &info) == 0 else { return .missing }
            let kind = info.st_mode & S_IFMT
            if index == parts.count - 1 { return kind == S_IFREG ? .regular : .other }
            guard kind == S_IFDIR else { return .other }
        }
        return .missing
    }

    /// The files under `folder` as relative paths, sorted, the manifest aside: regular files only,
    /// or (for finding extras) every entry that is not a folder, links and devices included. Links
    /// are not followed.
    static func files(in folder: URL, regularOnly: Bool = true) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else {
            throw DashboardError.bundle("cannot list \(folder.path)")
        }
        var paths: [String] = []
        while let path = walker.nextObject() as? String {
            var info = stat()
            guard path != fileName, lstat(folder.appendingPathComponent(path).path, &info) == 0 else { continue }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR { continue }
            if regularOnly, kind != S_IFREG { continue }
            paths.append(path)
        }
        return paths.sorted()
    }
}
