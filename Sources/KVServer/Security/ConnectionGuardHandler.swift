import Logging
import NIOCore

/// The first handler of every connection: enforces the connection cap and the deadline for a
/// request to arrive completely.
///
/// - Cap: a connection beyond ``ConnectionLimiter/limit`` is refused. On plain HTTP it gets a
///   `503` JSON answer (`too_many_connections`), its output is shut, and it is closed within a
///   second; over TLS (where plain bytes cannot be sent) it is closed at once.
/// - Deadline: a timer starts with the first byte of a request (for TLS, of the handshake) and
///   stops when the request's last part has been parsed (reported by ``RequestProgressHandler``).
///   When it fires, the connection is closed: trickled headers and bodies are cut off, while a
///   request being answered, or an idle keep-alive connection, is left alone.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
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
    private var deadline: Scheduled<Void>?
    private var lingerTimer: Scheduled<Void>?

    init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
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
            startDeadline(context)
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

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let progress = event as? RequestProgressEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch progress {
        case .headReceived: startDeadline(context)
        case .requestReceived: cancelDeadline()
        }
        promise?.succeed(())
    }

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

    private func startDeadline(_ context: ChannelHandlerContext) {
        guard deadline == nil, case .admitted = state else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: settings.requestTimeout) { [self] in
            deadline = nil
            settings.limiter.recordTimeout()
            logger.debug("connection closed", metadata: ["reason": "request_timeout"])
            context.close(promise: nil)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
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
