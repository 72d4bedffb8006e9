import KVConfiguration

/// Checks bearer secrets against the configured tokens in constant time.
///
/// Each secret is stored only as a keyed 128-bit digest (``KeyedDigest``, random key per
/// process). A presented secret is digested once, then compared with every token's digest
/// with XOR and OR over all 16 bytes and no early exit, so the work is the same whichever
/// token matches, whether one does, and wherever the bytes differ; the digest hides the
/// secrets' lengths. No secret is kept in a form that prints.
struct TokenVerifier: Sendable {
    typealias Role = KVStoreConfiguration.Security.Role

    /// Who a valid token says the caller is: the token's name (safe to log) and its role.
    struct Identity: Sendable, Equatable {
        let name: String
        let role: Role
    }

    private struct Entry: Sendable {
        let digest: KeyedDigest.Digest
        let identity: Identity
    }

    private let key: KeyedDigest
    private let entries: [Entry]

    /// Tokens without a secret (a `secret_file` the loader did not read) are left out: they match nothing.
    init(tokens: [KVStoreConfiguration.Security.Token], key: KeyedDigest = KeyedDigest()) {
        self.key = key
        self.entries = tokens.compactMap { token in
            guard let secret = token.secret, !secret.isEmpty else { return nil }
            return Entry(digest: key.digest(secret.utf8), identity: Identity(name: token.name, role: token.role))
        }
    }

    /// Whether any token can match.
    var isEmpty: Bool { entries.isEmpty }

    /// The identity of the token whose secret is `presented`, or nil.
    func identity(forSecret presented: some Collection<UInt8>) -> Identity? {
        let digest = key.digest(presented)
        var found = -1
        for index in entries.indices {
            let difference = entries[index].digest.difference(from: digest)
            // 1 when equal, 0 otherwise, without a branch on the secret's bytes.
            let equal = Int(truncatingIfNeeded: ((difference | (0 &- difference)) >> 63) ^ 1)
            // Keep the first match: take `index` only when equal and nothing found yet.
            let take = equal & Int(truncatingIfNeeded: UInt(bitPattern: found) >> (UInt.bitWidth - 1))
            found = (found & ~(0 &- take)) | (index & (0 &- take))
        }
        return found >= 0 ? entries[found].identity : nil
    }
}
