import Foundation
import KVConfiguration
import Testing

@Suite struct SecurityConfigurationTests {
    typealias Token = KVStoreConfiguration.Security.Token
    let secret = "s3cr3t-0123456789abcdef"
    let otherSecret = "another-secret-0123456789"

    /// Every error message of these layers, checked to never contain `secrets`.
    func failure(
        yaml: String? = nil, environment: [String: String] = [:], overrides: [String: String] = [:],
        hiding secrets: [String]
    ) throws -> String? {
        let message = try loadFailure(yaml: yaml, environment: environment, overrides: overrides)
        for secret in secrets {
            #expect(message?.contains(secret) != true, "\(message ?? "")")
        }
        return message
    }

    @Test func defaultsAreSafeAndOpenNothingExtra() throws {
        let security = try load().security
        #expect(security == KVStoreConfiguration.Security())
        #expect(security.tokens == [])
        #expect(security.healthDetails == nil)
        #expect(security.effectiveHealthDetails == .always)
        #expect(security.protectMetrics == false)
        #expect(security.protectDashboard == false)
        #expect(security.corsOrigins == [])
        #expect(security.tlsCertificateFile == nil)
        #expect(security.tlsKeyFile == nil)
        #expect(security.idleTimeoutSeconds == 60)
        #expect(security.requestTimeoutSeconds == 30)
        #expect(security.maxConnections == 1024)
        #expect(security.rateLimit.isEnabled == false)
        var production = KVStoreConfiguration(environment: .production).security
        #expect(production.rateLimit.requestsPerSecond == 1000)
        production.rateLimit.requestsPerSecond = 0
        #expect(production == security)
    }

    @Test func tokensParseFromTheFileWithInlineSecrets() throws {
        let configuration = try load(
            yaml: """
                server:
                  host: 0.0.0.0
                security:
                  tokens:
                    - name: ci.reader
                      secret: \(secret)
                      role: read
                    - name: ops
                      secret: "\(otherSecret)"
                      role: ADMIN
                  health_details: never
                  protect_metrics: true
                  protect_dashboard: yes
                """
        )
        #expect(
            configuration.security.tokens == [
                Token(name: "ci.reader", secret: secret, role: .read), Token(name: "ops", secret: otherSecret, role: .admin),
            ]
        )
        #expect(configuration.security.healthDetails == .never)
        #expect(configuration.security.effectiveHealthDetails == .never)
        #expect(configuration.security.protectMetrics)
        #expect(configuration.security.protectDashboard)
        // A non-loopback host without tokens is the server's to refuse, not the loader's.
        #expect(try loadFailure(overrides: ["server.host": "0.0.0.0"]) == nil)
    }

    @Test func secretFilesAreReadAtLoadTimeWithoutTheTrailingNewline() throws {
        let file = try TemporaryConfigFile(secret + "\n", name: "token")
        defer { file.remove() }
        let crlf = try TemporaryConfigFile(otherSecret + "\r\n", name: "token")
        defer { crlf.remove() }
        let json = #"[{"name":"w","secret_file":"\#(file.path)","role":"write"},{"name":"a","secret_file":"\#(crlf.path)","role":"admin"}]"#
        let configuration = try load(environment: ["KVSTORE_SECURITY_TOKENS": json])
        #expect(
            configuration.security.tokens == [
                Token(name: "w", secret: secret, secretFile: file.path, role: .write),
                Token(name: "a", secret: otherSecret, secretFile: crlf.path, role: .admin),
            ]
        )
        #expect(configuration.security.effectiveHealthDetails == .authorized)
        #expect(
            configuration.value(forKey: "security.tokens")
                == #"[{"name":"w","secret_file":"\#(file.path)","role":"write"},{"name":"a","secret_file":"\#(crlf.path)","role":"admin"}]"#
        )
    }

    @Test func secretsNeverAppearInValuesOrDescriptions() throws {
        let json = #"[{"name":"ci","secret":"\#(secret)","role":"read"}]"#
        let configuration = try load(overrides: ["security.tokens": json])
        #expect(configuration.security.tokens == [Token(name: "ci", secret: secret, role: .read)])
        #expect(configuration.value(forKey: "security.tokens") == #"[{"name":"ci","secret":"********","role":"read"}]"#)
        for key in KVStoreConfiguration.allKeys {
            #expect(configuration.value(forKey: key)?.contains(secret) == false, "\(key)")
        }
        let token = configuration.security.tokens[0]
        #expect(String(describing: token) == #"Token(name: "ci", secret: ********, role: read)"#)
        #expect(!String(reflecting: token).contains(secret))
        #expect(!String(describing: configuration).contains(secret))
        #expect(!String(reflecting: configuration).contains(secret))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains(secret))
        #expect(dumped.contains("ci"))
        #expect(!KVStoreConfiguration.referenceMarkdown().contains(secret))
    }

    @Test func shortOrSpacedSecretsAreRejectedWithoutShowingThem() throws {
        let expected = "(expected a secret of at least 16 characters, each a visible ASCII character (no spaces))"
        for bad in ["short-secret", "fifteen-chars!!", "has a space in the middle", "tab\tinside-the-secret", "ünïcödé-secret-1234"] {
            #expect(
                try failure(yaml: "security:\n  tokens:\n    - name: a\n      secret: \"\(bad)\"\n      role: read\n", hiding: [bad])
                    == "config file FILE, line 4: invalid value ******** for security.tokens[0].secret \(expected)"
            )
        }
        #expect(
            try failure(
                environment: ["KVSTORE_SECURITY_TOKENS": #"[{"name":"a","secret":"tiny","role":"read"}]"#], hiding: ["tiny"]
            ) == "environment variable KVSTORE_SECURITY_TOKENS: invalid value ******** for security.tokens[0].secret \(expected)"
        )
        #expect(try loadFailure(overrides: ["security.tokens": #"[{"name":"a","secret":"0123456789abcdef","role":"read"}]"#]) == nil)
    }

    @Test func malformedTokenValuesAreNotShown() throws {
        let expected = "(expected a list of mappings, each with the keys name and role and exactly one of secret or "
            + "secret_file; JSON text in a variable or flag)"
        let truncated = #"[{"name":"a","secret":"\#(secret)","role":"read""#
        #expect(
            try failure(environment: ["KVSTORE_SECURITY_TOKENS": truncated], hiding: [secret])
                == "environment variable KVSTORE_SECURITY_TOKENS: invalid value ******** for security.tokens \(expected)"
        )
        #expect(
            try failure(overrides: ["security.tokens": secret], hiding: [secret])
                == "command line: invalid value ******** for security.tokens \(expected)"
        )
        #expect(
            try failure(yaml: "security:\n  tokens:\n    ci: \(secret)\n", hiding: [secret])
                == "config file FILE, line 2: invalid value ******** for security.tokens \(expected)"
        )
        #expect(
            try failure(yaml: "security:\n  tokens:\n    - \(secret)\n", hiding: [secret])
                == "config file FILE, line 2: invalid value ******** for security.tokens[0] "
                + "(expected a mapping with the keys name, secret, secret_file, role)"
        )
    }

    @Test func eachTokenNeedsANameARoleAndExactlyOneSecret() throws {
        let file = try TemporaryConfigFile(secret, name: "token")
        defer { file.remove() }
        let head = "security:\n  tokens:\n    - name: a\n"
        #expect(
            try failure(yaml: head + "      role: read\n", hiding: [])
                == "config file FILE, line 3: missing key security.tokens[0].secret (expected exactly one of secret "
                + "(a secret of at least 16 characters, each a visible ASCII character (no spaces)) or secret_file (a file holding it))"
        )
        #expect(
            try failure(yaml: head + "      secret: \(secret)\n      secret_file: \(file.path)\n      role: read\n", hiding: [secret])
                == "config file FILE, line 5: invalid value \(file.path.debugDescription) for security.tokens[0].secret_file "
                + "(expected exactly one of secret or secret_file; this token has both)"
        )
        #expect(
            try failure(yaml: head + "      secret: \(secret)\n", hiding: [secret])
                == "config file FILE, line 3: missing key security.tokens[0].role (expected one of read, write, admin)"
        )
        #expect(
            try failure(yaml: head + "      secret: \(secret)\n      role: root\n", hiding: [secret])
                == "config file FILE, line 5: invalid value \"root\" for security.tokens[0].role (expected one of read, write, admin)"
        )
        #expect(
            try failure(yaml: "security:\n  tokens:\n    - secret: \(secret)\n      role: read\n", hiding: [secret])
                == "config file FILE, line 3: missing key security.tokens[0].name (expected a name of 1 to 64 characters, "
                + "each a letter A-Z or a-z, a digit 0-9, '.', '_' or '-')"
        )
        #expect(
            try failure(yaml: "security:\n  tokens:\n    - name: a b\n      secret: \(secret)\n      role: read\n", hiding: [secret])
                == "config file FILE, line 3: invalid value \"a b\" for security.tokens[0].name (expected a name of 1 to 64 "
                + "characters, each a letter A-Z or a-z, a digit 0-9, '.', '_' or '-')"
        )
        #expect(
            try failure(yaml: head + "      token: \(secret)\n", hiding: [secret])
                == "config file FILE, line 4: unknown key security.tokens[0].token "
                + "(allowed keys in security.tokens[0]: name, secret, secret_file, role)"
        )
    }

    @Test func namesAndSecretsAreUnique() throws {
        let entry = { (name: String, secret: String) in "    - {name: \(name), secret: \(secret), role: read}\n" }
        #expect(
            try failure(yaml: "security:\n  tokens:\n" + entry("a", secret) + entry("a", otherSecret), hiding: [secret, otherSecret])
                == "config file FILE, line 4: invalid value \"a\" for security.tokens[1].name "
                + "(expected a name no other token has; security.tokens[0] has it)"
        )
        #expect(
            try failure(yaml: "security:\n  tokens:\n" + entry("a", secret) + entry("b", secret), hiding: [secret])
                == "config file FILE, line 4: invalid value ******** for security.tokens[1].secret "
                + "(expected a secret no other token has; security.tokens[0] has it)"
        )
    }

    @Test func badSecretFilesAreNamedButNeverTheirContent() throws {
        let expected = "a readable file holding a secret of at least 16 visible ASCII characters (no spaces; trailing "
            + "line breaks are ignored)"
        let empty = try TemporaryConfigFile("\n", name: "empty")
        defer { empty.remove() }
        let short = try TemporaryConfigFile("tiny-secret\n", name: "short")
        defer { short.remove() }
        let missing = empty.directory.appendingPathComponent("missing").path
        let cases: [(path: String, reason: String)] = [
            (missing, "there is no such file"),
            (empty.directory.path, "it is a directory"),
            (empty.path, "it is empty"),
            (short.path, "its content is not such a secret"),
        ]
        for (path, reason) in cases {
            let json = #"[{"name":"a","secret_file":"\#(path)","role":"read"}]"#
            #expect(
                try failure(environment: ["KVSTORE_SECURITY_TOKENS": json], hiding: ["tiny-secret"])
                    == "environment variable KVSTORE_SECURITY_TOKENS: invalid value \(path.debugDescription) for "
                    + "security.tokens[0].secret_file (expected \(expected); \(reason))"
            )
        }
    }

    @Test func healthDetailsIsAPolicyOrUnset() throws {
        #expect(try load(environment: ["KVSTORE_SECURITY_HEALTH_DETAILS": "Authorized"]).security.healthDetails == .authorized)
        #expect(try load(yaml: "security:\n  health_details: always\n").security.healthDetails == .always)
        #expect(try load(yaml: "security:\n  health_details:\n").security.healthDetails == nil)
        #expect(try load(yaml: "security:\n  health_details: always\n", overrides: ["security.health_details": ""]).security.healthDetails == nil)
        #expect(
            try loadFailure(overrides: ["security.health_details": "sometimes"])
                == "command line: invalid value \"sometimes\" for security.health_details "
                + "(expected one of always, authorized, never, or empty for the default)"
        )
        #expect(KVStoreConfiguration().value(forKey: "security.health_details") == "")
    }

    @Test func corsOriginsAreOriginsOrAStarAlone() throws {
        let configuration = try load(yaml: "security:\n  cors_origins: [https://example.com, 'http://127.0.0.1:3000']\n")
        #expect(configuration.security.corsOrigins == ["https://example.com", "http://127.0.0.1:3000"])
        #expect(configuration.value(forKey: "security.cors_origins") == "https://example.com, http://127.0.0.1:3000")
        #expect(
            try load(environment: ["KVSTORE_SECURITY_CORS_ORIGINS": "https://a.example, https://b.example:8443"]).security.corsOrigins
                == ["https://a.example", "https://b.example:8443"]
        )
        #expect(try load(overrides: ["security.cors_origins": #"["*"]"#]).security.corsOrigins == ["*"])
        #expect(try load(overrides: ["security.cors_origins": ""]).security.corsOrigins == [])
        let expected = "(expected a list of origins such as https://example.com or http://127.0.0.1:3000 (scheme, host, "
            + "optional port, no path), or * alone for any origin; comma-separated in a variable or flag)"
        for bad in ["https://example.com/", "example.com", "ftp://example.com", "https://example.com/app", "*, https://a.example",
            "https://a.example,,https://b.example", "https://a.example?x=1", "https://"]
        {
            #expect(
                try loadFailure(environment: ["KVSTORE_SECURITY_CORS_ORIGINS": bad])
                    == "environment variable KVSTORE_SECURITY_CORS_ORIGINS: invalid value \(bad.debugDescription) "
                    + "for security.cors_origins \(expected)"
            )
        }
    }

    @Test func tlsFilesMustExistAndComeInPairs() throws {
        let certificate = try TemporaryConfigFile("-----BEGIN CERTIFICATE-----\n", name: "cert.pem")
        defer { certificate.remove() }
        let key = try TemporaryConfigFile("-----BEGIN PRIVATE KEY-----\n", name: "key.pem")
        defer { key.remove() }
        let configuration = try load(
            yaml: "security:\n  tls_certificate_file: \(certificate.path)\n  tls_key_file: \(key.path)\n"
        )
        #expect(configuration.security.tlsCertificateFile == certificate.path)
        #expect(configuration.security.tlsKeyFile == key.path)

        let missing = certificate.directory.appendingPathComponent("nope.pem").path
        #expect(
            try loadFailure(overrides: ["security.tls_certificate_file": missing, "security.tls_key_file": key.path])
                == "command line: invalid value \(missing.debugDescription) for security.tls_certificate_file "
                + "(expected a path to a readable PEM certificate file, or empty for none; there is no such file)"
        )
        #expect(
            try loadFailure(environment: ["KVSTORE_SECURITY_TLS_KEY_FILE": key.directory.path])
                == "environment variable KVSTORE_SECURITY_TLS_KEY_FILE: invalid value \(key.directory.path.debugDescription) "
                + "for security.tls_key_file (expected a path to a readable PEM private key file, or empty for none; it is a directory)"
        )
        #expect(
            try loadFailure(yaml: "security:\n  tls_certificate_file: \(certificate.path)\n")
                == "security.tls_certificate_file (from config file FILE, line 2) requires security.tls_key_file; "
                + "set both for HTTPS, or neither"
        )
        #expect(
            try loadFailure(environment: ["KVSTORE_SECURITY_TLS_KEY_FILE": key.path])
                == "security.tls_key_file (from environment variable KVSTORE_SECURITY_TLS_KEY_FILE) requires "
                + "security.tls_certificate_file; set both for HTTPS, or neither"
        )
        // An empty value in a higher layer turns TLS off again.
        #expect(
            try load(
                yaml: "security:\n  tls_certificate_file: \(certificate.path)\n  tls_key_file: \(key.path)\n",
                overrides: ["security.tls_certificate_file": "", "security.tls_key_file": ""]
            ).security.tlsCertificateFile == nil
        )
    }

    @Test func protectingMetricsOrTheDashboardRequiresTokens() throws {
        #expect(
            try loadFailure(yaml: "security:\n  protect_metrics: true\n")
                == "security.protect_metrics true (from config file FILE, line 2) requires security.tokens: protecting "
                + "/api/v1/metrics needs a token with the read role; add one, or set security.protect_metrics to false"
        )
        #expect(
            try loadFailure(environment: ["KVSTORE_SECURITY_PROTECT_DASHBOARD": "on"])
                == "security.protect_dashboard true (from environment variable KVSTORE_SECURITY_PROTECT_DASHBOARD) requires "
                + "security.tokens: protecting /dashboard needs a token with the read role; add one, or set "
                + "security.protect_dashboard to false"
        )
        let tokens = #"[{"name":"r","secret":"\#(secret)","role":"read"}]"#
        #expect(
            try failure(
                overrides: ["security.protect_metrics": "true", "security.protect_dashboard": "true", "security.tokens": tokens],
                hiding: [secret]
            ) == nil
        )
    }

    @Test func limitsAreChecked() throws {
        let configuration = try load(
            yaml: "security:\n  idle_timeout_seconds: 2.5\n  request_timeout_seconds: 10\n  max_connections: 1_000_000\n"
        )
        #expect(configuration.security.idleTimeoutSeconds == 2.5)
        #expect(configuration.security.requestTimeoutSeconds == 10)
        #expect(configuration.security.maxConnections == 1_000_000)
        let cases: [(key: String, value: String, expected: String)] = [
            ("security.idle_timeout_seconds", "0", "a number of seconds from 0.01 to 86400 (1 day)"),
            ("security.request_timeout_seconds", "-1", "a number of seconds from 0.01 to 86400 (1 day)"),
            ("security.request_timeout_seconds", "1e300", "a number of seconds from 0.01 to 86400 (1 day)"),
            ("security.max_connections", "0", "an integer from 1 to 1000000"),
            ("security.max_connections", "1000001", "an integer from 1 to 1000000"),
            ("security.protect_metrics", "maybe", "true or false"),
        ]
        for (key, value, expected) in cases {
            #expect(
                try loadFailure(overrides: [key: value])
                    == "command line: invalid value \(value.debugDescription) for \(key) (expected \(expected))"
            )
        }
    }

    @Test func helpersAgreeWithTheParser() {
        typealias Security = KVStoreConfiguration.Security
        #expect(Security.maskedSecret == "********")
        #expect(Security.isValidSecret("0123456789abcdef"))
        #expect(!Security.isValidSecret("0123456789abcde"))
        #expect(Security.isValidOrigin("*"))
        #expect(Security.isValidOrigin("http://[::1]:8080"))
        #expect(!Security.isValidOrigin("http://user@example.com"))
    }
}
