import Foundation
import KVSnapshot
import KVStorage
import Testing
@testable import KVServer

/// A snapshot's storage section is the `/api/v1/stats` body without the operation counters.
@Suite struct StorageSnapshotMappingTests {
    static let statistics = StorageStatistics(
        engine: "lmdb", entries: 3, bytesOnDisk: 40_960, bytesInUse: 12_288, mapSizeBytes: 1 << 20, quotaBytes: 8 << 30,
        pageSize: 4096, durability: "batched", gets: 7, puts: 5, deletes: 2, commits: 4)

    /// One JSON field of either type: every storage field is a number or a string.
    private enum Field: Decodable, Equatable {
        case number(Int)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
    }

    private static func fields(_ value: some Encodable) throws -> [String: Field] {
        try JSONDecoder().decode([String: Field].self, from: JSONEncoder().encode(value))
    }

    @Test func snapshotStorageIsTheStatisticsWithoutCounters() throws {
        var stats = try Self.fields(Self.statistics)
        for counter in ["gets", "puts", "deletes", "commits"] { #expect(stats.removeValue(forKey: counter) != nil) }
        #expect(try Self.fields(StorageSnapshot(Self.statistics)) == stats)
        #expect(stats.count == 8)
    }

    @Test func statisticsJSONDecodesAsTheSameSnapshot() throws {
        let decoded = try JSONDecoder().decode(StorageSnapshot.self, from: JSONEncoder().encode(Self.statistics))
        #expect(decoded == StorageSnapshot(Self.statistics))
    }
}
