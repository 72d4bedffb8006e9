/// Polls `condition` until it holds or `timeout` has passed; returns whether it held.
///
/// Assert on the result (`#expect(await eventually { ... })`); the deadline only bounds the wait,
/// so a slow machine makes the test slower, never wrong.
public func eventually(
    timeout: Duration = .seconds(15), polling interval: Duration = .milliseconds(10), _ condition: @Sendable () -> Bool
) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while !condition() {
        guard clock.now < deadline else { return condition() }
        try? await Task.sleep(for: interval)
    }
    return true
}
