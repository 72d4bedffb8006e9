/// Polls `condition` until it holds or `timeout` has passed; returns whether it held.
///
/// Assert on the result (`#expect(await eventually { ... })`); the deadline only bounds the wait,
/// so a slow machine makes the test slower, never wrong. The condition may itself wait (a request).
public func eventually(
    timeout: Duration = .seconds(15), polling interval: Duration = .milliseconds(10), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while try await !condition() {
        guard clock.now < deadline else { return try await condition() }
        try? await Task.sleep(for: interval)
    }
    return true
}
