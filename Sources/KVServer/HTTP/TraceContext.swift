/// A W3C Trace Context (`traceparent`): the trace this request belongs to and our span in it.
public struct TraceContext: Sendable, Equatable {
    /// 32 lowercase hex digits, never all zero.
    public var traceID: String
    /// 16 lowercase hex digits: the caller's span (the parent of ours).
    public var parentID: String?
    /// Our own span id, passed on as the parent of outgoing calls.
    public var spanID: String
    public var flags: String

    /// Parses a `traceparent` header (version 00); nil when malformed.
    public init?(traceparent: String) {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff",
              parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
              parts.prefix(4).allSatisfy({ $0.allSatisfy(\.isLowercaseHexDigit) }),
              parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" })
        else { return nil }
        if parts[0] == "00" && parts.count != 4 { return nil }
        traceID = String(parts[1])
        parentID = String(parts[2])
        spanID = Self.randomHex(bytes: 8)
        flags = String(parts[3])
    }

    /// Starts a new trace (when the caller sent none).
    public init() {
        traceID = Self.randomHex(bytes: 16)
        parentID = nil
        spanID = Self.randomHex(bytes: 8)
        flags = "01"
    }

    /// The `traceparent` to send on outgoing calls made for this request.
    public var outgoingTraceparent: String { "00-\(traceID)-\(spanID)-\(flags)" }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var out = ""
        out.reserveCapacity(bytes * 2)
        for _ in 0..<bytes {
            let byte = UInt8.random(in: 0...255, using: &generator)
            out += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
        return out
    }
}

extension Character {
    var isLowercaseHexDigit: Bool { ("0"..."9").contains(self) || ("a"..."f").contains(self) }
}
