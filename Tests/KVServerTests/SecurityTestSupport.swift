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

/// `configuration` with the performance log on and a slow-request threshold of 0 ms, so that the real
/// request log (`lifecycleMiddleware` in `Application+build.swift`) writes a "slow request" line for every
/// request: the security tests look for secrets in those lines.
func loggingEveryRequest(_ configuration: KVStoreConfiguration) -> KVStoreConfiguration {
    var configuration = configuration
    configuration.logging.performanceLog = true
    configuration.logging.slowRequestMilliseconds = 0
    return configuration
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

    /// Reads until the bytes received contain `marker` or `timeout` passes; returns what arrived.
    func read(until marker: String, timeout: Double) -> String {
        var collected: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline, !String(decoding: collected, as: UTF8.self).contains(marker) {
            var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&pollfd, 1, remaining) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            collected += buffer[0..<count]
        }
        return String(decoding: collected, as: UTF8.self)
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
