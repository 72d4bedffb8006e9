import Foundation
import KVConfiguration
import Testing

/// Each way loading can fail has its own code, so callers can match it (`error.code == .unknownKey`).
@Suite struct ConfigurationErrorCodeTests {
    @Test func everyKindOfProblemHasItsCode() throws {
        #expect(try loadError(overrides: ["server.port": "abc"])?.code == .invalidValue)
        #expect(try loadError(yaml: "server: 3\n")?.code == .invalidValue)
        #expect(try loadError(yaml: "[1, 2]\n")?.code == .invalidValue)
        #expect(try loadError(overrides: ["server.prot": "9000"])?.code == .unknownKey)
        #expect(try loadError(yaml: "sever:\n  port: 1\n")?.code == .unknownKey)
        #expect(
            try loadError(overrides: ["health.dependencies": #"[{"name":"a","url":"http://a/","colour":"red"}]"#])?.code
                == .unknownKey)
        #expect(try loadError(overrides: ["health.dependencies": #"[{"name":"a"}]"#])?.code == .missingKey)
        #expect(try loadError(environment: ["KVSTORE_SERVER_PROT": "9000"])?.code == .unknownVariable)
        #expect(try loadError(yaml: "server:\n  port: 1\n  host: [\n")?.code == .invalidYAML)
        #expect(try loadError(yaml: "server:\n  port: 1\n  port: 2\n")?.code == .invalidYAML)
        #expect(try loadError(overrides: ["server.port": "2112", "metrics.port": "2112"])?.code == .conflictingValues)
        #expect(try loadError(overrides: ["security.tls_key_file": #filePath])?.code == .conflictingValues)
        #expect(try loadError(overrides: ["server.port": "9000"]) == nil)
    }

    @Test func fileProblemsHaveTheirCodes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kvstore-config-codes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func code(_ path: String) -> ConfigurationError.Code? {
            do {
                _ = try ConfigurationLoader.load(file: path, environment: [:], overrides: [:])
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(folder.path + "/missing.yaml") == .fileNotFound)
        #expect(code(folder.path) == .notAFile)
        let binary = folder.appendingPathComponent("binary.yaml")
        try Data([0x61, 0xC3, 0x28, 0xFF, 0x0A]).write(to: binary)
        #expect(code(binary.path) == .unreadableFile)
    }

    @Test func theCodeIsPartOfEqualityButNotOfTheLine() {
        let line = "command line: something"
        #expect(ConfigurationError(.invalidValue, description: line).description == line)
        #expect(ConfigurationError(.invalidValue, description: line) != ConfigurationError(.unknownKey, description: line))
        #expect(ConfigurationError.Code.unknownVariable.description == "unknownVariable")
    }
}
