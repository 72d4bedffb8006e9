import Hummingbird

/// A feature's routes type: its handlers, and its lines of ``RouteTable``.
protocol RouteGroup: Sendable {
    static var routes: [Route<Self>] { get }
}

extension RouteGroup {
    /// Adds the feature's routes that `listener` serves.
    func register(on router: ListenerRouter, listener: Listener = .api) {
        for route in Self.routes where route.info.listeners.contains(listener) {
            route.register(self, on: router)
        }
    }
}
