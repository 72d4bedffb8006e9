import Foundation
import KVSnapshot

/// `.json.gz` snapshots through the system zlib.
public struct GzipSnapshotCompression: SnapshotCompression {
    public init() {}

    public func compress(_ data: Data) throws -> Data {
        try Gzip.compress(data)
    }

    public func decompress(_ data: Data, maxOutputBytes: Int) throws -> Data {
        try Gzip.decompress(data, maxOutputBytes: maxOutputBytes)
    }
}
