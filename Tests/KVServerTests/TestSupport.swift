import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVConfiguration
import Logging
import Synchronization
import KVTestSupport
@testable import KVServer

/// Log lines captured in memory.
final class CapturedLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

/// A configuration for tests: LMDB in a temp folder, quiet logs.
func testConfiguration(folder: TemporaryFolder, _ adjust: (inout KVStoreConfiguration) -> Void = { _ in }) -> KVStoreConfiguration {
    var configuration = KVStoreConfiguration()
    configuration.storage.path = folder.path + "/data"
    configuration.snapshots.directory = folder.path + "/snapshots"
    configuration.server.port = 0
    configuration.logging.databaseLog = false
    adjust(&configuration)
    return configuration
}

func testLogger(level: Logger.Level = .warning, capture: CapturedLines? = nil) -> Logger {
    Logger(label: "test") { label in
        let sink = capture.map { captured in LogSink { captured.append($0) } } ?? LogSink { _ in }
        return LogLineHandler(label: label, level: level, format: .logfmt, sink: sink)
    }
}

extension ByteBuffer {
    var string: String { String(buffer: self) }
}

/// Decodes a JSON body into a dictionary.
func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] ?? [:]
}

/// The `error.code` of a JSON error body.
func errorCode(_ buffer: ByteBuffer) -> String? {
    ((try? json(buffer))?["error"] as? [String: Any])?["code"] as? String
}
