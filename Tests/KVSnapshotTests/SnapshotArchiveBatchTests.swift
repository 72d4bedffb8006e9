import Foundation
import Testing
import KVTestSupport
@testable import KVSnapshot

/// `forEach` reads in bounded batches, in parallel, and hands the snapshots over in sequence order;
/// `keeping(families:)` decodes only the families named.
@Suite struct SnapshotArchiveBatchTests {
    /// Writes `count` snapshots of node-a, 10 s apart, through the real writer.
    private func archive(_ directory: String, count: Int) throws -> SnapshotArchive {
        let clock = TestClock()
        let writer = SnapshotWriter(configuration: .init(directory: directory, nodeID: "node-a"), now: clock.function)
        for _ in 0..<count {
            _ = try writer.write(SnapshotFixtures.full(time: clock.text))
            clock.advance(10)
        }
        return SnapshotArchive(directory: directory)
    }

    @Test(arguments: [1, 3, 7, 256])
    func batchesHandEverySnapshotOverInSequenceOrder(batch: Int) throws {
        try TemporaryFolder.with { directory in
            let archive = try archive(directory, count: 17)
            try Data("not json".utf8).write(to: URL(fileURLWithPath: directory + "/"
                + SnapshotFileName(node: "node-a", sequence: 9_999, time: Date(), isCompressed: false).description))
            var sequences: [UInt64] = []
            let skipped = try archive.forEach(batch: batch) { sequences.append($0.snapshot.sequence) }
            #expect(sequences == Array(1...17))
            #expect(skipped.map(\.error.code) == [.malformed])
            #expect(try archive.load().loaded.map(\.snapshot.sequence) == sequences)
        }
    }

    @Test func aTransformRunsOnEverySnapshotAndItsResultsArriveInOrder() throws {
        try TemporaryFolder.with { directory in
            let archive = try archive(directory, count: 9)
            var seen: [String] = []
            let skipped = try SnapshotArchive.read(try archive.select(from: nil, to: nil, node: nil).files.map { (archive, $0) },
                                                   batch: 4, transform: { "\($0.snapshot.sequence):\($0.snapshot.metrics.count)" }) {
                seen.append($1)
            }
            #expect(skipped.isEmpty)
            #expect(seen == (1...9).map { "\($0):\(SnapshotFixtures.metrics.count)" })
        }
    }

    @Test func keepingFamiliesDecodesOnlyThoseAndChangesNothingElse() throws {
        try TemporaryFolder.with { directory in
            let archive = try archive(directory, count: 2)
            let kept = "kvstore_http_requests_total"
            let full = try archive.load().loaded.map(\.snapshot)
            let narrow = try archive.keeping(families: [kept, "not_in_the_file"]).load().loaded.map(\.snapshot)
            #expect(narrow.map { $0.metrics.map(\.name) } == [[kept], [kept]])
            #expect(narrow.first?.metrics == full.first?.metrics.filter { $0.name == kept })
            var withoutMetrics = full[0]
            withoutMetrics.metrics = []
            var narrowWithoutMetrics = narrow[0]
            narrowWithoutMetrics.metrics = []
            let codec = SnapshotCodec()
            #expect(try codec.encode(narrowWithoutMetrics) == codec.encode(withoutMetrics))
        }
    }

    @Test func theSlowPathKeepsTheSameFamilies() throws {
        // A key with an escape sends the file to JSONDecoder: the families kept must not change.
        let codec = SnapshotCodec()
        let text = String(decoding: try codec.encode(SnapshotFixtures.full()), as: UTF8.self)
            .replacingOccurrences(of: #""node_id":"#, with: #""node_i\u0064":"#)
        let kept = try codec.decode(Data(text.utf8), families: ["kvstore_odd_values"])
        #expect(kept.metrics.map(\.name) == ["kvstore_odd_values"])
        #expect(SnapshotBytesDecoder.decode(Data(text.utf8)) == nil)
    }
}
