import Testing
@testable import KVSnapshot

@Suite struct SnapshotSchemaTests {
    @Test func parsesIdentifiers() {
        #expect(SnapshotSchema(identifier: "kvstore.snapshot/1") == .v1)
        #expect(SnapshotSchema(identifier: "kvstore.snapshot/27")?.version == 27)
        for bad in ["kvstore.snapshot/", "kvstore.snapshot/0", "kvstore.snapshot/01", "kvstore.snapshot/1.1",
                    "kvstore.snapshot/-1", "kvstore.snapshots/1", "KVSTORE.snapshot/1", "kvstore.snapshot/١"] {
            #expect(SnapshotSchema(identifier: bad) == nil, "\(bad)")
        }
    }

    @Test func writesTheCurrentVersionAndReadsVersionOne() {
        #expect(Snapshot.currentSchema == "kvstore.snapshot/1")
        #expect(SnapshotSchema.current.identifier == Snapshot.currentSchema)
        #expect(SnapshotSchema.v1.isReadable)
        #expect(!SnapshotSchema(version: 2).isReadable)
    }
}
