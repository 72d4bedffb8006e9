import Foundation
import Testing
import KVTestSupport
@testable import KVServer

@Suite struct WatchHubTests {
    func put(_ key: String, _ revision: Int64) -> WatchEvent {
        WatchEvent(key: key, kind: .put, modRevision: revision, value: Array(key.utf8))
    }

    func hub(capacity: Int = 100, maxWatchers: Int = 10, streamBuffer: Int = 100) -> WatchHub {
        WatchHub(revision: 0, capacity: capacity, maxWatchers: maxWatchers, streamBuffer: streamBuffer)
    }

    @Test func aPollAnswersAtOnceFromTheHistory() async {
        let hub = hub()
        hub.record([put("a", 1)], revision: 1)
        hub.record([put("b/x", 2), WatchEvent(key: "b/y", kind: .delete, modRevision: 2)], revision: 2)
        hub.record([put("a", 3)], revision: 3)
        let batch = await hub.wait(prefix: "b/", after: 0, timeout: .seconds(30), clock: ManualClock())
        #expect(batch == .success(WatchBatch(events: [put("b/x", 2), WatchEvent(key: "b/y", kind: .delete, modRevision: 2)], revision: 3)))
        let later = await hub.wait(prefix: "", after: 2, timeout: .seconds(30), clock: ManualClock())
        #expect(later == .success(WatchBatch(events: [put("a", 3)], revision: 3)))
    }

    @Test func aRestartedFeedStartsTheHistoryOverAndRefusesOlderRevisions() async {
        let hub = hub()
        hub.record([put("a", 1)], revision: 1)
        let waiting = Task { await hub.wait(prefix: "", after: 1, timeout: .seconds(30), clock: ManualClock()) }
        #expect(await eventually { hub.watchers == 1 })
        // A shared store's feed resumes at 40 without revisions 2...40: the waiting poll must re-list.
        hub.restart(at: 40)
        #expect(await waiting.value == .failure(WatchRefusal(code: .compacted, compactRevision: 40)))
        #expect(hub.watchers == 0)
        #expect(hub.revision == 40)
        #expect(await hub.wait(prefix: "", after: 1, timeout: .seconds(30), clock: ManualClock())
            == .failure(WatchRefusal(code: .compacted, compactRevision: 40)))
        hub.record([put("b", 41)], revision: 41)
        #expect(await hub.wait(prefix: "", after: 40, timeout: .seconds(30), clock: ManualClock())
            == .success(WatchBatch(events: [put("b", 41)], revision: 41)))
        // Not newer: nothing changes.
        hub.restart(at: 41)
        #expect(await hub.wait(prefix: "", after: 40, timeout: .seconds(30), clock: ManualClock())
            == .success(WatchBatch(events: [put("b", 41)], revision: 41)))
    }

    @Test func aPollWaitsForTheFirstMatchingChange() async {
        let hub = hub()
        let poll = Task { await hub.wait(prefix: "b", after: 0, timeout: .seconds(30), clock: ManualClock()) }
        #expect(await eventually { hub.watchers == 1 })
        hub.record([put("a", 1)], revision: 1)  // not under the prefix: still waiting
        #expect(hub.watchers == 1)
        hub.record([put("b", 2)], revision: 2)
        #expect(await poll.value == .success(WatchBatch(events: [put("b", 2)], revision: 2)))
        #expect(hub.watchers == 0)
    }

    @Test func aPollEndsEmptyAtItsTimeoutOnTheClock() async {
        let hub = hub()
        hub.record([put("a", 1)], revision: 1)
        let clock = ManualClock()
        let poll = Task { await hub.wait(prefix: "", after: 1, timeout: .seconds(30), clock: clock) }
        #expect(await eventually { hub.watchers == 1 && clock.deadlines == [.seconds(30)] })
        clock.advance(by: .seconds(29))
        #expect(hub.watchers == 1)
        clock.advance(by: .seconds(1))
        #expect(await poll.value == .success(WatchBatch(events: [], revision: 1)))
        #expect(hub.watchers == 0)
    }

    @Test func aCancelledPollStopsWatching() async {
        let hub = hub()
        let poll = Task { await hub.wait(prefix: "", after: 0, timeout: .seconds(30), clock: ManualClock()) }
        #expect(await eventually { hub.watchers == 1 })
        poll.cancel()
        #expect(await poll.value == .success(WatchBatch(events: [], revision: 0)))
        #expect(hub.watchers == 0)
    }

    @Test func revisionsOlderThanTheHistoryAreCompacted() async {
        let hub = hub(capacity: 2)
        for revision in Int64(1)...3 { hub.record([put("k\(revision)", revision)], revision: revision) }
        let clock = ManualClock()
        #expect(await hub.wait(prefix: "", after: 0, timeout: .seconds(1), clock: clock) == .failure(WatchRefusal(code: .compacted, compactRevision: 1)))
        #expect(await hub.wait(prefix: "", after: 1, timeout: .seconds(1), clock: clock)
            == .success(WatchBatch(events: [put("k2", 2), put("k3", 3)], revision: 3)))
        guard case .failure(let refusal) = hub.subscribe(prefix: "", after: 0) else { Issue.record("not refused"); return }
        #expect(refusal.code == .compacted)
    }

    /// Many times the capacity through the history: it always holds exactly the newest revisions that
    /// fit, in order, whether the dropped front was removed yet or not.
    @Test func theHistoryStaysTheNewestRevisionsThroughManyDrops() async {
        let hub = hub(capacity: 5)
        let clock = ManualClock()
        for revision in Int64(1)...23 {
            hub.record([put("k\(revision)", revision)], revision: revision)
            #expect(hub.storedEventCount <= 10, "memory stays within twice the capacity")
            let oldest = max(revision - 5, 0)
            let all = await hub.wait(prefix: "", after: oldest, timeout: .seconds(1), clock: clock)
            #expect(all == .success(WatchBatch(events: (oldest + 1...revision).map { put("k\($0)", $0) }, revision: revision)),
                    "after revision \(revision)")
            if oldest > 0 {
                #expect(await hub.wait(prefix: "", after: oldest - 1, timeout: .seconds(1), clock: clock)
                    == .failure(WatchRefusal(code: .compacted, compactRevision: oldest)), "after revision \(revision)")
            }
        }
        #expect(await hub.wait(prefix: "k2", after: 18, timeout: .seconds(1), clock: clock)
            == .success(WatchBatch(events: [put("k20", 20), put("k21", 21), put("k22", 22), put("k23", 23)], revision: 23)))
    }

    @Test func aRevisionIsDroppedWhole() async {
        let hub = hub(capacity: 2)
        hub.record([put("a", 1), put("b", 1)], revision: 1)
        hub.record([put("c", 2), put("d", 2)], revision: 2)
        #expect(await hub.wait(prefix: "", after: 1, timeout: .seconds(1), clock: ManualClock())
            == .success(WatchBatch(events: [put("c", 2), put("d", 2)], revision: 2)))
        #expect(await hub.wait(prefix: "", after: 0, timeout: .seconds(1), clock: ManualClock()) == .failure(WatchRefusal(code: .compacted, compactRevision: 1)))
    }

    @Test func watchersAreCapped() async {
        let hub = hub(maxWatchers: 1)
        let poll = Task { await hub.wait(prefix: "", after: 0, timeout: .seconds(30), clock: ManualClock()) }
        #expect(await eventually { hub.watchers == 1 })
        #expect(await hub.wait(prefix: "", after: 0, timeout: .seconds(30), clock: ManualClock())
            == .failure(WatchRefusal(code: .tooManyWatchers, compactRevision: 0)))
        guard case .failure(let refusal) = hub.subscribe(prefix: "", after: 0) else { Issue.record("not refused"); return }
        #expect(refusal.code == .tooManyWatchers)
        poll.cancel()
        _ = await poll.value
    }

    @Test func aStreamGetsTheBacklogThenLiveChanges() async throws {
        let hub = hub()
        hub.record([put("a", 1)], revision: 1)
        hub.record([put("b", 2)], revision: 2)
        guard case .success(let stream) = hub.subscribe(prefix: "", after: 1) else { Issue.record("refused"); return }
        #expect(hub.watchers == 1)
        hub.record([put("c", 3)], revision: 3)
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == put("b", 2))
        #expect(await iterator.next() == put("c", 3))
    }

    @Test func aStreamThatFallsBehindIsEndedNotBuffered() async {
        let hub = hub(streamBuffer: 2)
        guard case .success(let stream) = hub.subscribe(prefix: "", after: 0) else { Issue.record("refused"); return }
        for revision in Int64(1)...5 { hub.record([put("k\(revision)", revision)], revision: revision) }
        var received: [WatchEvent] = []
        for await event in stream { received.append(event) }
        #expect(received == [put("k1", 1), put("k2", 2)])
        #expect(hub.watchers == 0)
    }

    @Test func prefixesCompareBytesNotCanonicalEquivalence() async {
        let hub = hub()
        hub.record([put("\u{E9}t\u{E9}", 1)], revision: 1)
        #expect(await hub.wait(prefix: "e\u{301}", after: 0, timeout: .zero, clock: ManualClock()) == .success(WatchBatch(events: [], revision: 1)))
        #expect(await hub.wait(prefix: "\u{E9}", after: 0, timeout: .zero, clock: ManualClock())
            == .success(WatchBatch(events: [put("\u{E9}t\u{E9}", 1)], revision: 1)))
    }
}
