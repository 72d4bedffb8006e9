import Foundation
import KVSnapshot
import Synchronization
import Testing
import KVTestSupport

@testable import KVMonitoring

/// A fake POST: answers from a script, records every call.
final class FakeReceiver: Sendable {
    enum Answer: Sendable {
        case status(Int)
        case error
    }

    struct NetworkDown: Error {}

    private let script: Mutex<[Answer]>
    private let fallback: Answer
    private let calls = Mutex<[(url: String, body: Data, timeout: Double)]>([])

    init(_ script: [Answer], then fallback: Answer = .status(200)) {
        self.script = Mutex(script)
        self.fallback = fallback
    }

    var attempts: Int { self.calls.withLock { $0.count } }
    var bodies: [String] { self.calls.withLock { $0.map { String(decoding: $0.body, as: UTF8.self) } } }
    var timeouts: [Double] { self.calls.withLock { $0.map(\.timeout) } }

    var send: AlertNotifier.Send {
        { url, body, timeout in
            self.calls.withLock { $0.append((url, body, timeout)) }
            let answer = self.script.withLock { $0.isEmpty ? self.fallback : $0.removeFirst() }
            switch answer {
            case .status(let code): return code
            case .error: throw NetworkDown()
            }
        }
    }
}

@Suite struct AlertNotifierTests {
    private func notifier(_ receiver: FakeReceiver, clock: ManualClock = ManualClock(), maxRetries: Int = 3,
                          queueCapacity: Int = 64, metrics: AlertMetrics? = nil) -> AlertNotifier {
        AlertNotifier(targets: [.init(url: "http://127.0.0.1:9/hook", timeout: .milliseconds(1500), maxRetries: maxRetries)],
                      queueCapacity: queueCapacity, initialBackoff: .milliseconds(100), maxBackoff: .seconds(1),
                      metrics: metrics, clock: clock, send: receiver.send)
    }

    /// Delivers `body` to the notifier's first target, moving `clock` past each backoff as it starts.
    private func deliver(_ notifier: AlertNotifier, clock: ManualClock, retries: Int) async {
        let delivery = Task { await notifier.deliver(Data("{}".utf8), to: notifier.targets[0]) }
        for _ in 0..<retries { #expect(await clock.advanceToNextDeadline()) }
        await delivery.value
    }

    @Test func retriesWithBackoffUntilTheReceiverAccepts() async {
        let receiver = FakeReceiver([.error, .status(503)])
        let clock = ManualClock()
        let notifier = self.notifier(receiver, clock: clock)
        await deliver(notifier, clock: clock, retries: 2)
        #expect(receiver.attempts == 3)
        #expect(clock.requestedSleeps == [.milliseconds(100), .milliseconds(200)])
        #expect(receiver.timeouts == [1.5, 1.5, 1.5])
        #expect(notifier.counts == AlertNotifier.Counts(sent: 1, failed: 0, dropped: 0))
    }

    @Test(arguments: [FakeReceiver.Answer.error, .status(500)])
    func givesUpAfterMaxRetriesPlusOneAttempts(answer: FakeReceiver.Answer) async throws {
        let registry = MetricsRegistry()
        let receiver = FakeReceiver([], then: answer)
        let clock = ManualClock()
        let notifier = self.notifier(receiver, clock: clock, maxRetries: 2, metrics: try AlertMetrics(registry: registry))
        await deliver(notifier, clock: clock, retries: 2)
        #expect(receiver.attempts == 3)
        #expect(clock.requestedSleeps == [.milliseconds(100), .milliseconds(200)])
        #expect(notifier.counts == AlertNotifier.Counts(sent: 0, failed: 1, dropped: 0))
        let family = try #require(registry.snapshot().first { $0.name == "kvstore_alert_notifications_total" })
        #expect(family.samples.map { "\($0.labels["result"]!)=\($0.value!)" }.sorted() == ["dropped=0.0", "failed=1.0", "sent=0.0"])
    }

    @Test func backoffDoublesUpToTheCap() {
        let notifier = self.notifier(FakeReceiver([]))
        #expect((1...6).map(notifier.backoff(beforeRetry:)) == [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1),
        ])
    }

    @Test func enqueueReturnsAtOnceAndRunDeliversInOrder() async {
        let receiver = FakeReceiver([])
        let notifier = self.notifier(receiver)
        // Nothing delivers yet: queued, not sent.
        notifier.enqueue(body: Data("first".utf8))
        notifier.enqueue(body: Data("second".utf8))
        #expect(receiver.attempts == 0)
        let task = Task { await notifier.run() }
        #expect(await eventually { notifier.counts.sent == 2 })
        #expect(receiver.bodies == ["first", "second"])
        task.cancel()
        await task.value
    }

    @Test func aHungReceiverDoesNotBlockTheCallerAndAFullQueueDropsTheOldest() async {
        let receiverBusy = Gate()
        let calls = Mutex<[String]>([])
        let notifier = AlertNotifier(targets: [.init(url: "http://127.0.0.1:9/hook")], queueCapacity: 2) { _, body, _ in
            calls.withLock { $0.append(String(decoding: body, as: UTF8.self)) }
            await receiverBusy.wait()
            return 200
        }
        let task = Task { await notifier.run() }
        notifier.enqueue(body: Data("1".utf8))
        #expect(await eventually { calls.withLock { $0 } == ["1"] })
        // "1" is stuck in the receiver; these return at once, and "2" is dropped for "4".
        for body in ["2", "3", "4"] { notifier.enqueue(body: Data(body.utf8)) }
        #expect(notifier.counts.dropped == 1)
        receiverBusy.open()
        #expect(await eventually { notifier.counts.sent == 3 })
        #expect(calls.withLock { $0 } == ["1", "3", "4"])
        task.cancel()
        await task.value
    }

    @Test func withoutTargetsNothingIsQueued() {
        let notifier = AlertNotifier(targets: [], queueCapacity: 1) { _, _, _ in 200 }
        for _ in 0..<3 { notifier.enqueue(body: Data()) }
        #expect(notifier.counts == AlertNotifier.Counts())
    }
}
