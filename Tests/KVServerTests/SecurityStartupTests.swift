import Foundation
import KVConfiguration
import Testing
import KVTestSupport
@testable import KVServer

@Suite struct SecurityStartupTests {
    @Test(arguments: ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "[::]", "", "128.0.0.1"])
    func nonLoopbackBindWithoutTokensRefusesToStart(host: String) throws {
        var configuration = KVStoreConfiguration()
        configuration.server.host = host
        let error = #expect(throws: SecurityStartupError.self) { try SecurityLayer(configuration: configuration) }
        #expect(error?.code == .unprotectedBind)
        let line = error?.description ?? ""
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix("refusing to start: server.host \"\(host)\" is not a loopback address and security.tokens is empty"))
        #expect(line.contains("add a token"))
    }

    @Test func refusalNamesTheMetricsListenerToo() throws {
        var configuration = KVStoreConfiguration()
        configuration.server.host = "0.0.0.0"
        configuration.server.port = 8080
        configuration.metrics.port = 2112
        let error = #expect(throws: SecurityStartupError.self) { try SecurityLayer(configuration: configuration) }
        #expect(error?.code == .unprotectedBind)
        #expect(error?.description.contains("ports 8080 and 2112") == true)
    }

    @Test(arguments: ["0.0.0.0", "::", "192.168.1.10"])
    func nonLoopbackBindWithTokensStarts(host: String) throws {
        var configuration = KVStoreConfiguration()
        configuration.server.host = host
        configuration.security.tokens = TestSecrets.tokens
        let layer = try SecurityLayer(configuration: configuration)
        #expect(layer.policy.tokensConfigured)
        #expect(layer.policy.healthDetails == .authorized)
    }

    @Test(arguments: ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "::ffff:127.0.0.1"])
    func loopbackBindWithoutTokensStarts(host: String) throws {
        var configuration = KVStoreConfiguration()
        configuration.server.host = host
        let layer = try SecurityLayer(configuration: configuration)
        #expect(layer.policy.healthDetails == .always)
    }

    @Test func aTokenWithoutALoadedSecretRefusesToStart() throws {
        var configuration = KVStoreConfiguration()
        configuration.security.tokens = [.init(name: "ops", secretFile: "/run/secrets/ops", role: .admin)]
        let error = #expect(throws: SecurityStartupError.self) { try SecurityLayer(configuration: configuration) }
        #expect(error?.code == .missingSecret)
        #expect(error?.description.contains("no secret was loaded for ops") == true)
    }

    @Test func aStartedServerWithTokensAcceptsConnectionsOnAnyAddress() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) {
            $0.server.host = "0.0.0.0"
            $0.security.tokens = TestSecrets.tokens
        }
        let server = try buildServer(configuration: configuration, logger: testLogger())
        try await server.application.test(.live) { client in
            try await client.execute(uri: "/api/v1/kv?prefix=a", method: .get, headers: Presented.read.headers) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/kv?prefix=a", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func missingTLSFilesRefuseToStartWithOneLine() throws {
        var configuration = KVStoreConfiguration()
        configuration.security.tlsCertificateFile = "/nonexistent/cert.pem"
        configuration.security.tlsKeyFile = "/nonexistent/key.pem"
        let error = #expect(throws: SecurityStartupError.self) { try SecurityLayer(configuration: configuration) }
        #expect(error?.code == .tlsCertificate)
        #expect(error?.description.hasPrefix("security.tls_certificate_file \"/nonexistent/cert.pem\": cannot load a PEM certificate") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func halfATLSConfigurationRefusesToStart() throws {
        var certificateOnly = KVStoreConfiguration()
        certificateOnly.security.tlsCertificateFile = "/nonexistent/cert.pem"
        let error = #expect(throws: SecurityStartupError.self) { try SecurityLayer(configuration: certificateOnly) }
        #expect(error?.code == .incompleteTLS)
        #expect(error?.description == "security.tls_certificate_file requires security.tls_key_file; set both for HTTPS, or neither")
        var keyOnly = KVStoreConfiguration()
        keyOnly.security.tlsKeyFile = "/nonexistent/key.pem"
        #expect(#expect(throws: SecurityStartupError.self) { try SecurityLayer(configuration: keyOnly) }?.code == .incompleteTLS)
    }
}

@Suite struct SecurityPrimitivesTests {
    static let referenceKey = KeyedDigest(k0: 0x0706_0504_0302_0100, k1: 0x0f0e_0d0c_0b0a_0908)

    /// SipHash-2-4 reference vectors (key 00..0f, message 00..len-1), little-endian output bytes.
    @Test func keyedDigestMatchesTheSipHashReferenceVectors() {
        func littleEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let sip64: [[UInt8]] = [
            [0x31, 0x0e, 0x0e, 0xdd, 0x47, 0xdb, 0x6f, 0x72],
            [0xfd, 0x67, 0xdc, 0x93, 0xc5, 0x39, 0xf8, 0x74],
            [0x5a, 0x4f, 0xa9, 0xd9, 0x09, 0x80, 0x6c, 0x0d],
        ]
        let sip128: [[UInt8]] = [
            [0xa3, 0x81, 0x7f, 0x04, 0xba, 0x25, 0xa8, 0xe6, 0x6d, 0xf6, 0x72, 0x14, 0xc7, 0x55, 0x02, 0x93],
            [0xda, 0x87, 0xc1, 0xd8, 0x6b, 0x99, 0xaf, 0x44, 0x34, 0x76, 0x59, 0x11, 0x9b, 0x22, 0xfc, 0x45],
            [0x81, 0x77, 0x22, 0x8d, 0xa4, 0xa4, 0x5d, 0xc7, 0xfc, 0xa3, 0x8b, 0xde, 0xf6, 0x0a, 0xff, 0xe4],
        ]
        for length in 0..<3 {
            let message = (0..<length).map { UInt8($0) }
            #expect(littleEndian(Self.referenceKey.digest64(message)) == sip64[length])
            let digest = Self.referenceKey.digest(message)
            #expect(littleEndian(digest.high) + littleEndian(digest.low) == sip128[length])
        }
        // The paper's example: 15 bytes 00..0e.
        #expect(Self.referenceKey.digest64((0..<15).map { UInt8($0) }) == 0xa129_ca61_49be_45e5)
    }

    @Test func verifierFindsEachTokenAndNothingElse() {
        let verifier = TokenVerifier(tokens: TestSecrets.tokens + [.init(name: "unloaded", secretFile: "/x", role: .admin)])
        #expect(verifier.identity(forSecret: TestSecrets.read.utf8) == .init(name: "reader", role: .read))
        #expect(verifier.identity(forSecret: TestSecrets.write.utf8) == .init(name: "writer", role: .write))
        #expect(verifier.identity(forSecret: TestSecrets.admin.utf8) == .init(name: "operator", role: .admin))
        for wrong in [TestSecrets.wrong, "", TestSecrets.admin + "x", String(TestSecrets.admin.dropLast()), TestSecrets.admin.uppercased()] {
            #expect(verifier.identity(forSecret: wrong.utf8) == nil)
        }
        #expect(TokenVerifier(tokens: []).identity(forSecret: "".utf8) == nil)
    }

    @Test func verifierNeverPrintsASecret() {
        let verifier = TokenVerifier(tokens: TestSecrets.tokens)
        let printed = "\(verifier) \(String(reflecting: verifier))"
        for secret in TestSecrets.all { #expect(!printed.contains(secret)) }
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.255.255.254", true), ("localhost", true), ("::1", true), ("[::1]", true),
        ("::ffff:127.0.0.1", true), ("0.0.0.0", false), ("::", false), ("::ffff:10.0.0.1", false), ("1.2.3.4", false),
        ("localhost.example.com", false), ("", false), ("0:0:0:0:0:0:0:1", true),
    ])
    func loopbackAddresses(host: String, isLoopback: Bool) {
        #expect(LoopbackAddress.contains(host) == isLoopback)
    }

    @Test func unknownRoutesNeedAdminAndUnmatchedOnesAreOpen() {
        var security = KVStoreConfiguration.Security()
        security.tokens = TestSecrets.tokens
        let policy = AccessPolicy(configuration: security)
        #expect(policy.rule(template: "/api/v1/new-thing", method: .get) == .role(.admin))
        #expect(policy.rule(template: nil, method: .get) == .open)
        #expect(policy.rule(template: "/api/v1/kv/{key}", method: .patch) == .role(.write))
        #expect(policy.rule(template: "/api/v1/metrics", method: .get) == .open)
    }
}
