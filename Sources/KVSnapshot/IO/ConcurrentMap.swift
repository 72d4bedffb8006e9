import Dispatch

extension Array where Element: Sendable {
    /// `map` with the elements transformed in parallel across the cores (`DispatchQueue.concurrentPerform`),
    /// the results in the elements' order.
    public func concurrentMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        guard count > 1 else { return map(transform) }
        return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each iteration initializes its own element, and concurrentPerform returns after the last.
            nonisolated(unsafe) let results = buffer.baseAddress!
            let elements = self
            DispatchQueue.concurrentPerform(iterations: elements.count) { index in
                (results + index).initialize(to: transform(elements[index]))
            }
            initialized = elements.count
        }
    }
}
