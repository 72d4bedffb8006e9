import Foundation
import Logging
import Synchronization

/// Delivers Alertmanager webhook notifications in the background, with a timeout, bounded
/// retries and exponential backoff; never blocks the caller.
///
/// `enqueue` only puts the body on a bounded queue (when it is full the oldest waiting
/// notification is dropped and counted). `run()` delivers the queue until its task is
/// cancelled: each notification to every target concurrently, one notification after another.
public final class AlertNotifier: Sendable {
    /// One receiver.
    public struct Target: Sendable, Equatable {
        /// An `http://` URL.
        public var url: String
        /// The most one POST may take.
        public var timeout: Duration
        /// Retries after a failed POST (an error or a status outside 200–299); 0 = one attempt.
        public var maxRetries: Int

        /// Creates a target.
        public init(url: String, timeout: Duration = .seconds(2), maxRetries: Int = 3) {
            self.url = url
            self.timeout = timeout
            self.maxRetries = maxRetries
        }
    }

    /// POSTs `body` (JSON) to `url` within `timeout` seconds and returns the HTTP status.
    public typealias Send = @Sendable (_ url: String, _ body: Data, _ timeout: Double) async throws -> Int

    /// Notifications per result, counted once per target.
    public struct Counts: Sendable, Equatable {
        public var sent = 0
        public var failed = 0
        public var dropped = 0

        public init(sent: Int = 0, failed: Int = 0, dropped: Int = 0) {
            self.sent = sent
            self.failed = failed
            self.dropped = dropped
        }
    }

    public let targets: [Target]
    private let send: Send
    private let clock: any Clock<Duration>
    private let initialBackoff: Duration
    private let maxBackoff: Duration
    private let metrics: AlertMetrics?
    private let logger: Logger
    private let stream: AsyncStream<Data>
    private let continuation: AsyncStream<Data>.Continuation
    private let state = Mutex((counts: Counts(), running: false))

    /// Creates a notifier; nothing is sent until `run()`.
    ///
    /// - Parameters:
    ///   - targets: the receivers; with none, `enqueue` does nothing.
    ///   - queueCapacity: notifications waiting for delivery before the oldest is dropped.
    ///   - initialBackoff: the wait before the first retry; doubled for each further one.
    ///   - maxBackoff: the longest wait between retries.
    ///   - metrics: where results are counted, if anywhere.
    ///   - clock: what the waits between retries sleep on (tests pass a manual one).
    ///   - send: the HTTP POST.
    public init(
        targets: [Target],
        queueCapacity: Int = 64,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(30),
        metrics: AlertMetrics? = nil,
        logger: Logger = Logger(label: "kvstore.alerts", factory: { _ in SwiftLogNoOpLogHandler() }),
        clock: any Clock<Duration> = ContinuousClock(),
        send: @escaping Send
    ) {
        self.targets = targets
        self.send = send
        self.clock = clock
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.metrics = metrics
        self.logger = logger
        (self.stream, self.continuation) = AsyncStream.makeStream(of: Data.self, bufferingPolicy: .bufferingNewest(max(1, queueCapacity)))
    }

    deinit {
        self.continuation.finish()
    }

    /// The results so far.
    public var counts: Counts {
        self.state.withLock { $0.counts }
    }

    /// Queues `payload` for every target and returns at once.
    public func enqueue(_ payload: AlertmanagerPayload) {
        self.enqueue(body: payload.encoded())
    }

    /// Queues a JSON body for every target and returns at once.
    public func enqueue(body: Data) {
        guard !self.targets.isEmpty else { return }
        if case .dropped = self.continuation.yield(body) {
            self.count(.dropped, times: self.targets.count)
            self.logger.warning("alert notification queue full: dropped the oldest notification")
        }
    }

    /// Delivers queued notifications until the calling task is cancelled. Call it once.
    public func run() async {
        let alreadyRunning = self.state.withLock { state in
            defer { state.running = true }
            return state.running
        }
        guard !alreadyRunning else {
            self.logger.error("AlertNotifier.run() called twice; the second call returns at once")
            return
        }
        for await body in self.stream {
            await withDiscardingTaskGroup { group in
                for target in self.targets {
                    group.addTask { await self.deliver(body, to: target) }
                }
            }
            if Task.isCancelled { return }
        }
    }

    /// Sends `body` to `target`, retrying with backoff, and counts the result once.
    func deliver(_ body: Data, to target: Target) async {
        var attempts = 0
        var lastProblem = ""
        for attempt in 0...max(0, target.maxRetries) {
            if attempt > 0 {
                do {
                    try await self.clock.sleep(for: self.backoff(beforeRetry: attempt))
                } catch {
                    lastProblem = "cancelled"
                    break
                }
            }
            attempts += 1
            do {
                let status = try await self.send(target.url, body, target.timeout.alertSeconds)
                if (200..<300).contains(status) {
                    self.count(.sent)
                    return
                }
                lastProblem = "HTTP status \(status)"
            } catch {
                lastProblem = "\(error)"
            }
        }
        self.count(.failed)
        self.logger.warning(
            "alert notification failed",
            metadata: ["url": "\(target.url)", "attempts": "\(attempts)", "error": "\(lastProblem)"]
        )
    }

    /// The wait before retry number `retry` (1-based): `initialBackoff * 2^(retry-1)`, at most `maxBackoff`.
    func backoff(beforeRetry retry: Int) -> Duration {
        var wait = self.initialBackoff
        for _ in 1..<max(1, retry) where wait < self.maxBackoff {
            wait *= 2
        }
        return min(wait, self.maxBackoff)
    }

    private func count(_ result: AlertMetrics.Result, times: Int = 1) {
        self.state.withLock { state in
            switch result {
            case .sent: state.counts.sent += times
            case .failed: state.counts.failed += times
            case .dropped: state.counts.dropped += times
            }
        }
        self.metrics?.record(result, count: times)
    }
}
