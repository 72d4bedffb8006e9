import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// Gives every request an id (the caller's sane `X-Request-ID`, else a new one) and a trace
/// context (the caller's `traceparent`, else a new trace), and echoes them in the response (a
/// stage of ``RequestLifecycleMiddleware``). Log lines get them from the request's ``RequestScope``.
struct RequestIdentity: Sendable {
    private let generator = RequestIDGenerator()

    /// Sets the request's id and trace context; returns the scope the request runs in.
    func assign(_ request: Request, to context: inout KVRequestContext) -> RequestScope {
        let requestID = request.headers[.xRequestID].flatMap { Self.isSane($0) ? $0 : nil } ?? generator.next()
        let trace = request.headers[.traceparent].flatMap(TraceContext.init(traceparent:)) ?? TraceContext()
        context.requestID = requestID
        context.trace = trace
        return RequestScope(requestID: requestID, trace: trace)
    }

    /// How many fields ``echo(_:into:)`` appends.
    static let echoedCount = 2

    /// `X-Request-ID` and `traceparent` of the answer: appended, since no route sets them and a
    /// set searches and rebuilds the fields.
    static func echo(_ context: KVRequestContext, into headers: inout HTTPFields) {
        headers.append(HTTPField(name: .xRequestID, value: context.requestID))
        if let trace = context.trace { headers.append(HTTPField(name: .traceparent, value: trace.outgoingTraceparent)) }
    }

    /// 1–128 characters from `[A-Za-z0-9._:-]`: safe to log and echo.
    static func isSane(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 128 else { return false }
        return id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x3A || byte == 0x2D
        }
    }
}

/// Request ids: a random per-process prefix and a counter in hex; unique without a syscall per
/// request, and written in one pass into the string's own storage.
final class RequestIDGenerator: Sendable {
    private let prefix = Array(TraceContext.randomHex(digits: 12).utf8)
    private let counter = Atomic<UInt64>(0)

    func next() -> String {
        let value = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let digits = max(1, (64 - value.leadingZeroBitCount + 3) / 4)
        return String(unsafeUninitializedCapacity: prefix.count + 1 + digits) { buffer in
            var index = buffer.initialize(fromContentsOf: prefix)
            buffer[index] = UInt8(ascii: "-")
            index += 1
            for position in (0..<digits).reversed() {
                let digit = UInt8(truncatingIfNeeded: value >> UInt64(4 * position) & 0xF)
                buffer[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") - 10 + digit
                index += 1
            }
            return index
        }
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-ID")!
    static let traceparent = Self("traceparent")!
}
