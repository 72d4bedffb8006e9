import Foundation
import KVTestSupport
import Testing
@testable import KVSnapshot

/// Written snapshots validate against docs/snapshot.schema.json, and the schema rejects what it should.
@Suite struct SnapshotJSONSchemaTests {
    static let schemaPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/snapshot.schema.json")

    let validator: JSONSchemaValidator

    init() throws {
        validator = JSONSchemaValidator(schema: try JSONValue.parse(Data(contentsOf: Self.schemaPath)))
    }

    @Test func writtenSnapshotsValidate() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let writer = SnapshotWriter(configuration: .init(directory: directory, nodeID: "node-a"), now: clock.function)
            for snapshot in [SnapshotFixtures.full(time: clock.text), SnapshotFixtures.minimal(time: clock.text)] {
                let result = try writer.write(snapshot)
                let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + result.file.name))
                #expect(validator.validate(try JSONValue.parse(data)) == [])
            }
        }
    }

    @Test func theSchemaDeclaresTheVersionThisLibraryWrites() throws {
        let schema = try JSONValue.parse(Data(contentsOf: Self.schemaPath))
        #expect(schema["properties"]?["schema"]?["const"] == .string(Snapshot.currentSchema))
        #expect(schema["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
    }

    /// Each defect makes a valid document invalid: proof that the schema checks that part.
    @Test(arguments: Defect.allCases)
    func schemaRejects(defect: Defect) throws {
        let valid = try JSONValue.parse(SnapshotCodec().encode(SnapshotFixtures.full()))
        guard case .object(var document) = valid else { Issue.record("not an object"); return }
        #expect(validator.validate(valid) == [])
        defect.apply(to: &document)
        #expect(!validator.validate(.object(document)).isEmpty, "\(defect)")
    }
}

enum Defect: CaseIterable, Sendable {
    case noSequence, unknownField, otherSchema, timeWithOffset, nullStorage, negativeSequence
    case nanSpelledLowercase, infinitySpelledOut, badHealthStatus, sampleWithValueAndBuckets, sampleWithNothing
    case labelValueNotAString, bucketBoundSpelledWrong

    func apply(to document: inout [String: JSONValue]) {
        switch self {
        case .noSequence: document["sequence"] = nil
        case .unknownField: document["extra"] = .bool(true)
        case .otherSchema: document["schema"] = .string("kvstore.snapshot/2")
        case .timeWithOffset: document["time"] = .string("2026-11-29T02:02:03.456+01:00")
        case .nullStorage: document["storage"] = .null
        case .negativeSequence: document["sequence"] = .number(-1)
        case .nanSpelledLowercase: document["uptime_seconds"] = .string("nan")
        case .infinitySpelledOut: document["uptime_seconds"] = .string("Infinity")
        case .badHealthStatus: document["health"] = replacing(document["health"], "status", .string("ok"))
        case .sampleWithValueAndBuckets:
            document["metrics"] = family(sample: ["labels": .object([:]), "value": .number(1), "buckets": .array([]),
                                                  "sum": .number(0), "count": .number(0)])
        case .sampleWithNothing:
            document["metrics"] = family(sample: ["labels": .object([:])])
        case .labelValueNotAString:
            document["metrics"] = family(sample: ["labels": .object(["a": .number(1)]), "value": .number(1)])
        case .bucketBoundSpelledWrong:
            document["metrics"] = family(sample: [
                "labels": .object([:]), "buckets": .array([.object(["le": .string("Inf"), "count": .number(1)])]),
                "sum": .number(0), "count": .number(1)])
        }
    }
}

/// A metrics array with one family holding one sample.
private func family(sample: [String: JSONValue]) -> JSONValue {
    .array([.object(["name": .string("x"), "help": .string(""), "type": .string("gauge"), "label_names": .array([]),
                     "samples": .array([.object(sample)])])])
}

private func replacing(_ object: JSONValue?, _ key: String, _ value: JSONValue) -> JSONValue? {
    guard case .object(var members) = object else { return object }
    members[key] = value
    return .object(members)
}
