import HummingbirdCore
import NIOCore

/// What ``RequestProgressHandler`` tells ``ConnectionGuardHandler``: sent as an outbound user
/// event, which travels from the HTTP parts back to the front of the pipeline.
enum RequestProgressEvent: Sendable {
    /// A request's head was parsed.
    case headReceived
    /// A request's last part arrived: it is complete.
    case requestReceived
}

/// Sits after the HTTP decoder and reports each request's head and end to the connection guard,
/// which keeps the whole-request deadline.
final class RequestProgressHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPConnectionStateHandler.InboundIn
    typealias InboundOut = HTTPConnectionStateHandler.InboundIn

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(RequestProgressEvent.headReceived, promise: nil)
        case .end: context.triggerUserOutboundEvent(RequestProgressEvent.requestReceived, promise: nil)
        case .body: break
        }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension RequestProgressHandler: Sendable {}
