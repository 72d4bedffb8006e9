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


import Testing
import KVTestSupport
