import Synchronization

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
    public var outgoingTraceparent: String {
        let length = 2 + 1 + traceID.utf8.count + 1 + spanID.utf8.count + 1 + flags.utf8.count
        return String(unsafeUninitializedCapacity: length) { buffer in
            var index = 0
            for part in ["00", traceID, spanID, flags] {
                if index > 0 {
                    buffer[index] = UInt8(ascii: "-")
                    index += 1
                }
                for byte in part.utf8 {
                    buffer[index] = byte
                    index += 1
                }
            }
            return index
        }
    }

    /// Random hex from a process-wide SplitMix64 stream: unique ids without a syscall per request
    /// (trace ids need to be unique and unpredictable enough, not cryptographic). Written
    /// straight into the string's storage.
    static func randomHex(bytes: Int) -> String {
        String(unsafeUninitializedCapacity: bytes * 2) { buffer in
            var index = 0
            var remaining = bytes
            while remaining > 0 {
                var word = IDStream.shared.next()
                for _ in 0..<min(8, remaining) {
                    buffer[index] = hexDigits[Int(word >> 4 & 0xF)]
                    buffer[index + 1] = hexDigits[Int(word & 0xF)]
                    index += 2
                    word >>= 8
                }
                remaining -= 8
            }
            return index
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

extension Character {
    var isLowercaseHexDigit: Bool { ("0"..."9").contains(self) || ("a"..."f").contains(self) }
}

/// SplitMix64 over an atomic counter seeded from the system's random source once.
final class IDStream: Sendable {
    static let shared = IDStream()
    private let state = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    func next() -> UInt64 {
        var z = state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
