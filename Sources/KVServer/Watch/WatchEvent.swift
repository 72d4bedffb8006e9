/// One change the watch API reports: a put or a delete of one key at one revision.
struct WatchEvent: Sendable, Equatable {
    enum Kind: String, Sendable {
        case put, delete
    }

    /// Why a key was deleted, when it was not a client's `DELETE`.
    enum Reason: String, Sendable {
        case expired
    }

    let key: String
    let kind: Kind
    let modRevision: Int64
    /// The value written, for puts.
    let value: [UInt8]?
    let reason: Reason?

    init(key: String, kind: Kind, modRevision: Int64, value: [UInt8]? = nil, reason: Reason? = nil) {
        self.key = key
        self.kind = kind
        self.modRevision = modRevision
        self.value = value
        self.reason = reason
    }

    /// Whether the key starts with `prefix`, byte for byte (keys are compared without Unicode normalisation).
    func matches(_ prefix: [UInt8]) -> Bool {
        prefix.isEmpty || key.utf8.starts(with: prefix)
    }
}

/// What a long poll answers: the matching events (possibly none, at the timeout) and the revision to
/// pass as `after` next.
struct WatchBatch: Sendable, Equatable {
    let events: [WatchEvent]
    let revision: Int64
}

/// Why a watch cannot be served.
struct WatchRefusal: Error, Sendable, Equatable {
    enum Code: Sendable, Equatable {
        /// `after` is older than the history: revisions up to `compactRevision` are gone.
        case compacted
        /// The watcher cap is reached.
        case tooManyWatchers
    }

    let code: Code
    /// The newest revision no longer in the history (for `.compacted`): watch from it or later.
    let compactRevision: Int64
}
