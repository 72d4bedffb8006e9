import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVSnapshot
import KVTestSupport
import Testing
@testable import KVServer

@Suite struct SnapshotRoutesTests {
    @Test func takeListAndFetchASnapshot() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.node.id = "node-1" }
        let parts = try buildServer(configuration: configuration, logger: testLogger())
        await parts.monitor.runAllOnce()
        try await parts.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "hello"))
            let name = try await client.execute(uri: "/api/v1/snapshots", method: .post) { response in
                #expect(response.status == .created)
                let body = try json(response.body)
                #expect(body["sequence"] as? Int == 1)
                return body["name"] as? String ?? ""
            }
            #expect(name.hasPrefix("kvstore-node-1-000000000001-"))
            let onDisk = try Data(contentsOf: URL(fileURLWithPath: configuration.snapshots.directory + "/" + name))
            try await client.execute(uri: "/api/v1/snapshots", method: .get) { response in
                let list = try json(response.body)["snapshots"] as? [[String: Any]] ?? []
                #expect(list.map { $0["name"] as? String } == [name])
                #expect(list.first?["bytes"] as? Int == onDisk.count)
            }
            try await client.execute(uri: "/api/v1/snapshots/" + name, method: .get) { response in
                #expect(response.status == .ok)
                #expect(Data(response.body.readableBytesView) == onDisk)
            }
            let snapshot = try SnapshotCodec().decode(onDisk)
            #expect(snapshot.nodeID == "node-1")
            #expect(snapshot.health.status == .healthy)
            #expect(snapshot.storage?.entries == 1)
            #expect(snapshot.metrics.contains { $0.name == "kvstore_http_requests_total" })
            #expect(try JSONSchemaValidator.snapshotSchema().validate(JSONValue.parse(onDisk)) == [])
        }
    }

    @Test(arguments: ["..%2F..%2Fetc%2Fpasswd", "notasnapshot.json", "kvstore-x-1-2.json%00"])
    func badNamesAreRefused(name: String) async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await parts.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/snapshots/" + name, method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response.body) == "invalid_name")
            }
        }
    }

    @Test func missingSnapshotIs404() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await parts.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/snapshots/kvstore-node-000000000042-20261129T010203.456Z.json", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
