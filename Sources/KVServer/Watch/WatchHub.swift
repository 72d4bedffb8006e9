import Synchronization

/// The recent changes of the store, in revision order, and the clients waiting for them.
///
/// The store reports each committed revision's changes (`record`); a long poll (`wait`) answers at
/// once when the history already holds a matching change after its revision, else when one
/// arrives or at its timeout; a stream (`subscribe`) gets the backlog and then every matching change
/// live. The history is bounded (`capacity` events, oldest revisions dropped first): a client whose
/// revision is older than what is left is refused with `.compacted` and must re-list. A stream whose
/// client does not keep up (`streamBuffer` events waiting) is ended rather than buffered without
/// bound. Watchers (polls and streams together) are capped at `maxWatchers`.
final class WatchHub: Sendable {
    private struct Waiter {
        let prefix: [UInt8]
        let after: Int64
        let continuation: CheckedContinuation<Result<WatchBatch, WatchRefusal>, Never>
    }

    private struct Subscriber {
        let prefix: [UInt8]
        let continuation: AsyncStream<WatchEvent>.Continuation
    }

    /// A long poll from the moment it has an id: its timeout or cancellation may come before it waits.
    private enum Poll {
        case starting
        case ended
        case waiting(Waiter)
    }

    private struct State {
        /// The history is `events[head...]`: dropping old revisions moves `head`, and the dropped
        /// front is removed only once it is `capacity` long, so a commit costs O(its events), not a
        /// shift of the whole history (which had cost the single writer thread 5% of a PUT).
        var events: [WatchEvent] = []
        var head = 0
        var history: ArraySlice<WatchEvent> { events[head...] }
        /// Every event at or below this revision may be gone from `events`.
        var compactRevision: Int64
        /// The newest revision recorded.
        var revision: Int64
        var polls: [Int: Poll] = [:]
        var waiting = 0
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
        var watchers: Int { waiting + subscribers.count }
    }

    let capacity: Int
    let maxWatchers: Int
    let streamBuffer: Int
    private let state: Mutex<State>
    /// Called with the watcher count whenever it changes (the `kvstore_watchers` gauge).
    private let watchersChanged: @Sendable (Int) -> Void

    /// - Parameter revision: the store's revision when the hub starts; the history begins after it.
    init(revision: Int64, capacity: Int, maxWatchers: Int, streamBuffer: Int = 1024,
         watchersChanged: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.capacity = max(1, capacity)
        self.maxWatchers = maxWatchers
        self.streamBuffer = max(1, streamBuffer)
        self.watchersChanged = watchersChanged
        state = Mutex(State(compactRevision: revision, revision: revision))
    }

    /// The newest revision recorded.
    var revision: Int64 { state.withLock { $0.revision } }

    /// Waiting polls and open streams.
    var watchers: Int { state.withLock { $0.watchers } }

    /// The events held in memory, dropped ones not yet removed included (at most twice `capacity`; tests).
    var storedEventCount: Int { state.withLock { $0.events.count } }

    /// Adds one committed revision's changes (all with `modRevision == revision`); older or repeated revisions are ignored.
    func record(_ events: [WatchEvent], revision: Int64) {
        let (woken, streams, count) = state.withLock { state -> ([(Waiter, WatchBatch)], [(Int, Subscriber, [WatchEvent])], Int) in
            guard revision > state.revision else { return ([], [], state.watchers) }
            state.revision = revision
            state.events.append(contentsOf: events)
            if state.events.count - state.head > capacity {
                // Drop whole revisions from the front, so a revision is either all there or all gone.
                var cut = state.events.count - capacity
                let lastDropped = state.events[cut - 1].modRevision
                while cut < state.events.count, state.events[cut].modRevision == lastDropped { cut += 1 }
                state.head = cut
                state.compactRevision = lastDropped
                if state.head >= capacity {
                    state.events.removeFirst(state.head)
                    state.head = 0
                }
            }
            var woken: [(Waiter, WatchBatch)] = []
            for (id, poll) in state.polls {
                guard case .waiting(let waiter) = poll else { continue }
                let matching = events.filter { $0.matches(waiter.prefix) && $0.modRevision > waiter.after }
                guard !matching.isEmpty else { continue }
                state.polls[id] = nil
                state.waiting -= 1
                woken.append((waiter, WatchBatch(events: matching, revision: revision)))
            }
            let streams = state.subscribers.compactMap { id, subscriber -> (Int, Subscriber, [WatchEvent])? in
                let matching = events.filter { $0.matches(subscriber.prefix) }
                return matching.isEmpty ? nil : (id, subscriber, matching)
            }
            return (woken, streams, state.watchers)
        }
        for (waiter, batch) in woken { waiter.continuation.resume(returning: .success(batch)) }
        for (id, subscriber, events) in streams { deliver(events, to: subscriber, id: id) }
        if !woken.isEmpty { watchersChanged(count) }
    }

    /// Starts the history over at `revision` when the store's feed restarts there without the changes
    /// before it (a shared store at connect, or after its change log dropped revisions this node had not
    /// read); nothing when `revision` is not newer. Waiting polls are refused as compacted and streams end,
    /// so their clients re-list instead of missing changes.
    func restart(at revision: Int64) {
        let (waiters, streams, count) = state.withLock { state -> ([Waiter], [Subscriber], Int) in
            guard revision > state.revision else { return ([], [], state.watchers) }
            state.events.removeAll()
            state.head = 0
            state.compactRevision = revision
            state.revision = revision
            var waiters: [Waiter] = []
            for (id, poll) in state.polls {
                guard case .waiting(let waiter) = poll else { continue }
                state.polls[id] = nil
                state.waiting -= 1
                waiters.append(waiter)
            }
            let streams = Array(state.subscribers.values)
            return (waiters, streams, state.watchers)
        }
        let refusal = WatchRefusal(code: .compacted, compactRevision: revision)
        for waiter in waiters { waiter.continuation.resume(returning: .failure(refusal)) }
        for stream in streams { stream.continuation.finish() }
        if !waiters.isEmpty { watchersChanged(count) }
    }

    /// A long poll: the changes under `prefix` after revision `after`, at once if there are any, else
    /// the first that arrive within `timeout` of `clock`, else none.
    func wait<C: Clock>(prefix: String, after: Int64, timeout: Duration, clock: C) async -> Result<WatchBatch, WatchRefusal>
    where C.Duration == Duration {
        let prefix = Array(prefix.utf8)
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            state.polls[state.nextID] = .starting
            return state.nextID
        }
        let timer = Task {
            do {
                try await clock.sleep(for: timeout)
                self.endWait(id)
            } catch {}
        }
        defer {
            timer.cancel()
            state.withLock { state in
                if case .waiting = state.polls[id] { return }
                state.polls[id] = nil
            }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<WatchBatch, WatchRefusal>, Never>) in
                let (answer, count) = state.withLock { state -> (Result<WatchBatch, WatchRefusal>?, Int?) in
                    if after < state.compactRevision {
                        return (.failure(WatchRefusal(code: .compacted, compactRevision: state.compactRevision)), nil)
                    }
                    let matching = Self.backlog(state.history, prefix: prefix, after: after)
                    if !matching.isEmpty { return (.success(WatchBatch(events: matching, revision: state.revision)), nil) }
                    if case .ended = state.polls[id] { return (.success(WatchBatch(events: [], revision: state.revision)), nil) }
                    if state.watchers >= maxWatchers {
                        return (.failure(WatchRefusal(code: .tooManyWatchers, compactRevision: state.compactRevision)), nil)
                    }
                    state.polls[id] = .waiting(Waiter(prefix: prefix, after: after, continuation: continuation))
                    state.waiting += 1
                    return (nil, state.watchers)
                }
                if let answer { continuation.resume(returning: answer) }
                if let count { watchersChanged(count) }
            }
        } onCancel: {
            self.endWait(id)
        }
    }

    /// A stream of the changes under `prefix` after `after`: the backlog first, then live ones, until
    /// the consumer stops iterating or falls `streamBuffer` events behind (then it just ends).
    func subscribe(prefix: String, after: Int64) -> Result<AsyncStream<WatchEvent>, WatchRefusal> {
        let prefix = Array(prefix.utf8)
        let (stream, continuation) = AsyncStream.makeStream(of: WatchEvent.self, bufferingPolicy: .bufferingOldest(streamBuffer))
        let outcome = state.withLock { state -> Result<(Int, [WatchEvent], Int), WatchRefusal> in
            if after < state.compactRevision { return .failure(WatchRefusal(code: .compacted, compactRevision: state.compactRevision)) }
            if state.watchers >= maxWatchers { return .failure(WatchRefusal(code: .tooManyWatchers, compactRevision: state.compactRevision)) }
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(prefix: prefix, continuation: continuation)
            return .success((id, Self.backlog(state.history, prefix: prefix, after: after), state.watchers))
        }
        switch outcome {
        case .failure(let refusal):
            continuation.finish()
            return .failure(refusal)
        case .success(let (id, backlog, count)):
            continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
            watchersChanged(count)
            deliver(backlog, to: Subscriber(prefix: prefix, continuation: continuation), id: id)
            return .success(stream)
        }
    }

    private static func backlog(_ events: ArraySlice<WatchEvent>, prefix: [UInt8], after: Int64) -> [WatchEvent] {
        // Events are in revision order: skip to the first one after `after`.
        var low = events.startIndex, high = events.endIndex
        while low < high {
            let middle = (low + high) / 2
            if events[middle].modRevision <= after { low = middle + 1 } else { high = middle }
        }
        return events[low...].filter { $0.matches(prefix) }
    }

    private func deliver(_ events: [WatchEvent], to subscriber: Subscriber, id: Int) {
        for event in events {
            if case .dropped = subscriber.continuation.yield(event) {
                // Too slow: end it (its client reconnects from the last revision it saw).
                subscriber.continuation.finish()
                return
            }
        }
    }

    /// Answers a waiting poll with no events (its timeout or its cancellation); nothing if already answered.
    private func endWait(_ id: Int) {
        let (waiter, revision, count) = state.withLock { state -> (Waiter?, Int64, Int) in
            switch state.polls[id] {
            case .waiting(let waiter):
                state.polls[id] = nil
                state.waiting -= 1
                return (waiter, state.revision, state.watchers)
            case .starting:
                state.polls[id] = .ended
                return (nil, state.revision, state.watchers)
            case .ended, nil:
                return (nil, state.revision, state.watchers)
            }
        }
        guard let waiter else { return }
        waiter.continuation.resume(returning: .success(WatchBatch(events: [], revision: revision)))
        watchersChanged(count)
    }

    private func unsubscribe(_ id: Int) {
        let count = state.withLock { state in
            state.subscribers[id] = nil
            return state.watchers
        }
        watchersChanged(count)
    }
}
