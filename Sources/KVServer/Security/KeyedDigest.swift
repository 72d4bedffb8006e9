/// SipHash-2-4 with a 128-bit output (Aumasson and Bernstein), under a random per-process key.
///
/// Used to compare bearer tokens in constant time: both sides are reduced to 16-byte digests
/// under a key an attacker never sees, so the comparison does the same work whatever the
/// token's length and wherever its bytes differ, and timing says nothing about a secret.
struct KeyedDigest: Sendable {
    private let k0: UInt64
    private let k1: UInt64

    /// A digest under a fresh random key.
    init() {
        var generator = SystemRandomNumberGenerator()
        self.init(k0: generator.next(), k1: generator.next())
    }

    init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    /// The 128-bit SipHash-2-4 digest of `bytes`.
    func digest(_ bytes: some Collection<UInt8>) -> Digest {
        var state = State(k0: k0, k1: k1, wide: true)
        state.absorb(bytes)
        let first = state.finalizeWide(first: true)
        let second = state.finalizeWide(first: false)
        return Digest(high: first, low: second)
    }

    /// The 64-bit SipHash-2-4 of `bytes` (the reference variant; used to check the core against its test vectors).
    func digest64(_ bytes: some Collection<UInt8>) -> UInt64 {
        var state = State(k0: k0, k1: k1, wide: false)
        state.absorb(bytes)
        state.v2 ^= 0xff
        state.rounds(4)
        return state.v0 ^ state.v1 ^ state.v2 ^ state.v3
    }

    /// A 128-bit digest.
    struct Digest: Sendable, Equatable {
        var high: UInt64
        var low: UInt64

        /// All bits set where `self` and `other` differ; computed without a data-dependent branch.
        func difference(from other: Digest) -> UInt64 {
            (high ^ other.high) | (low ^ other.low)
        }
    }

    private struct State {
        var v0: UInt64
        var v1: UInt64
        var v2: UInt64
        var v3: UInt64

        init(k0: UInt64, k1: UInt64, wide: Bool) {
            v0 = k0 ^ 0x736f_6d65_7073_6575
            v1 = k1 ^ 0x646f_7261_6e64_6f6d
            v2 = k0 ^ 0x6c79_6765_6e65_7261
            v3 = k1 ^ 0x7465_6462_7974_6573
            if wide { v1 ^= 0xee }
        }

        mutating func absorb(_ bytes: some Collection<UInt8>) {
            var word: UInt64 = 0
            var filled = 0
            for byte in bytes {
                word |= UInt64(byte) << (8 * UInt64(filled))
                filled += 1
                if filled == 8 {
                    compress(word)
                    word = 0
                    filled = 0
                }
            }
            // The last word holds the remaining bytes and the length (mod 256) in its top byte.
            word |= UInt64(truncatingIfNeeded: bytes.count) << 56
            compress(word)
        }

        mutating func compress(_ word: UInt64) {
            v3 ^= word
            rounds(2)
            v0 ^= word
        }

        mutating func finalizeWide(first: Bool) -> UInt64 {
            v2 ^= first ? 0xee : 0
            if !first { v1 ^= 0xdd }
            rounds(4)
            return v0 ^ v1 ^ v2 ^ v3
        }

        mutating func rounds(_ count: Int) {
            for _ in 0..<count {
                v0 &+= v1
                v1 = v1.rotatedLeft(13)
                v1 ^= v0
                v0 = v0.rotatedLeft(32)
                v2 &+= v3
                v3 = v3.rotatedLeft(16)
                v3 ^= v2
                v0 &+= v3
                v3 = v3.rotatedLeft(21)
                v3 ^= v0
                v2 &+= v1
                v1 = v1.rotatedLeft(17)
                v1 ^= v2
                v2 = v2.rotatedLeft(32)
            }
        }
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}
