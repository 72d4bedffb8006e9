import Foundation
import KVTestSupport
import Testing
@testable import KVSnapshot

/// The optional `cluster` section: written as documented, read back exactly, checked by the schema,
/// and absent (byte for byte the old document) when a snapshot has none.
@Suite struct SnapshotClusterSectionTests {
    let codec = SnapshotCodec()

    func withCluster() -> Snapshot {
        var snapshot = SnapshotFixtures.full()
        snapshot.cluster = SnapshotFixtures.cluster
        return snapshot
    }

    @Test func aClusterSectionRoundTrips() throws {
        var snapshot = withCluster()
        snapshot.metrics = SnapshotFixtures.metrics.filter { $0.type == .counter || $0.type == .histogram }
        let encoded = try codec.encode(snapshot)
        let decoded = try codec.decode(encoded)
        #expect(decoded == snapshot)
        #expect(decoded.cluster?.members.map(\.node) == ["node-a", "node-b", "zeta <&\"3>"])
        #expect(decoded.cluster?.members.map(\.state) == [.alive, .missing, .left])
        #expect(try codec.encode(decoded) == encoded)
    }

    @Test func aMemberIsWrittenWithTheDocumentedFieldNames() throws {
        let text = String(decoding: try codec.encode(withCluster()), as: UTF8.self)
        #expect(text.contains(
            #""cluster":{"members":[{"health":"healthy","last_seen":"2026-11-29T01:02:01.000Z","node":"node-a","#
                + #""started_at":"2026-11-29T00:00:00.000Z","state":"alive","url":"http://10.0.0.1:8080","version":"1.2.3"},"#))
        #expect(text.contains(#""node":"zeta <&\"3>""#))
    }

    @Test func aSnapshotWithoutOneHasNoClusterKey() throws {
        for snapshot in [SnapshotFixtures.minimal(), SnapshotFixtures.full()] {
            let text = String(decoding: try codec.encode(snapshot), as: UTF8.self)
            #expect(!text.contains("cluster"))
            #expect(try codec.decode(Data(text.utf8)).cluster == nil)
        }
        #expect(String(decoding: try codec.encode(SnapshotFixtures.minimal()), as: UTF8.self) == SnapshotCodecTests.minimalDocument)
    }

    @Test func anEmptyMemberListIsKept() throws {
        var snapshot = SnapshotFixtures.minimal()
        snapshot.cluster = ClusterSnapshot(members: [])
        let text = String(decoding: try codec.encode(snapshot), as: UTF8.self)
        #expect(text.contains(#""cluster":{"members":[]}"#))
        #expect(try codec.decode(Data(text.utf8)).cluster == ClusterSnapshot(members: []))
    }

    @Test func anUnknownStateIsInvalid() throws {
        let text = String(decoding: try codec.encode(withCluster()), as: UTF8.self)
            .replacingOccurrences(of: #""state":"missing""#, with: #""state":"zombie""#)
        #expect(throws: SnapshotError.self) { try codec.decode(Data(text.utf8)) }
        do {
            _ = try codec.decode(Data(text.utf8))
        } catch let error as SnapshotError {
            #expect(error.code == .invalid)
            #expect("\(error)".contains("cluster.members[1].state"), "\(error)")
        }
    }

    @Test func theSchemaAcceptsTheSectionAndChecksItsMembers() throws {
        let validator = JSONSchemaValidator(schema: try JSONValue.parse(Data(contentsOf: SnapshotJSONSchemaTests.schemaPath)))
        let valid = try JSONValue.parse(codec.encode(withCluster()))
        #expect(validator.validate(valid) == [])
        guard case .object(let document) = valid, case .object(var cluster) = document["cluster"],
              case .array(let members) = cluster["members"], case .object(let first) = members.first else {
            Issue.record("no cluster section")
            return
        }
        let defects: [(String, [String: JSONValue])] = [
            ("bad state", first.merging(["state": .string("zombie")]) { $1 }),
            ("no last_seen", first.filter { $0.key != "last_seen" }),
            ("extra field", first.merging(["port": .number(1)]) { $1 }),
            ("time not RFC 3339", first.merging(["started_at": .string("yesterday")]) { $1 }),
        ]
        for (name, member) in defects {
            var broken = document
            cluster["members"] = .array([.object(member)])
            broken["cluster"] = .object(cluster)
            #expect(!validator.validate(.object(broken)).isEmpty, "\(name)")
        }
        var noMembers = document
        noMembers["cluster"] = .object([:])
        #expect(!validator.validate(.object(noMembers)).isEmpty)
    }
}
