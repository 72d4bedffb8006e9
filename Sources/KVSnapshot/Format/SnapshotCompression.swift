import Foundation

/// Gzip compression for snapshot files, supplied by the program (this library has no zlib).
///
/// A writer given one writes `.json.gz` files; a reader given one reads them. A reader recognises
/// gzip by its magic bytes (`1f 8b`), not by the name.
public protocol SnapshotCompression: Sendable {
    /// Compresses a whole JSON document into one gzip member.
    func compress(_ data: Data) throws -> Data
    /// Decompresses gzip data, throwing when it is corrupt or would exceed `maxOutputBytes`.
    func decompress(_ data: Data, maxOutputBytes: Int) throws -> Data
}
