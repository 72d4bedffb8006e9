import Foundation
import Testing
@testable import KVSnapshot

@Suite struct SnapshotCodecTests {
    let codec = SnapshotCodec()

    @Test func roundTripKeepsEveryFinitePart() throws {
        var snapshot = SnapshotFixtures.full()
        snapshot.metrics = SnapshotFixtures.metrics.filter { $0.type == .counter || $0.type == .histogram }
        snapshot.health.checks["disk"]?.details["ratio_limit"] = 1
        let decoded = try codec.decode(try codec.encode(snapshot))
        #expect(decoded == snapshot)
    }

    @Test func roundTripIsByteStableWithNonFiniteValues() throws {
        let encoded = try codec.encode(SnapshotFixtures.full())
        let reencoded = try codec.encode(try codec.decode(encoded))
        #expect(reencoded == encoded)
    }

    @Test func nonFiniteValuesComeBackAsTheSameValues() throws {
        let decoded = try codec.decode(try codec.encode(SnapshotFixtures.full()))
        let gauges = try #require(decoded.metrics.first { $0.name == "kvstore_odd_values" })
        let values = Dictionary(uniqueKeysWithValues: gauges.samples.map { ($0.labels["kind"]!, $0.value!) })
        #expect(values["nan"]!.isNaN)
        #expect(values["plus_inf"] == .infinity)
        #expect(values["minus_inf"] == -.infinity)
        #expect(values["tiny"] == 1e-300)
        #expect(values["negative_zero"] == 0 && values["negative_zero"]!.sign == .minus)

        let histogram = try #require(decoded.metrics.first { $0.type == .histogram }?.samples.first)
        #expect(histogram.buckets?.map(\.upperBound) == [0.005, 0.1, .infinity])
        #expect(histogram.buckets?.map(\.cumulativeCount) == [10, 25, 27])
        #expect(histogram.sum == 0.75 && histogram.count == 27)

        let summary = try #require(decoded.metrics.first { $0.type == .summary }?.samples.first)
        #expect(summary.quantiles?.map(\.quantile) == [0.5, 0.99])
        #expect(summary.quantiles?.allSatisfy { $0.value.isNaN } == true)

        let empty = try #require(decoded.metrics.first { $0.name == "kvstore_empty_family" })
        #expect(empty.samples.isEmpty && empty.labelNames.isEmpty)
        #expect(decoded.health.checks["disk"]?.details["ratio_limit"] == .number(.infinity))
    }

    @Test func nonFiniteNumbersAreWrittenAsDocumentedStrings() throws {
        let text = String(decoding: try codec.encode(SnapshotFixtures.full()), as: UTF8.self)
        #expect(text.contains(#"{"labels":{"kind":"nan"},"value":"NaN"}"#))
        #expect(text.contains(#"{"labels":{"kind":"plus_inf"},"value":"+Inf"}"#))
        #expect(text.contains(#"{"labels":{"kind":"minus_inf"},"value":"-Inf"}"#))
        #expect(text.contains(#"{"count":27,"le":"+Inf"}"#))
        #expect(text.contains(#"{"quantile":0.5,"value":"NaN"}"#))
    }

    @Test func outputHasSortedKeysUnescapedSlashesAndOneTrailingNewline() throws {
        let text = String(decoding: try codec.encode(SnapshotFixtures.minimal()), as: UTF8.self)
        #expect(text.hasPrefix(#"{"alerts":[],"health":{"#))
        #expect(text.contains(#""schema":"kvstore.snapshot/1","sequence":1,"time":"2026-11-29T01:02:03.456Z""#))
        #expect(!text.contains(#"\/"#))
        #expect(text.hasSuffix("}\n") && !text.dropLast().contains("\n"))
        let full = String(decoding: try codec.encode(SnapshotFixtures.full()), as: UTF8.self)
        #expect(full.contains(#""route":"/api/v1/kv/{key}""#))
    }

    @Test func absentOptionalsAreLeftOut() throws {
        let text = String(decoding: try codec.encode(SnapshotFixtures.minimal()), as: UTF8.self)
        #expect(!text.contains("\"storage\""))
        #expect(!text.contains("null"))
    }

    @Test func unknownSchemaIsRejectedWithItsName() throws {
        for schema in ["kvstore.snapshot/2", "kvstore.snapshot/01", "other/1", "kvstore.snapshot"] {
            var snapshot = SnapshotFixtures.minimal()
            snapshot.schema = schema
            let error = try #require(throws: SnapshotError.self) { try codec.decode(try codec.encode(snapshot)) }
            #expect(error.code == .unknownSchema)
            #expect(error.message.contains(schema))
        }
    }

    @Test(arguments: [
        ("", SnapshotError.Code.empty),
        ("  \n", .empty),
        (#"{"schema":"kvstore.snapshot/1","sequence":1,"#, .truncated),
        ("hello world", .malformed),
        (#"{"schema" "kvstore.snapshot/1"}"#, .malformed),
        ("[1, 2]", .invalid),
        (#"{"sequence": 1}"#, .invalid),
        (#"{"schema": 1}"#, .invalid),
    ])
    func brokenInputIsClassified(input: String, code: SnapshotError.Code) throws {
        let error = try #require(throws: SnapshotError.self) { try codec.decode(Data(input.utf8)) }
        #expect(error.code == code, "\(error)")
    }

    @Test func missingFieldIsNamed() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: codec.encode(SnapshotFixtures.minimal())) as? [String: Any])
        var health = try #require(object["health"] as? [String: Any])
        health.removeValue(forKey: "status")
        object["health"] = health
        let error = try #require(throws: SnapshotError.self) {
            try codec.decode(try JSONSerialization.data(withJSONObject: object))
        }
        #expect(error.code == .invalid)
        #expect(error.message.contains("health.status"), "\(error.message)")
    }

    /// The bytes the codec wrote while `time` was still a `String` in the model.
    static let minimalDocument = #"{"alerts":[],"health":{"checks":{},"status":"healthy","summary":{"degraded":0,"healthy":0,"#
        + #""total":0,"unhealthy":0},"system":{"cpu_count":2,"hostname":"host-1","memory_total_bytes":8589934592,"os":"Linux","#
        + #""pid":4242,"resident_memory_bytes":52428800,"swift_version":"6.3.1","threads":9},"time":"2026-11-29T01:02:03.456Z","#
        + #""uptime_seconds":0,"version":"1.2.3"},"metrics":[],"node_id":"node-a","schema":"kvstore.snapshot/1","sequence":1,"#
        + #""time":"2026-11-29T01:02:03.456Z","uptime_seconds":0,"version":"1.2.3"}"# + "\n"

    @Test func documentBytesAndTimeAreUnchanged() throws {
        let encoded = try codec.encode(SnapshotFixtures.minimal())
        #expect(String(decoding: encoded, as: UTF8.self) == Self.minimalDocument)
        let decoded = try codec.decode(Data(Self.minimalDocument.utf8))
        #expect(decoded.time == Date(timeIntervalSince1970: 1_795_914_123.456))
        #expect(try codec.encode(decoded) == encoded)
    }

    @Test func badTimeIsInvalidWithTheSameMessage() throws {
        let document = Self.minimalDocument.replacingOccurrences(
            of: #""sequence":1,"time":"2026-11-29T01:02:03.456Z""#, with: #""sequence":1,"time":"yesterday""#)
        #expect(document != Self.minimalDocument)
        let error = try #require(throws: SnapshotError.self) { try codec.decode(Data(document.utf8)) }
        #expect(error.code == .invalid)
        #expect(error.message == #"time "yesterday" is not an RFC 3339 date-time"#)
    }

    @Test func aMissingFieldIsReportedBeforeABadTime() throws {
        let document = Self.minimalDocument
            .replacingOccurrences(of: #""sequence":1,"time":"2026-11-29T01:02:03.456Z""#, with: #""sequence":1,"time":"now""#)
            .replacingOccurrences(of: #","version":"1.2.3"}"# + "\n", with: "}\n")
        let error = try #require(throws: SnapshotError.self) { try codec.decode(Data(document.utf8)) }
        #expect(error.code == .invalid)
        #expect(error.message.hasPrefix("missing field version"), "\(error.message)")
    }

    @Test func gzipBytesAreNotJSON() throws {
        let compressed = try StoredGzip().compress(try codec.encode(SnapshotFixtures.minimal()))
        #expect(SnapshotCodec.isGzip(compressed))
        let error = try #require(throws: SnapshotError.self) { try codec.decode(compressed) }
        #expect(error.code == .compressedWithoutDecompressor)
        #expect(error.message == "compressed, no decompressor")
    }
}
