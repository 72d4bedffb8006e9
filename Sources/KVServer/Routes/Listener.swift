/// A socket the server answers on: the main API, or the separate metrics listener (`metrics.port`).
enum Listener: String, Sendable, CaseIterable {
    case api
    case metrics
}
