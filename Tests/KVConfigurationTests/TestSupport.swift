import Foundation
import KVTestSupport
import KVConfiguration

/// A YAML file in a fresh temporary folder, removed by `remove()`.
struct TemporaryConfigFile {
    let folder = TemporaryFolder("kvconfig")
    let path: String

    var directory: URL { self.folder.url }

    init(_ contents: String, name: String = "config.yaml") throws {
        path = folder.path + "/" + name
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove() {
        self.folder.remove()
    }
}

/// Loads `yaml` (if any) from a temporary file together with the other layers.
func load(
    yaml: String? = nil,
    environment: [String: String] = [:],
    overrides: [String: String] = [:]
) throws -> KVStoreConfiguration {
    guard let yaml else {
        return try ConfigurationLoader.load(file: nil, environment: environment, overrides: overrides)
    }
    let file = try TemporaryConfigFile(yaml)
    defer { file.remove() }
    return try ConfigurationLoader.load(file: file.path, environment: environment, overrides: overrides)
}

/// The error message of loading these layers, with the temporary file's path replaced by `FILE`;
/// `nil` when they load.
func loadFailure(
    yaml: String? = nil,
    environment: [String: String] = [:],
    overrides: [String: String] = [:]
) throws -> String? {
    let file = try yaml.map { try TemporaryConfigFile($0) }
    defer { file?.remove() }
    do {
        _ = try ConfigurationLoader.load(file: file?.path, environment: environment, overrides: overrides)
        return nil
    } catch {
        guard let file else { return error.description }
        return error.description.replacingOccurrences(of: file.path, with: "FILE")
    }
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // KVConfigurationTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// The error loading the configuration throws (or nil if it loads), from a YAML text, variables and overrides.
func loadError(
    yaml: String? = nil,
    environment: [String: String] = [:],
    overrides: [String: String] = [:]
) throws -> ConfigurationError? {
    let file = try yaml.map { try TemporaryConfigFile($0) }
    defer { file?.remove() }
    do {
        _ = try ConfigurationLoader.load(file: file?.path, environment: environment, overrides: overrides)
        return nil
    } catch {
        return error
    }
}
