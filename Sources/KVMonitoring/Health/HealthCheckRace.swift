import Synchronization

/// Runs one check against its timeout without ever waiting on the check past that timeout.
///
/// The check runs in its own unstructured task: a structured child that ignores cancellation
/// would hold its task group (and so the caller) open forever. The caller resumes at the first
/// of: the check finishing, the timeout, or its own cancellation; the loser is cancelled.
enum HealthCheckRace {
    enum Result: Sendable, Equatable {
        case finished(HealthCheckOutcome, Duration)
        case timedOut
        case cancelled
    }

    /// Runs `check`; `onCompletion` is called when `check.run()` returns, even long after a
    /// timeout, so the caller knows the check is no longer in flight.
    static func run<C: Clock>(
        _ check: any HealthCheck,
        clock: C,
        onCompletion: @escaping @Sendable () -> Void
    ) async -> Result where C.Duration == Duration {
        let gate = Gate()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result, Never>) in
                guard gate.install(continuation) else { return }
                let runner = Task {
                    let start = clock.now
                    let outcome = await check.run()
                    let duration = start.duration(to: clock.now)
                    onCompletion()
                    gate.resume(with: .finished(outcome, duration))
                }
                let timer = Task {
                    do {
                        try await clock.sleep(for: check.timeout)
                        gate.resume(with: .timedOut)
                    } catch {}
                }
                gate.track(runner: runner, timer: timer)
            }
        } onCancel: {
            gate.resume(with: .cancelled)
        }
    }

    /// Resumes the continuation once and cancels the tasks that lost.
    private final class Gate: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result, Never>?
            var result: Result?
            var runner: Task<Void, Never>?
            var timer: Task<Void, Never>?
        }

        private let state = Mutex(State())

        /// Stores the continuation; resumes it at once (and returns false) if already decided.
        func install(_ continuation: CheckedContinuation<Result, Never>) -> Bool {
            let decided: Result? = self.state.withLock { state in
                if let result = state.result { return result }
                state.continuation = continuation
                return nil
            }
            if let decided {
                continuation.resume(returning: decided)
                return false
            }
            return true
        }

        func track(runner: Task<Void, Never>, timer: Task<Void, Never>) {
            let decided = self.state.withLock { state in
                state.runner = runner
                state.timer = timer
                return state.result
            }
            if let decided { Self.cancelLosers(of: decided, runner: runner, timer: timer) }
        }

        func resume(with result: Result) {
            let taken = self.state.withLock { state -> (CheckedContinuation<Result, Never>?, Task<Void, Never>?, Task<Void, Never>?)? in
                guard state.result == nil else { return nil }
                state.result = result
                defer { state.continuation = nil }
                return (state.continuation, state.runner, state.timer)
            }
            guard let (continuation, runner, timer) = taken else { return }
            continuation?.resume(returning: result)
            Self.cancelLosers(of: result, runner: runner, timer: timer)
        }

        private static func cancelLosers(of result: Result, runner: Task<Void, Never>?, timer: Task<Void, Never>?) {
            switch result {
            case .finished: timer?.cancel()
            case .timedOut: runner?.cancel()
            case .cancelled:
                runner?.cancel()
                timer?.cancel()
            }
        }
    }
}
