import HTTPTypes
import KVStorage

/// An entity tag (RFC 9110 §8.8.3): `"opaque"` or, weak, `W/"opaque"`.
///
/// A key's tag is its `mod_revision` in decimal, strong: `"42"`.
struct EntityTag: Sendable, Equatable {
    var opaque: String
    var isWeak: Bool

    /// The header value of a key whose last write had `modRevision`.
    static func header(_ modRevision: Int64) -> String { "\"\(modRevision)\"" }

    /// The mod revision this tag names, when its opaque part is one in canonical decimal (> 0).
    var revision: Int64? {
        guard let value = Int64(opaque), value > 0, String(value) == opaque else { return nil }
        return value
    }
}

/// The value of `If-Match` or `If-None-Match`: `*` or a list of entity tags (RFC 9110 §13.1.1-2).
enum EntityTagCondition: Sendable, Equatable {
    case any
    case tags([EntityTag])

    /// Strong comparison (`If-Match`): a weak tag never matches.
    func matchesStrongly(_ record: KeyRecord?) -> Bool {
        guard let record else { return false }
        switch self {
        case .any: return true
        case .tags(let tags): return tags.contains { !$0.isWeak && $0.revision == record.modRevision }
        }
    }

    /// Weak comparison (`If-None-Match`): `W/"7"` matches `"7"`.
    func matchesWeakly(_ record: KeyRecord?) -> Bool {
        guard let record else { return false }
        switch self {
        case .any: return true
        case .tags(let tags): return tags.contains { $0.revision == record.modRevision }
        }
    }

    /// Parses every line of one field, joined as one list. Empty list elements are skipped
    /// (RFC 9110 §5.6.1); nil for an empty field; throws on anything that is not `*` alone
    /// or a list of entity tags.
    static func parse(_ lines: [String], field: String) throws(APIError) -> EntityTagCondition? {
        var tags: [EntityTag] = []
        var sawAny = false
        for line in lines {
            var bytes = Substring(line).utf8[...]
            func skipSpace() { while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() } }
            while true {
                skipSpace()
                guard let first = bytes.first else { break }
                if first == UInt8(ascii: ",") { bytes = bytes.dropFirst(); continue }
                if first == UInt8(ascii: "*") {
                    sawAny = true
                    bytes = bytes.dropFirst()
                } else {
                    var weak = false
                    if bytes.starts(with: "W/".utf8) {
                        weak = true
                        bytes = bytes.dropFirst(2)
                    }
                    guard bytes.first == UInt8(ascii: "\"") else { throw malformed(field) }
                    bytes = bytes.dropFirst()
                    // etagc = %x21 / %x23-7E (obs-text, bytes over 0x7F, is refused: no tag of ours has one)
                    guard let close = bytes.firstIndex(where: { !($0 == 0x21 || (0x23...0x7E).contains($0)) }),
                          bytes[close] == UInt8(ascii: "\"")
                    else { throw malformed(field) }
                    tags.append(EntityTag(opaque: String(decoding: bytes[..<close], as: UTF8.self), isWeak: weak))
                    bytes = bytes[bytes.index(after: close)...]
                }
                skipSpace()
                if let next = bytes.first {
                    guard next == UInt8(ascii: ",") else { throw malformed(field) }
                    bytes = bytes.dropFirst()
                }
            }
        }
        if sawAny {
            guard tags.isEmpty else { throw malformed(field) }
            return .any
        }
        return tags.isEmpty ? nil : .tags(tags)
    }

    private static func malformed(_ field: String) -> APIError {
        .badRequest("invalid_precondition", "\(field) must be * or a comma-separated list of entity tags such as \"42\" or W/\"42\"")
    }
}

/// The conditions of one request on its key, evaluated as RFC 9110 §13.2.2 orders them:
/// `If-Match` first, then `If-None-Match`. (`If-Modified-Since` and `If-Unmodified-Since` are
/// ignored: keys have no modification dates, only revisions.)
struct KVPreconditions: Sendable, Equatable {
    var ifMatch: EntityTagCondition?
    var ifNoneMatch: EntityTagCondition?

    /// The request's conditions; nil when it has none (the common case, checked without parsing).
    static func of(_ headers: HTTPFields) throws(APIError) -> KVPreconditions? {
        let matchLines = headers[values: .ifMatch]
        let noneMatchLines = headers[values: .ifNoneMatch]
        if matchLines.isEmpty && noneMatchLines.isEmpty { return nil }
        let conditions = KVPreconditions(
            ifMatch: try EntityTagCondition.parse(matchLines, field: "If-Match"),
            ifNoneMatch: try EntityTagCondition.parse(noneMatchLines, field: "If-None-Match"))
        return conditions.ifMatch == nil && conditions.ifNoneMatch == nil ? nil : conditions
    }

    /// Whether a write (`PUT`, `DELETE`) may proceed on `current` (nil: absent): `If-Match`
    /// compares strongly, `If-None-Match` weakly; a false `If-None-Match` also fails a write.
    func allowWrite(on current: KeyRecord?) -> Bool {
        if let ifMatch, !ifMatch.matchesStrongly(current) { return false }
        if let ifNoneMatch, ifNoneMatch.matchesWeakly(current) { return false }
        return true
    }

    /// The one store comparison exactly equivalent to these conditions, when there is one: a
    /// single `If-Match` revision, `If-Match: *` or `If-None-Match: *`. Others (lists, both
    /// fields) are evaluated on a read and then pinned to the revision read.
    var storeTarget: StoreTransaction.Target? {
        switch (ifMatch, ifNoneMatch) {
        case (.any?, nil): return .exists(true)
        case (nil, .any?): return .exists(false)
        case (.tags(let tags)?, nil):
            let revisions = Set(tags.filter { !$0.isWeak }.compactMap(\.revision))
            return revisions.count == 1 ? .modRevision(revisions.first!) : nil
        default: return nil
        }
    }

    /// The comparison that holds exactly while the key is as read: its mod revision (0: absent).
    static func pin(_ current: KeyRecord?) -> StoreTransaction.Target { .modRevision(current?.modRevision ?? 0) }
}
