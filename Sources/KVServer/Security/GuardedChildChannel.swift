import HummingbirdCore
import Logging
import NIOCore

/// A listener's child channel with a ``ConnectionGuardHandler`` in front of everything else
/// (TLS included), so the cap and the request deadline see every connection from its first byte.
struct GuardedChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    let settings: ConnectionGuardHandler.Settings

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionGuardHandler(settings: settings, logger: logger), position: .first)
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
