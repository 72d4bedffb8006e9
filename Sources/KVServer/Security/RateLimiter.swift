import Synchronization

/// A token bucket per client in a table of fixed size: `security.rate_limit.*`.
///
/// Each client may make `burst` requests at once and `rate` per second on average. Memory is
/// bounded: the table holds at most `capacity` clients in preallocated slots; a new client
/// takes the slot of a client whose bucket has refilled (a full bucket carries no state), or
/// else the least recently seen of a few slots probed from a moving hand. One `Mutex` guards the
/// table for a few arithmetic steps per request. Time comes from the injected clock.
final class RateLimiter: Sendable {
    /// How many slots a new client probes for one to take over.
    static let probes = 8

    private struct Slot {
        var client: String
        var tokens: Double
        var updated: Double
    }

    private struct Table {
        var slots: [Slot] = []
        var index: [String: Int] = [:]
        var hand = 0
    }

    let rate: Double
    let burst: Double
    let capacity: Int
    private let table: Mutex<Table>
    private let seconds: @Sendable () -> Double

    init<C: Clock>(requestsPerSecond: Int, burst: Int, maxClients: Int, clock: C) where C.Duration == Duration {
        rate = Double(max(1, requestsPerSecond))
        self.burst = Double(max(1, burst))
        capacity = max(1, maxClients)
        var table = Table()
        table.slots.reserveCapacity(min(capacity, 1 << 16))
        table.index.reserveCapacity(min(capacity, 1 << 16))
        self.table = Mutex(table)
        let start = clock.now
        seconds = {
            let elapsed = start.duration(to: clock.now).components
            return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        }
    }

    /// Takes one request from `client`'s bucket: nil when allowed, else the whole seconds (at least 1)
    /// until the next request would be.
    func admit(_ client: String) -> Int? {
        let now = seconds()
        return table.withLock { table -> Int? in
            let slot: Int
            if let existing = table.index[client] {
                slot = existing
                // Another thread may have read a later time and updated the slot first: never go back in time.
                let elapsed = max(0, now - table.slots[slot].updated)
                table.slots[slot].tokens = min(burst, table.slots[slot].tokens + elapsed * rate)
            } else {
                slot = Self.freeSlot(in: &table, capacity: capacity, now: now, rate: rate, burst: burst)
                if slot == table.slots.count {
                    table.slots.append(Slot(client: client, tokens: burst, updated: now))
                } else {
                    table.index[table.slots[slot].client] = nil
                    table.slots[slot] = Slot(client: client, tokens: burst, updated: now)
                }
                table.index[client] = slot
            }
            table.slots[slot].updated = max(table.slots[slot].updated, now)
            if table.slots[slot].tokens >= 1 {
                table.slots[slot].tokens -= 1
                return nil
            }
            let wait = (1 - table.slots[slot].tokens) / rate
            return max(1, Int(wait.rounded(.up)))
        }
    }

    /// How many clients the table holds (at most `capacity`).
    var trackedClients: Int { table.withLock { $0.index.count } }

    /// A slot for a new client: a new one while the table has room, else a probed slot whose bucket has
    /// refilled, else the least recently seen probed slot.
    private static func freeSlot(in table: inout Table, capacity: Int, now: Double, rate: Double, burst: Double) -> Int {
        if table.slots.count < capacity { return table.slots.count }
        var oldest = table.hand
        for _ in 0..<min(probes, capacity) {
            let candidate = table.hand
            table.hand = (table.hand + 1) % capacity
            let slot = table.slots[candidate]
            if slot.tokens + (now - slot.updated) * rate >= burst { return candidate }
            if slot.updated < table.slots[oldest].updated { oldest = candidate }
        }
        return oldest
    }
}
