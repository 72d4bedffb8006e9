import Foundation

/// Turns a `Snapshot` into JSON bytes and back.
///
/// The JSON has sorted keys, unescaped slashes and no insignificant white space, and ends with one
/// newline. Non-finite numbers are written as the JSON strings `"NaN"`, `"+Inf"` and `"-Inf"`
/// (the spellings of the Prometheus text format) and read back as the same values.
/// Compression is not the codec's job: see `SnapshotWriter` and `SnapshotArchive`.
public struct SnapshotCodec: Sendable {
    /// The string written for NaN.
    public static let nan = "NaN"
    /// The string written for +∞.
    public static let positiveInfinity = "+Inf"
    /// The string written for −∞.
    public static let negativeInfinity = "-Inf"

    /// Creates a codec.
    public init() {}

    /// Encodes `snapshot` as one JSON document. Throws `SnapshotError` (`.encoding`).
    public func encode(_ snapshot: Snapshot) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: Self.positiveInfinity, negativeInfinity: Self.negativeInfinity, nan: Self.nan)
        do {
            var data = try encoder.encode(snapshot)
            data.append(0x0A)
            return data
        } catch {
            throw SnapshotError(.encoding, message: "cannot encode snapshot: \(error)")
        }
    }

    /// Decodes one JSON document of any readable schema version: straight from the bytes
    /// (`SnapshotBytesDecoder`) when it can, else, and for every error, with `JSONDecoder`.
    ///
    /// Throws `SnapshotError` with code `.empty`, `.truncated`, `.malformed`, `.invalid`,
    /// `.unknownSchema`, or `.compressedWithoutDecompressor` for gzip bytes.
    public func decode(_ data: Data) throws -> Snapshot {
        try decode(data, families: nil)
    }

    /// Decodes as `decode(_:)` does, keeping only the metric families named in `families` (nil:
    /// every one); the fast path skips the samples of the others without reading them.
    public func decode(_ data: Data, families: Set<String>?) throws -> Snapshot {
        if data.isEmpty || data.allSatisfy(Self.isWhitespace) {
            throw SnapshotError(.empty, message: "empty")
        }
        if Self.isGzip(data) {
            throw SnapshotError(.compressedWithoutDecompressor, message: "compressed, no decompressor")
        }
        if let snapshot = SnapshotBytesDecoder.decode(data, families: families) { return snapshot }
        var snapshot = try decodeWithJSONDecoder(data)
        if let families { snapshot.metrics.removeAll { !families.contains($0.name) } }
        return snapshot
    }

    /// The slow path and the judge of errors: Foundation's `JSONDecoder` over `SnapshotDocument`.
    func decodeWithJSONDecoder(_ data: Data) throws -> Snapshot {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: Self.positiveInfinity, negativeInfinity: Self.negativeInfinity, nan: Self.nan)
        do {
            return try decoder.decode(SnapshotDocument.self, from: data).snapshot
        } catch let error as SnapshotError {
            throw error
        } catch let error as DecodingError {
            throw Self.classify(error, data: data)
        } catch {
            throw SnapshotError(.malformed, message: "not well-formed JSON: \(error)")
        }
    }

    /// Whether `data` starts with the gzip magic bytes `1f 8b`.
    public static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
    }

    // MARK: - Error classification

    private static func classify(_ error: DecodingError, data: Data) -> SnapshotError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // A syntax error. A document that opens but never closes was cut short.
            let content = data.filter { !isWhitespace($0) }
            if content.first == UInt8(ascii: "{"), content.last != UInt8(ascii: "}") {
                return SnapshotError(.truncated, message: "truncated JSON (\(data.count) bytes, no closing brace)")
            }
            return SnapshotError(.malformed, message: "not well-formed JSON")
        case .dataCorrupted(let context):
            return SnapshotError(.invalid, message: "invalid value at \(path(context.codingPath)): \(context.debugDescription)")
        case .keyNotFound(let key, let context):
            return SnapshotError(.invalid, message: "missing field \(path(context.codingPath + [key]))")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return SnapshotError(.invalid, message: "wrong type at \(path(context.codingPath)): \(context.debugDescription)")
        @unknown default:
            return SnapshotError(.invalid, message: "not a snapshot: \(error)")
        }
    }

    /// `health.checks.disk.status`, `metrics[2].samples`.
    private static func path(_ keys: [any CodingKey]) -> String {
        guard !keys.isEmpty else { return "the top level" }
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
