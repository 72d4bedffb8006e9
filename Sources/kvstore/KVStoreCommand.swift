import ArgumentParser
import KVSnapshot
import Foundation
import KVConfiguration
import KVServer
import Logging

/// `kvstore`: runs the key-value server.
@main
struct KVStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kvstore",
        abstract: "A key-value store server that watches itself.",
        discussion: "Settings come from embedded defaults, the environment profile, --config FILE, KVSTORE_* environment variables and flags; later ones win.",
        version: KVStoreVersion.version)

    @Option(name: .long, help: "YAML configuration file (e.g. config.yaml).")
    var config: String?
    @Option(name: .long, help: "Profile: development or production (key environment).")
    var environment: String?
    @Option(name: .long, help: "Address to bind (server.host).")
    var host: String?
    @Option(name: .long, help: "Port to listen on (server.port).")
    var port: String?
    @Option(name: .customLong("data-dir"), help: "Data folder (storage.path).")
    var dataDir: String?
    @Option(name: .long, help: "always, batched or none (storage.durability).")
    var durability: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (logging.level).")
    var logLevel: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("Any key: --set storage.quota_bytes=1073741824 (repeatable).", valueName: "key=value"))
    var settings: [String] = []

    func run() async throws {
        let configuration: KVStoreConfiguration
        do {
            configuration = try ConfigurationLoader.load(
                file: config, environment: ProcessInfo.processInfo.environment, overrides: try overrides())
        } catch {
            Self.fail("\(error)")
        }
        let logging = configuration.logging
        LoggingSystem.bootstrap { label in
            LogLineHandler(
                label: label, level: Logger.Level(logging.level), format: logging.format)
        }
        let logger = Logger(label: "kvstore")
        do {
            try await runServer(configuration: configuration, logger: logger)
        } catch {
            Self.fail("\(error)")
        }
        logger.info("kvstore stopped")
    }

    /// Flags as dotted-key overrides; flags win over the environment and the file.
    func overrides() throws(ConfigurationError) -> [String: String] {
        var result: [String: String] = [:]
        for setting in settings {
            guard let equals = setting.firstIndex(of: "=") else {
                Self.fail("--set \(setting): expected key=value", status: 2)
            }
            result[String(setting[..<equals])] = String(setting[setting.index(after: equals)...])
        }
        let flags: [(String, String?)] = [
            ("environment", environment), ("server.host", host), ("server.port", port), ("storage.path", dataDir),
            ("storage.durability", durability), ("logging.level", logLevel),
        ]
        for case let (key, value?) in flags { result[key] = value }
        return result
    }

    /// Writes `line` to standard error and exits: status 1 for bad input (a configuration error, a refused
    /// start), 2 for a malformed command line.
    static func fail(_ line: String, status: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("kvstore: \(line)\n".utf8))
        Foundation.exit(status)
    }
}
