import Foundation
import KVConfiguration
import Logging
import Synchronization

/// A swift-log handler that writes one logfmt or JSON line per message to a file descriptor.
public struct LogLineHandler: LogHandler {
    /// The line format: the configuration's `logging.format`, one type for both.
    public typealias Format = KVStoreConfiguration.Logging.Format

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    /// The current request's `request_id` and `trace_id` (``RequestScope``) unless set otherwise.
    public var metadataProvider: Logger.MetadataProvider? = RequestScope.metadataProvider
    /// Hummingbird's own id of each request, `hb.request.id`, which it sets on every request's
    /// logger: kept beside the metadata, not in it (setting a key copies the dictionary, 1,250
    /// instructions a request), and never written (the line carries ours, `request_id`).
    private var frameworkRequestID: Logger.Metadata.Value?
    private static let frameworkRequestIDKey = "hb.request.id"
    private let label: String
    private let format: Format
    private let sink: LogSink

    public init(label: String, level: Logger.Level, format: Format, sink: LogSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { key == Self.frameworkRequestIDKey ? frameworkRequestID : metadata[key] }
        set {
            if key == Self.frameworkRequestIDKey { frameworkRequestID = newValue } else { metadata[key] = newValue }
        }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        // Also when given in `metadata` as a whole.
        fields[Self.frameworkRequestIDKey] = nil
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        let time = Date().formatted(Self.timeStyle)
        let line: String
        switch format {
        case .logfmt: line = Self.logfmtLine(time: time, level: event.level, message: "\(event.message)", fields: fields)
        case .json: line = Self.jsonLine(time: time, level: event.level, message: "\(event.message)", fields: fields)
        }
        sink.write(line)
    }

    static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func logfmtLine(time: String, level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        var line = "time=\(time) level=\(level.rawValue) msg=\(logfmtValue(message))"
        for key in fields.keys.sorted() {
            line += " \(key)=\(logfmtValue(fields[key]!.description))"
        }
        return line + "\n"
    }

    static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.asciiValue.map { $0 < 0x20 } ?? false }
        guard needsQuotes else { return value }
        return "\"" + JSONString.escaped(value) + "\""
    }

    static func jsonLine(time: String, level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        var line = "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"msg\":\"\(JSONString.escaped(message))\""
        for key in fields.keys.sorted() {
            line += ",\"\(JSONString.escaped(key))\":\"\(JSONString.escaped(fields[key]!.description))\""
        }
        return line + "}\n"
    }

}

/// Where log lines go: whole lines, written atomically with respect to each other.
public final class LogSink: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// Lines go to `writeLine` (tests capture them this way).
    public init(_ writeLine: @escaping @Sendable (String) -> Void) { self.writeLine = writeLine }

    /// Lines are written to a file descriptor under a lock, so lines never interleave.
    public convenience init(descriptor: Int32) {
        let lock = Mutex(())
        self.init { line in
            var line = line
            lock.withLock { _ in
                line.withUTF8 { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                        if written <= 0 { return }
                        offset += written
                    }
                }
            }
        }
    }

    public static let standardError = LogSink(descriptor: 2)

    func write(_ line: String) { writeLine(line) }
}
