import Logging
import NIOCore

/// The first handler of every connection: enforces the connection cap and the deadline for a
/// request to arrive completely.
///
/// - Cap: a connection beyond ``ConnectionLimiter/limit`` is refused. On plain HTTP it gets a
///   `503` JSON answer (`too_many_connections`), its output is shut, and it is closed within a
///   second; over TLS (where plain bytes cannot be sent) it is closed at once.
/// - Deadline: a request's clock starts with its first byte (for TLS, of the handshake) and
///   stops when its last part has been parsed (reported by ``RequestProgressHandler``). A request
///   still arriving after `requestTimeout` has its connection closed: trickled headers and bodies
///   are cut off, while a request being answered, or an idle keep-alive connection, is left alone.
///
/// The clock is two readings of the monotonic clock a request; the connection's one timer is armed
/// when a request starts and none is, and when it fires it closes, re-arms for the request now
/// arriving, or (with none) stays off. A timer scheduled and cancelled per request cost 8,000
/// instructions (`scripts/bench/callgrind.sh`).
final class ConnectionGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = IOData

    /// What every connection of one listener shares.
    struct Settings: Sendable {
        let limiter: ConnectionLimiter
        let requestTimeout: TimeAmount
        /// Whether a refused connection may be answered in plain HTTP (false with TLS).
        let answersRefusal: Bool
        /// How long a refused connection may linger to deliver its `503`.
        var lingerTime: TimeAmount = .seconds(1)
    }

    private enum State {
        case pending
        case admitted
        case refused(lingering: Bool)
        case closed
    }

    private let settings: Settings
    private let logger: Logger
    private var state = State.pending
    /// When the request now arriving began; nil between requests.
    private var requestStart: NIODeadline?
    /// The connection's deadline timer, when armed.
    private var deadline: Scheduled<Void>?
    private var lingerTimer: Scheduled<Void>?
    /// Kept from `handlerAdded` to `handlerRemoved`, for the calls of ``RequestProgressHandler``.
    private var context: ChannelHandlerContext?

    init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { admit(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .refused, .closed:
            return  // a refused connection's request is read and dropped
        case .pending, .admitted:
            requestArriving()
            context.fireChannelRead(data)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .refused = state, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// A request's head was parsed (a request pipelined behind another starts its clock here).
    func headReceived() { requestArriving() }

    /// A request's last part was parsed: it is complete, and its clock stops.
    func requestReceived() { requestStart = nil }

    // MARK: The cap

    private func admit(_ context: ChannelHandlerContext) {
        guard case .pending = state else { return }
        if settings.limiter.acquire() {
            state = .admitted
            return
        }
        logger.debug("connection refused", metadata: ["reason": "max_connections", "limit": .stringConvertible(settings.limiter.limit)])
        guard settings.answersRefusal, settings.limiter.beginLinger() else {
            state = .refused(lingering: false)
            context.close(promise: nil)
            return
        }
        state = .refused(lingering: true)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(Self.refusal(limit: settings.limiter.limit, allocator: context.channel.allocator))), promise: nil)
        context.close(mode: .output, promise: nil)
        lingerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: settings.lingerTime) {
            context.close(promise: nil)
        }
    }

    /// The whole `503` answer, written before any request is read.
    static func refusal(limit: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        let body = "{\"error\":{\"code\":\"too_many_connections\",\"message\":\"the server has its maximum of \(limit) open "
            + "connections (security.max_connections); try again later\"}}\n"
        let head = "HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n"
            + "Retry-After: 1\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "Referrer-Policy: no-referrer\r\n"
            + "\r\n"
        return allocator.buffer(string: head + body)
    }

    // MARK: The deadline

    private func requestArriving() {
        guard requestStart == nil, case .admitted = state, let context else { return }
        let now = NIODeadline.now()
        requestStart = now
        if deadline == nil { armDeadline(at: now + settings.requestTimeout, context) }
    }

    private func armDeadline(at due: NIODeadline, _ context: ChannelHandlerContext) {
        deadline = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            deadline = nil
            // No request arriving: off until the next one starts.
            guard let start = requestStart else { return }
            let due = start + settings.requestTimeout
            guard NIODeadline.now() >= due else { return armDeadline(at: due, context) }
            settings.limiter.recordTimeout()
            logger.debug("connection closed", metadata: ["reason": "request_timeout"])
            context.close(promise: nil)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
        requestStart = nil
    }

    private func finish() {
        cancelDeadline()
        lingerTimer?.cancel()
        lingerTimer = nil
        switch state {
        case .admitted: settings.limiter.release()
        case .refused(lingering: true): settings.limiter.endLinger()
        case .pending, .refused(lingering: false), .closed: break
        }
        state = .closed
    }
}

@available(*, unavailable)
extension ConnectionGuardHandler: Sendable {}
