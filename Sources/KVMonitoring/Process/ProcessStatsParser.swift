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
        // Fields found in the bytes themselves: every scrape reads this file, and walking a
        // String.UTF8View costs ten times as much.
        var text = text
        return text.withUTF8 { bytes -> StatFields? in
            guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
            var fields: [Range<Int>] = []
            fields.reserveCapacity(52)
            var index = close + 1
            while index < bytes.count {
                while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                let start = index
                while index < bytes.count, !isSpace(bytes[index]) { index += 1 }
                if start < index { fields.append(start..<index) }
            }
            // fields[0] is field 3 (state); field N is at index N - 3.
            func field(_ number: Int) -> Double? {
                let index = number - 3
                guard index >= 0, index < fields.count else { return nil }
                return integer(bytes[fields[index]])
            }
            guard let utime = field(14), let stime = field(15), let threads = field(20), let start = field(22),
                let vsize = field(23), let rss = field(24)
            else { return nil }
            return StatFields(cpuTicks: utime + stime, startTicks: start, virtualBytes: vsize, residentPages: rss, threads: threads)
        }
    }

    /// A decimal integer (the numeric fields of `stat`), or nil for anything else.
    private static func integer(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        var rest = digits[...]
        let negative = rest.first == UInt8(ascii: "-")
        if negative { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var value: Double = 0
        for byte in rest {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Double(byte - UInt8(ascii: "0"))
        }
        return negative ? -value : value
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

    /// The rest of the first line of `text` that starts with `prefix` (ASCII), found in its bytes:
    /// splitting a file into Character lines cost a scrape 1.6 million instructions, walking its
    /// String.UTF8View 60,000.
    static func line(startingWith prefix: String, in text: String) -> Substring? {
        var text = text
        let prefix = Array(prefix.utf8)
        let found = text.withUTF8 { bytes -> Range<Int>? in
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                if lineEnd - lineStart >= prefix.count, bytes[lineStart..<lineStart + prefix.count].elementsEqual(prefix) {
                    return lineStart + prefix.count..<lineEnd
                }
                lineStart = lineEnd + 1
            }
            return nil
        }
        guard let found else { return nil }
        // Both ends sit next to ASCII bytes, so they are character boundaries.
        let utf8 = text.utf8
        return text[utf8.index(utf8.startIndex, offsetBy: found.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: found.upperBound)]
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
