import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One name in a folder, with what `lstat` says about it (links are not followed).
struct DirectoryEntry: Sendable {
    var name: String
    var bytes: Int
    var modified: Date
    var isRegularFile: Bool

    /// The entries of `directory`, sorted by name. Entries that vanish while listing are left out.
    static func list(_ directory: String) throws -> [DirectoryEntry] {
        guard let stream = opendir(directory) else {
            throw SystemError.io("list", directory, file: directory)
        }
        defer { closedir(stream) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if let item = lookUp(directory: directory, name: name) { entries.append(item) }
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// The entry for one name, or nil when it does not exist.
    static func lookUp(directory: String, name: String) -> DirectoryEntry? {
        var info = stat()
        guard lstat(directory + "/" + name, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = Date(timeIntervalSince1970: Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9)
        #else
        let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        #endif
        return DirectoryEntry(name: name, bytes: Int(info.st_size), modified: modified,
                              isRegularFile: (info.st_mode & S_IFMT) == S_IFREG)
    }
}
