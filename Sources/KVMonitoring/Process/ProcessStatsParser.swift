/// Pure parsers for the `/proc` files the process collector reads.
public enum ProcessStatsParser {
    /// Fields of `/proc/[pid]/stat` that matter here, in raw units.
    public struct StatFields: Sendable, Equatable {
        /// User plus system time in clock ticks.
        public var cpuTicks: Double
        /// Start time in clock ticks after boot.
        public var startTicks: Double
        /// Virtual memory size in bytes.
        public var virtualBytes: Double
        /// Resident set size in pages.
        public var residentPages: Double
        /// Threads.
        public var threads: Double
    }

    /// Parses `/proc/[pid]/stat`; the command name may contain spaces and parentheses.
    public static func parseStat(_ text: String) -> StatFields? {
        // Fields found by bytes: every scrape reads this file.
        let bytes = text.utf8
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        var fields: [Range<String.Index>] = []
        fields.reserveCapacity(52)
        var index = bytes.index(after: close)
        while index < bytes.endIndex {
            while index < bytes.endIndex, isSpace(bytes[index]) { index = bytes.index(after: index) }
            let start = index
            while index < bytes.endIndex, !isSpace(bytes[index]) { index = bytes.index(after: index) }
            if start < index { fields.append(start..<index) }
        }
        // fields[0] is field 3 (state); field N is at index N - 3.
        func field(_ number: Int) -> Double? {
            let index = number - 3
            guard index >= 0, index < fields.count else { return nil }
            return Double(text[fields[index]])
        }
        guard let utime = field(14), let stime = field(15), let threads = field(20), let start = field(22),
            let vsize = field(23), let rss = field(24)
        else { return nil }
        return StatFields(cpuTicks: utime + stime, startTicks: start, virtualBytes: vsize, residentPages: rss, threads: threads)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
    }

    /// The `Threads:` count from `/proc/[pid]/status`.
    public static func parseThreads(status text: String) -> Double? {
        line(startingWith: "Threads:", in: text).flatMap { Double($0.trimmingCharacters()) }
    }

    /// The soft `Max open files` limit from `/proc/[pid]/limits` (`+Inf` when unlimited).
    public static func parseMaxOpenFiles(limits text: String) -> Double? {
        guard let line = line(startingWith: "Max open files", in: text) else { return nil }
        guard let soft = line.split(separator: " ", omittingEmptySubsequences: true).first else { return nil }
        return soft == "unlimited" ? .infinity : Double(soft)
    }

    /// The boot time (`btime`, seconds since the epoch) from `/proc/stat`.
    public static func parseBootTime(stat text: String) -> Double? {
        line(startingWith: "btime ", in: text).flatMap { Double($0.trimmingCharacters()) }
    }

    /// The rest of the first line of `text` that starts with `prefix` (ASCII), found by bytes:
    /// splitting a file into Character lines cost a scrape 1.6 million instructions.
    static func line(startingWith prefix: String, in text: String) -> Substring? {
        let bytes = text.utf8
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            if bytes[lineStart..<lineEnd].starts(with: prefix.utf8) {
                // Both ends sit next to ASCII bytes, so they are character boundaries.
                return text[bytes.index(lineStart, offsetBy: prefix.utf8.count)..<lineEnd]
            }
            lineStart = lineEnd == bytes.endIndex ? lineEnd : bytes.index(after: lineEnd)
        }
        return nil
    }
}

extension Substring {
    /// The text without surrounding spaces, tabs and newlines.
    fileprivate func trimmingCharacters() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
        guard let start = self.firstIndex(where: { !isSpace($0) }), let end = self.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[start...end]
    }
}
