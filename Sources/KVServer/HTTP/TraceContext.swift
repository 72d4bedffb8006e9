import Logging
import Synchronization

/// A W3C Trace Context (`traceparent`): the trace this request belongs to and our span in it.
///
/// The ids are kept as numbers and written as hex only where text is needed: the `traceparent`
/// echoed on every response, and a log line's `trace_id` (`logMetadata`, rendered only when a line
/// is written). Two strings per request fewer than keeping them as text.
public struct TraceContext: Sendable, Equatable {
    /// The trace id's 128 bits (high, then low), never both zero.
    var trace: (high: UInt64, low: UInt64)
    /// The caller's span (the parent of ours), never zero.
    var parent: UInt64?
    /// Our own span, passed on as the parent of outgoing calls; never zero.
    var span: UInt64
    var flagBits: UInt8

    /// 32 lowercase hex digits.
    public var traceID: String { Self.hex([trace.high, trace.low]) }
    /// 16 lowercase hex digits: the caller's span.
    public var parentID: String? { parent.map { Self.hex([$0]) } }
    /// 16 lowercase hex digits: our span.
    public var spanID: String { Self.hex([span]) }

    public static func == (lhs: TraceContext, rhs: TraceContext) -> Bool {
        lhs.trace == rhs.trace && lhs.parent == rhs.parent && lhs.span == rhs.span && lhs.flagBits == rhs.flagBits
    }

    /// Parses a `traceparent` header (version 00); nil when malformed.
    public init?(traceparent: String) {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff",
              parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
              parts.prefix(4).allSatisfy({ $0.allSatisfy(\.isLowercaseHexDigit) }),
              let high = UInt64(parts[1].prefix(16), radix: 16), let low = UInt64(parts[1].suffix(16), radix: 16),
              let parent = UInt64(parts[2], radix: 16), let flags = UInt8(parts[3], radix: 16),
              high != 0 || low != 0, parent != 0
        else { return nil }
        if parts[0] == "00" && parts.count != 4 { return nil }
        trace = (high, low)
        self.parent = parent
        span = Self.nonZeroRandom()
        flagBits = flags
    }

    /// Starts a new trace (when the caller sent none).
    public init() {
        trace = (IDStream.shared.next(), Self.nonZeroRandom())
        parent = nil
        span = Self.nonZeroRandom()
        flagBits = 1
    }

    /// The `traceparent` to send on outgoing calls made for this request.
    public var outgoingTraceparent: String {
        String(unsafeUninitializedCapacity: 55) { buffer in
            // 00-<trace>-<span>-<flags>, written in place (no array or part strings per response).
            var index = 0
            Self.putHex(0, digits: 2, into: buffer, at: &index)
            buffer[index] = UInt8(ascii: "-")
            index += 1
            Self.putHex(trace.high, digits: 16, into: buffer, at: &index)
            Self.putHex(trace.low, digits: 16, into: buffer, at: &index)
            buffer[index] = UInt8(ascii: "-")
            index += 1
            Self.putHex(span, digits: 16, into: buffer, at: &index)
            buffer[index] = UInt8(ascii: "-")
            index += 1
            Self.putHex(UInt64(flagBits), digits: 2, into: buffer, at: &index)
            return index
        }
    }

    /// The trace id as log metadata: written out as hex only when a line is logged.
    var logMetadata: Logger.MetadataValue { .stringConvertible(TraceIDText(high: trace.high, low: trace.low)) }

    /// The low `digits` lowercase hex digits of each of `values`, in one string.
    static func hex(_ values: [UInt64], digits: Int = 16) -> String {
        String(unsafeUninitializedCapacity: values.count * digits) { buffer in
            var index = 0
            for value in values { putHex(value, digits: digits, into: buffer, at: &index) }
            return index
        }
    }

    /// Writes the low `digits` (an even number) hex digits of `value` at `index`, moving `index`
    /// past them: two digits a step, from a table of every byte's two (a digit a step cost the
    /// `traceparent` of every answer 1,200 instructions).
    private static func putHex(_ value: UInt64, digits: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: inout Int) {
        assert(digits % 2 == 0)
        hexPairs.withUnsafeBufferPointer { pairs in
            for shift in stride(from: (digits - 2) * 4, through: 0, by: -8) {
                let pair = pairs[Int(truncatingIfNeeded: value >> UInt64(shift)) & 0xFF]
                buffer[index] = pair.high
                buffer[index + 1] = pair.low
                index += 2
            }
        }
    }

    private static func nonZeroRandom() -> UInt64 {
        while true {
            let value = IDStream.shared.next()
            if value != 0 { return value }
        }
    }

    /// `digits` random hex digits (at most 16) from the process-wide SplitMix64 stream: unique ids
    /// without a syscall per request (they need to be unique and unpredictable enough, not cryptographic).
    static func randomHex(digits: Int) -> String {
        hex([IDStream.shared.next()], digits: digits)
    }

    /// Each byte's two lowercase hex digits.
    private static let hexPairs: [(high: UInt8, low: UInt8)] = {
        let digits = Array("0123456789abcdef".utf8)
        return (0..<256).map { (digits[$0 >> 4], digits[$0 & 0xF]) }
    }()
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

/// A trace id that becomes text when a log line is written (16 bytes: held inline by the metadata value).
private struct TraceIDText: CustomStringConvertible, Sendable {
    let high: UInt64
    let low: UInt64

    var description: String { TraceContext.hex([high, low]) }
}
