import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVConfiguration
import Logging
@testable import KVServer

/// Secrets the security tests use; none may ever appear in a log line or an answer.
enum TestSecrets {
    static let read = "read-secret-0123456789abcdef"
    static let write = "write-secret-0123456789abcdef"
    static let admin = "admin-secret-0123456789abcdef"
    static let wrong = "wrong-secret-0123456789abcdef"
    static var all: [String] { [read, write, admin, wrong, basicValue] }
    /// `Basic` credentials carrying the admin secret as the password.
    static var basicValue: String { Data("ops:\(admin)".utf8).base64EncodedString() }

    static var tokens: [KVStoreConfiguration.Security.Token] {
        [
            .init(name: "reader", secret: read, role: .read),
            .init(name: "writer", secret: write, role: .write),
            .init(name: "operator", secret: admin, role: .admin),
        ]
    }
}

/// A server built the way the composition root wires the security layer (see the wiring patch):
/// headers middleware outermost, access control right after `JSONErrorMiddleware`, and the
/// security layer's server builder for the listener.
struct SecuredServer {
    let parts: KVServerParts
    let security: SecurityLayer
    let application: Application<RouterResponder<KVRequestContext>>
}

func buildSecuredServer(configuration: KVStoreConfiguration, logger: Logger) throws -> SecuredServer {
    try buildSecuredServer(configuration: configuration, logger: logger, clock: ContinuousClock())
}

/// `buildSecuredServer` whose rate limit reads `clock`.
func buildSecuredServer<C: Clock>(configuration: KVStoreConfiguration, logger: Logger, clock: C) throws -> SecuredServer
where C.Duration == Duration {
    let security = try SecurityLayer(configuration: configuration, clock: clock)
    let parts = try buildServer(configuration: configuration, logger: logger, clock: clock)
    let startTime = ContinuousClock.now
    let router = Router(context: KVRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: security.headersMiddleware)
    router.add(middleware: RequestIdentityMiddleware())
    // Logs every request (as a "slow request"), so the tests can look for secrets in request log lines.
    router.add(middleware: RequestLogMiddleware(slowRequestSeconds: 0, performanceLog: true))
    router.add(middleware: JSONErrorMiddleware())
    router.add(middleware: try security.accessMiddleware(monitor: parts.monitor, listener: "api", registry: parts.metrics?.registry))
    router.add(middleware: KeyPathMiddleware())
    KVRoutes(store: parts.store, maxValueBytes: configuration.storage.maxValueBytes).register(on: router)
    SystemRoutes(store: parts.store, version: KVStoreVersion.version, startedAt: startTime).register(on: router)
    MetricsRoutes(metrics: parts.metrics).register(on: router)
    HealthRoutes(monitor: parts.monitor).register(on: router)
    SnapshotRoutes(archive: makeSnapshotArchive(configuration: configuration), service: parts.snapshots).register(on: router)
    DashboardRoutes(directory: nil).register(on: router)
    let application = Application(
        router: router, server: try security.serverBuilder(listener: "api", registry: nil),
        configuration: .init(address: .hostname(configuration.server.host, port: configuration.server.port)),
        logger: logger)
    return SecuredServer(parts: parts, security: security, application: application)
}

/// A blocking TCP client for the transport tests, used from its own thread so that it never
/// blocks Swift's cooperative pool (which the server's handlers need).
final class RawConnection: @unchecked Sendable {  // used by one thread at a time, as the tests do
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(fd) }

    /// Sends bytes; false once the peer has closed.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Reads until the peer closes or `timeout` passes; `closed` says which.
    func readUntilClosed(timeout: Double) -> (bytes: [UInt8], closed: Bool) {
        var collected: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&pollfd, 1, remaining) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (collected, true) }
            collected += buffer[0..<count]
        }
        return (collected, false)
    }
}

/// Runs blocking work on a new thread and awaits its result.
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
