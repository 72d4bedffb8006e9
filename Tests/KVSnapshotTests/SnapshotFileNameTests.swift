import Foundation
import Testing
@testable import KVSnapshot

@Suite struct SnapshotFileNameTests {
    let time = Date(timeIntervalSince1970: 1_795_914_123.456)

    @Test func formatsTheDocumentedShape() {
        let name = SnapshotFileName(node: "node-1", sequence: 42, time: time)
        #expect(name.description == "kvstore-node-1-000000000042-20261129T010203.456Z.json")
        let compressed = SnapshotFileName(node: "node-1", sequence: 42, time: time, isCompressed: true)
        #expect(compressed.description == "kvstore-node-1-000000000042-20261129T010203.456Z.json.gz")
    }

    @Test func parsesWhatItFormats() throws {
        for node in ["a", "node-1", "host.example.com", "a-000000000001-b"] {
            for compressed in [false, true] {
                let name = SnapshotFileName(node: node, sequence: 7, time: time, isCompressed: compressed)
                let parsed = try #require(SnapshotFileName(parsing: name.description))
                #expect(parsed == name)
            }
        }
    }

    @Test func namesSortBySequenceEvenWhenTheClockStepsBack() {
        let names = (1...20).map { sequence in
            SnapshotFileName(node: "n", sequence: UInt64(sequence), time: time.addingTimeInterval(Double(-sequence) * 3600))
        }
        #expect(names.map(\.description).sorted() == names.map(\.description))
    }

    @Test func unsafeNodeCharactersAreReplaced() {
        #expect(SnapshotFileName.nameComponent(forNode: "a/b c:d") == "a_b_c_d")
        #expect(SnapshotFileName.nameComponent(forNode: "../etc") == "_._etc")
        #expect(SnapshotFileName.nameComponent(forNode: "") == "node")
        #expect(SnapshotFileName.nameComponent(forNode: "nœud") == "n_ud")
        #expect(SnapshotFileName.nameComponent(forNode: String(repeating: "x", count: 300)).count == 64)
    }

    @Test(arguments: [
        "kvstore-n-000000000001-20261129T010203.456Z.txt",
        "kvstore-n-1-20261129T010203.456Z.json",
        "kvstore--000000000001-20261129T010203.456Z.json",
        "kvstore-n-000000000001-20261129T010203Z.json",
        "kvstore-n/x-000000000001-20261129T010203.456Z.json",
        "kvstore-000000000001-20261129T010203.456Z.json",
        "snapshot-n-000000000001-20261129T010203.456Z.json",
        ".tmp-kvstore-n-000000000001-20261129T010203.456Z.json-0123456789abcdef",
        "kvstore-n-99999999999999999999999-20261129T010203.456Z.json",
        "README.md",
    ])
    func rejectsOtherNames(name: String) {
        #expect(SnapshotFileName(parsing: name) == nil)
    }
}
