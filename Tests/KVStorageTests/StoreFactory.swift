import Foundation
@testable import KVStorage

/// The stores every conformance test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case lmdb, memory
    var testDescription: String { rawValue }

    func make(maxValueBytes: Int = 1 << 20, quotaBytes: Int = 8 << 30, folder: TemporaryFolder) throws -> any KeyValueStore {
        switch self {
        case .lmdb:
            return try LMDBStore(options: .init(path: folder.path, maxValueBytes: maxValueBytes, quotaBytes: quotaBytes))
        case .memory:
            return InMemoryStore(maxValueBytes: maxValueBytes, quotaBytes: quotaBytes)
        }
    }
}

/// A folder under the system temp dir, removed when the value is released.
final class TemporaryFolder: Sendable {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "kvstore-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

import Testing
