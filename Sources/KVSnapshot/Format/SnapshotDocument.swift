/// Decodes any readable schema version into the current `Snapshot` model, in one parse.
///
/// It reads `schema` first and picks the decoder for that version. Version 1 is the current model.
/// When version 2 comes, add `case 1: snapshot = try SnapshotV1(from: decoder).upgraded()` with the
/// old model kept in its own file, and decode version 2 with `Snapshot(from:)`.
struct SnapshotDocument: Decodable {
    let snapshot: Snapshot

    private enum Key: String, CodingKey { case schema }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let identifier = try container.decode(String.self, forKey: .schema)
        guard let schema = SnapshotSchema(identifier: identifier), schema.isReadable else {
            throw SnapshotError(.unknownSchema, message: "unknown schema \"\(identifier)\"")
        }
        switch schema.version {
        case 1:
            snapshot = try Snapshot(from: decoder)
        default:
            throw SnapshotError(.unknownSchema, message: "unknown schema \"\(identifier)\"")
        }
    }
}
