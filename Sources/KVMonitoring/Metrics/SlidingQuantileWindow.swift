/// Samples of the last `window` seconds, kept in a ring of sub-windows with bounded memory.
///
/// The window is split into `ageBuckets` sub-windows; a sample leaves the window when its
/// sub-window is reused, so the effective age of the oldest sample lies between
/// `window - window/ageBuckets` and `window`. Each sub-window keeps at most
/// `maxSamplesPerBucket` samples (a uniform reservoir sample past that), weighted when merged.
struct SlidingQuantileWindow: Sendable {
    private struct SubWindow {
        var slot: Int = .min
        var samples: [Double] = []
        var seen: UInt64 = 0
    }

    let bucketSeconds: Double
    let maxSamplesPerBucket: Int
    private var ring: [SubWindow]
    private var random: UInt64 = 0x9E37_79B9_7F4A_7C15

    init(window: Double, ageBuckets: Int, maxSamplesPerBucket: Int) {
        let buckets = max(1, ageBuckets)
        self.bucketSeconds = window / Double(buckets)
        self.maxSamplesPerBucket = max(1, maxSamplesPerBucket)
        self.ring = Array(repeating: SubWindow(), count: buckets)
    }

    /// Adds one sample taken at time `now` (seconds).
    mutating func insert(_ value: Double, at now: Double) {
        let slot = self.slot(at: now)
        let position = self.position(of: slot)
        if self.ring[position].slot != slot {
            self.ring[position].slot = slot
            self.ring[position].samples.removeAll(keepingCapacity: true)
            self.ring[position].seen = 0
        }
        self.ring[position].seen += 1
        if self.ring[position].samples.count < self.maxSamplesPerBucket {
            self.ring[position].samples.append(value)
        } else {
            let pick = Int(self.nextRandom() % self.ring[position].seen)
            if pick < self.maxSamplesPerBucket {
                self.ring[position].samples[pick] = value
            }
        }
    }

    /// The value at each quantile over the samples still in the window at `now`; NaN if none.
    func quantiles(_ targets: [Double], at now: Double) -> [Double] {
        let current = self.slot(at: now)
        let oldest = current - self.ring.count + 1
        var weighted: [(value: Double, weight: Double)] = []
        var totalWeight = 0.0
        for sub in self.ring where sub.slot >= oldest && sub.slot <= current && !sub.samples.isEmpty {
            let weight = Double(sub.seen) / Double(sub.samples.count)
            for value in sub.samples {
                weighted.append((value, weight))
            }
            totalWeight += weight * Double(sub.samples.count)
        }
        guard !weighted.isEmpty else {
            return targets.map { _ in .nan }
        }
        weighted.sort { $0.value < $1.value }
        return targets.map { target in
            let rank = target * totalWeight
            var cumulative = 0.0
            for entry in weighted {
                cumulative += entry.weight
                if cumulative >= rank { return entry.value }
            }
            return weighted[weighted.count - 1].value
        }
    }

    private func slot(at now: Double) -> Int {
        let raw = (now / self.bucketSeconds).rounded(.down)
        guard raw.isFinite else { return 0 }
        return Int(max(min(raw, 1e15), -1e15))
    }

    private func position(of slot: Int) -> Int {
        let count = self.ring.count
        return ((slot % count) + count) % count
    }

    /// xorshift64*: cheap, deterministic, good enough for reservoir picks.
    private mutating func nextRandom() -> UInt64 {
        self.random ^= self.random >> 12
        self.random ^= self.random << 25
        self.random ^= self.random >> 27
        return self.random &* 0x2545_F491_4F6C_DD1D
    }
}
