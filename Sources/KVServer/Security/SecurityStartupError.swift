/// Why the server refuses to start: a code to match on and one line, printed as `kvstore: <description>`.
struct SecurityStartupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for matching (`error.code == .unprotectedBind`).
    struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case missingSecret, unprotectedBind, incompleteTLS, tlsCertificate, tlsKey, tlsMismatch
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A configured token has no secret (its `secret_file` was not read).
        static let missingSecret = Code(.missingSecret)
        /// A non-loopback `server.host` without any token.
        static let unprotectedBind = Code(.unprotectedBind)
        /// Only one of `security.tls_certificate_file` and `security.tls_key_file` is set.
        static let incompleteTLS = Code(.incompleteTLS)
        /// The certificate file cannot be loaded or holds no certificate.
        static let tlsCertificate = Code(.tlsCertificate)
        /// The key file cannot be loaded.
        static let tlsKey = Code(.tlsKey)
        /// The certificate and key load but do not make a usable TLS configuration.
        static let tlsMismatch = Code(.tlsMismatch)

        var description: String { value.rawValue }
    }

    /// What went wrong.
    let code: Code
    /// One line saying what to change.
    let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        // One line, whatever an underlying error's text holds.
        self.description = description.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
