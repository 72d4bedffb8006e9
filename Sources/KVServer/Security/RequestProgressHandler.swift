import HummingbirdCore
import NIOCore

/// Sits after the HTTP decoder and reports each request's head and end to the connection's
/// ``ConnectionGuardHandler``, which keeps the whole-request deadline. A direct call on the same
/// event loop: sent as events back through the pipeline, the two reports cost a request 2,000
/// instructions.
final class RequestProgressHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPConnectionStateHandler.InboundIn
    typealias InboundOut = HTTPConnectionStateHandler.InboundIn

    /// The connection's guard, found when this handler is added (nil in a pipeline without one).
    private var connectionGuard: ConnectionGuardHandler?

    func handlerAdded(context: ChannelHandlerContext) {
        connectionGuard = try? context.pipeline.syncOperations.handler(type: ConnectionGuardHandler.self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connectionGuard = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: connectionGuard?.headReceived()
        case .end: connectionGuard?.requestReceived()
        case .body: break
        }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension RequestProgressHandler: Sendable {}
