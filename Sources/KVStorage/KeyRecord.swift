import Foundation

/// A key's stored value and its revisions, as etcd keeps them.
///
/// `createRevision` is the store revision of the write that created the key (since its last
/// deletion), `modRevision` that of its last write, `version` the number of writes since its
/// creation (1 after the first put). An absent key has no record; compares treat it as
/// `modRevision == 0` and `version == 0`.
public struct KeyRecord: Sendable, Equatable {
    public var value: [UInt8]
    public var createRevision: Int64
    public var modRevision: Int64
    public var version: Int64
    /// When the key disappears (whole milliseconds since 1970); nil when it never expires.
    public var expiresAt: Date?

    public init(value: [UInt8], createRevision: Int64, modRevision: Int64, version: Int64, expiresAt: Date? = nil) {
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.expiresAt = expiresAt
    }
}

/// Absolute expiry times as the stores keep them: whole milliseconds since 1970, 0 for none.
enum ExpiryTime {
    /// Year 10000: later dates are clamped here (a `Double` beyond `Int64` would trap).
    static let latestMilliseconds: Int64 = 253_402_300_800_000

    /// `date` in milliseconds since 1970, at least 1 (a date before 1970 has already passed)
    /// and at most `latestMilliseconds`; 0 for nil.
    static func milliseconds(_ date: Date?) -> Int64 {
        guard let date else { return 0 }
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite else { return value > 0 ? latestMilliseconds : 1 }
        if value < 1 { return 1 }
        if value > Double(latestMilliseconds) { return latestMilliseconds }
        return Int64(value)
    }

    /// The date of `milliseconds`; nil for 0.
    static func date(_ milliseconds: Int64) -> Date? {
        milliseconds == 0 ? nil : Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// `now()` in milliseconds since 1970.
    static func now(_ clock: @Sendable () -> Date) -> Int64 {
        max(1, milliseconds(clock()))
    }
}

/// A record's revisions and expiry: the fixed header in front of the value on disk.
struct RecordHeader: Sendable, Equatable {
    var createRevision: Int64
    var modRevision: Int64
    var version: Int64
    /// Milliseconds since 1970; 0 when the key never expires.
    var expiresAtMs: Int64

    /// Whether the key is still visible at `nowMs` (it expires at its expiry instant).
    @inline(__always)
    func isLive(atMs nowMs: Int64) -> Bool { expiresAtMs == 0 || expiresAtMs > nowMs }
}

/// A stored record: header and value bytes. Expired records stay stored until swept.
struct StoredRecord: Sendable, Equatable {
    var header: RecordHeader
    var value: [UInt8]

    var keyRecord: KeyRecord {
        KeyRecord(value: value, createRevision: header.createRevision, modRevision: header.modRevision,
                  version: header.version, expiresAt: ExpiryTime.date(header.expiresAtMs))
    }
}
