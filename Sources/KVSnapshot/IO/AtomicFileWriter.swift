import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that its final name shows either nothing or the whole content, even after a
/// crash or power loss: temp file (`O_EXCL`) → write → fsync → rename → fsync the folder.
struct AtomicFileWriter: Sendable {
    var calls: SystemCalls = .live
    var permissions: mode_t = 0o644

    /// Writes `data` to `directory/name`, replacing nothing the caller has not checked.
    ///
    /// On an error before the rename the temporary file is removed and nothing appears under
    /// `name`. An error from the final folder fsync is thrown too, though the file is then complete.
    func write(_ data: Data, directory: String, name: String) throws {
        let (temporaryPath, descriptor) = try createTemporaryFile(directory: directory, name: name)
        let finalPath = directory + "/" + name
        var isOpen = true
        do {
            try writeAll(data, to: descriptor, path: temporaryPath, file: name)
            if calls.fsync(descriptor) != 0 {
                throw SystemError.io("fsync", temporaryPath, file: name)
            }
            isOpen = false
            if close(descriptor) != 0 {
                throw SystemError.io("close", temporaryPath, file: name)
            }
            if calls.rename(temporaryPath, finalPath) != 0 {
                throw SystemError.io("rename to \(name)", temporaryPath, file: name)
            }
        } catch {
            if isOpen { close(descriptor) }
            unlink(temporaryPath)
            throw error
        }
        try syncDirectory(directory, file: name)
    }

    /// Makes a folder's entries (a rename, an unlink) durable.
    func syncDirectory(_ directory: String, file: String) throws {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError.io("open folder", directory, file: file) }
        defer { close(descriptor) }
        if calls.fsync(descriptor) != 0 {
            throw SystemError.io("fsync folder", directory, file: file)
        }
    }

    /// `.tmp-<name>-<random>` in the same folder, created with `O_EXCL`.
    private func createTemporaryFile(directory: String, name: String) throws -> (String, Int32) {
        var attempt = 0
        while true {
            let path = "\(directory)/\(SnapshotFileName.temporaryPrefix)\(name)-\(Self.randomSuffix())"
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
            if descriptor >= 0 { return (path, descriptor) }
            let code = errno
            attempt += 1
            if code != EEXIST || attempt >= 8 {
                throw SystemError.io("create", path, file: name, code: code)
            }
        }
    }

    /// Writes every byte, retrying short writes and interruptions.
    private func writeAll(_ data: Data, to descriptor: Int32, path: String, file: String) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = calls.write(descriptor, UnsafeRawBufferPointer(rebasing: buffer[offset...]))
                if written < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw SystemError.io("write", path, file: file, code: code)
                }
                if written == 0 {
                    throw SystemError.io("write", path, file: file, code: EIO)
                }
                offset += written
            }
        }
    }

    private static func randomSuffix() -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
