import Synchronization

/// Runs an operation against a time limit that holds even when the operation ignores cancellation
/// (postgres-nio's pool waits for a connection without end while the database is down).
enum Deadline {
    struct Exceeded: Error {}

    /// `body`'s result, or `Exceeded` once `seconds` have passed; `body` is then cancelled and left to
    /// finish on its own.
    static func run<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        return try await withCheckedThrowingContinuation { continuation in
            race.start(continuation)
            let work = Task {
                do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
            }
            let timer = Task {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                if !Task.isCancelled, race.finish(.failure(Exceeded())) { work.cancel() }
            }
            race.onFinish { timer.cancel() }
        }
    }

    /// The first of the two results wins; the other is dropped.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var finished = false
            var cleanup: (@Sendable () -> Void)?
        }
        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        /// Runs `cleanup` when the race ends (at once when it already has).
        func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
            let done = state.withLock { state -> Bool in
                if state.finished { return true }
                state.cleanup = cleanup
                return false
            }
            if done { cleanup() }
        }

        @discardableResult
        func finish(_ result: Result<T, any Error>) -> Bool {
            let (continuation, cleanup) = state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
                guard !state.finished else { return (nil, nil) }
                state.finished = true
                defer { state.continuation = nil; state.cleanup = nil }
                return (state.continuation, state.cleanup)
            }
            guard let continuation else { return false }
            continuation.resume(with: result)
            cleanup?()
            return true
        }
    }
}
