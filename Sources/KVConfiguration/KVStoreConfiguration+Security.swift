extension KVStoreConfiguration {
    /// Who may do what, and what the monitoring endpoints reveal.
    public struct Security: Sendable, Equatable {
        /// What a token allows; each role includes the ones before it.
        public enum Role: String, Sendable, CaseIterable, Comparable {
            /// GET/HEAD of values, key listings.
            case read
            /// Also PUT and DELETE.
            case write
            /// Also `POST /api/v1/snapshots` and full health details.
            case admin

            private var rank: Int { Role.allCases.firstIndex(of: self)! }
            public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
        }

        /// A bearer token: a name (for logs, never the secret), the secret or a file holding it, and a role.
        public struct Token: Sendable, Equatable {
            public var name: String
            public var secret: String?
            public var secretFile: String?
            public var role: Role

            public init(name: String, secret: String? = nil, secretFile: String? = nil, role: Role) {
                self.name = name
                self.secret = secret
                self.secretFile = secretFile
                self.role = role
            }
        }

        /// Who sees health details, stats and the snapshot API.
        public enum HealthDetails: String, Sendable, CaseIterable {
            case always, authorized, never
        }

        /// Key `security.tokens`.
        public var tokens: [Token]
        /// Key `security.health_details`; nil = `authorized` once tokens exist, `always` without tokens.
        public var healthDetails: HealthDetails?
        /// Key `security.protect_metrics`: `/api/v1/metrics` needs the read role.
        public var protectMetrics: Bool
        /// Key `security.protect_dashboard`: `/dashboard` needs the read role.
        public var protectDashboard: Bool
        /// Key `security.cors_origins`: origins allowed by CORS; empty = CORS off.
        public var corsOrigins: [String]
        /// Key `security.tls_certificate_file` (PEM); TLS is on when it and the key are set.
        public var tlsCertificateFile: String?
        /// Key `security.tls_key_file` (PEM).
        public var tlsKeyFile: String?
        /// Key `security.idle_timeout_seconds`: a connection idle (or trickling headers) this long is closed.
        public var idleTimeoutSeconds: Double
        /// Key `security.request_timeout_seconds`: the most one request (headers and body) may take to arrive.
        public var requestTimeoutSeconds: Double
        /// Key `security.max_connections`: connections beyond this are refused.
        public var maxConnections: Int
        /// Keys `security.rate_limit.*`.
        public var rateLimit: RateLimit

        public init(tokens: [Token] = [], healthDetails: HealthDetails? = nil, protectMetrics: Bool = false,
                    protectDashboard: Bool = false, corsOrigins: [String] = [], tlsCertificateFile: String? = nil,
                    tlsKeyFile: String? = nil, idleTimeoutSeconds: Double = 60, requestTimeoutSeconds: Double = 30,
                    maxConnections: Int = 1024, rateLimit: RateLimit = RateLimit()) {
            self.tokens = tokens
            self.healthDetails = healthDetails
            self.protectMetrics = protectMetrics
            self.protectDashboard = protectDashboard
            self.corsOrigins = corsOrigins
            self.tlsCertificateFile = tlsCertificateFile
            self.tlsKeyFile = tlsKeyFile
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.requestTimeoutSeconds = requestTimeoutSeconds
            self.maxConnections = maxConnections
            self.rateLimit = rateLimit
        }

        /// The effective health-details policy.
        public var effectiveHealthDetails: HealthDetails {
            healthDetails ?? (tokens.isEmpty ? .always : .authorized)
        }
    }
}
