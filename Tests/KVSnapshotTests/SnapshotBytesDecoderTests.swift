import Foundation
import Testing
@testable import KVSnapshot

/// The archive reader's fast path reads what `JSONDecoder` reads, value for value, and declines
/// (leaving the verdict to `JSONDecoder`) whatever it does not take.
@Suite struct SnapshotBytesDecoderTests {
    let codec = SnapshotCodec()

    /// Decodes `data` both ways and compares the two results re-encoded (NaN makes `==` useless).
    private func expectSameAsJSONDecoder(_ data: Data, _ comment: Comment) throws {
        let fast = try #require(SnapshotBytesDecoder.decode(data), comment)
        let slow = try codec.decodeWithJSONDecoder(data)
        #expect(try codec.encode(fast) == codec.encode(slow), comment)
    }

    @Test func readsTheFixturesAsJSONDecoderDoes() throws {
        try expectSameAsJSONDecoder(try codec.encode(SnapshotFixtures.full()), "full")
        try expectSameAsJSONDecoder(try codec.encode(SnapshotFixtures.minimal()), "minimal")
        var withCluster = SnapshotFixtures.full()
        withCluster.cluster = ClusterSnapshot(members: [
            ClusterMemberSnapshot(node: "b", url: "http://127.0.0.1:1", version: "1", state: .missing, health: "unknown",
                                  startedAt: "2026-11-29T01:02:03Z", lastSeen: "2026-11-29T01:02:04Z"),
        ])
        try expectSameAsJSONDecoder(try codec.encode(withCluster), "cluster")
    }

    @Test func readsEscapesUnicodeNumbersAndDetailKinds() throws {
        var snapshot = SnapshotFixtures.full()
        snapshot.nodeID = "nœud-\u{1F600}-\"q\"\\/\t\u{01}"
        snapshot.metrics[0].help = "line\nnext \u{2028} é"
        snapshot.metrics[0].samples[0].labels["route"] = "/kv/{key}?a=b&c=\u{7F}"
        snapshot.metrics[0].samples[0].value = 0.1 + 0.2
        snapshot.metrics[0].samples[1].value = 123_456_789_012_345_678
        snapshot.health.checks["disk"]?.details = ["flag": false, "one": 1, "text": "NaN-ish", "big": 1.5e300, "neg": -0.25]
        try expectSameAsJSONDecoder(try codec.encode(snapshot), "escapes")
        let decoded = try #require(SnapshotBytesDecoder.decode(try codec.encode(snapshot)))
        #expect(decoded.nodeID == snapshot.nodeID)
        #expect(decoded.metrics[0].samples[0].value == 0.1 + 0.2)
        #expect(decoded.health.checks["disk"]?.details["one"] == .number(1))
        #expect(decoded.health.checks["disk"]?.details["flag"] == .bool(false))
    }

    @Test func readsWhiteSpaceUnknownKeysNullOptionalsAndUnicodeEscapes() throws {
        let compact = String(decoding: try codec.encode(SnapshotFixtures.full()), as: UTF8.self)
        let spaced = Self.spacedOut(compact)
        #expect(spaced.count > compact.count + 200)
        try expectSameAsJSONDecoder(Data(spaced.utf8), "white space")

        let minimal = String(decoding: try codec.encode(SnapshotFixtures.minimal()), as: UTF8.self)
        let extra = minimal.replacingOccurrences(of: #"{"alerts":"#, with: #"{"future":{"a":[1,2.5e-3,true,null,"x\u00e9"]},"storage":null,"alerts":"#)
            .replacingOccurrences(of: #""version":"1.2.3""#, with: #""version":"\u0031.2.3\ud83d\ude00""#)
        try expectSameAsJSONDecoder(Data(extra.utf8), "unknown keys, null, \\u escapes")
        #expect(SnapshotBytesDecoder.decode(Data(extra.utf8))?.version == "1.2.3\u{1F600}")
    }

    @Test func declinesWhatItDoesNotTakeAndTheCodecStillJudges() throws {
        let compact = String(decoding: try codec.encode(SnapshotFixtures.minimal()), as: UTF8.self)
        let declined: [(String, String)] = [
            ("truncated", String(compact.dropLast(5))),
            ("trailing bytes", compact + "x"),
            ("leading zero", compact.replacingOccurrences(of: #""sequence":1"#, with: #""sequence":01"#)),
            ("fraction in an integer", compact.replacingOccurrences(of: #""sequence":1"#, with: #""sequence":1.5"#)),
            ("negative sequence", compact.replacingOccurrences(of: #""sequence":1"#, with: #""sequence":-1"#)),
            ("unknown schema", compact.replacingOccurrences(of: "kvstore.snapshot/1", with: "kvstore.snapshot/9")),
            ("missing field", compact.replacingOccurrences(of: #""node_id":"node-a","#, with: "")),
            ("bad time", compact.replacingOccurrences(of: SnapshotFixtures.time, with: "yesterday")),
            ("raw control character", compact.replacingOccurrences(of: "host-1", with: "host\u{01}1")),
            ("bad escape", compact.replacingOccurrences(of: "host-1", with: #"host\x1"#)),
        ]
        for (what, text) in declined {
            #expect(SnapshotBytesDecoder.decode(Data(text.utf8)) == nil, "\(what)")
            #expect(throws: SnapshotError.self, "\(what)") { try codec.decode(Data(text.utf8)) }
        }
        var invalidUTF8 = Data(compact.utf8)
        invalidUTF8[invalidUTF8.firstRange(of: Data("host-1".utf8))!.lowerBound] = 0xFF
        #expect(SnapshotBytesDecoder.decode(invalidUTF8) == nil)
        #expect(throws: SnapshotError.self) { try codec.decode(invalidUTF8) }
    }

    @Test func anEscapedKeyFallsBackToJSONDecoder() throws {
        let compact = String(decoding: try codec.encode(SnapshotFixtures.minimal()), as: UTF8.self)
        let escapedKey = compact.replacingOccurrences(of: #""node_id":"#, with: #""node_i\u0064":"#)
        #expect(escapedKey != compact)
        #expect(SnapshotBytesDecoder.decode(Data(escapedKey.utf8)) == nil)
        #expect(try codec.decode(Data(escapedKey.utf8)).nodeID == "node-a")
    }

    /// `json` with white space of every kind around every structural character outside strings.
    private static func spacedOut(_ json: String) -> String {
        var out = ""
        var inString = false, escaped = false
        for character in json {
            if inString {
                out.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true; out.append(character)
            case "{", "[": out += "\(character)\r\n\t"
            case ",", ":": out += " \(character) "
            case "}", "]": out += "\n\(character) "
            default: out.append(character)
            }
        }
        return out
    }
}
