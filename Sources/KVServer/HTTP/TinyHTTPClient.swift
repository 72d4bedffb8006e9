import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client, shared by the dependency health checks and the alert webhooks: one
/// connection, a status line, a deadline on every step. Blocking, so it runs on a Dispatch thread, never on the cooperative pool.
///
/// Written for checks rather than taken from a client library: a refused connection must be
/// reported at once (a pooled client retries until its deadline), and a hung peer must cost
/// one thread for at most the timeout.
enum TinyHTTPClient {
    enum Failure: Error, CustomStringConvertible {
        case invalidURL
        case resolve(String)
        case refused
        case timeout
        case io(String)
        case badResponse

        var description: String {
            switch self {
            case .invalidURL: "invalid URL"
            case .resolve(let host): "cannot resolve \(host)"
            case .refused: "connection refused"
            case .timeout: "timeout"
            case .io(let what): what
            case .badResponse: "not an HTTP response"
            }
        }
    }

    /// The status code of `GET url`, within `timeout` seconds in all.
    static func status(of url: String, timeout: Double, headers: [(String, String)]) async throws -> Int {
        try await request("GET", url, body: nil, timeout: timeout, headers: headers)
    }

    /// The status code of one request (`GET`, or `POST` with a JSON body), within `timeout` seconds in all.
    static func request(_ method: String, _ url: String, body: Data?, timeout: Double, headers: [(String, String)]) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try blockingRequest(method, url, body: body, timeout: timeout, headers: headers)
                })
            }
        }
    }

    static func blockingRequest(_ method: String, _ url: String, body: Data?, timeout: Double, headers: [(String, String)]) throws -> Int {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http",
              let host = components.host, !host.isEmpty
        else { throw Failure.invalidURL }
        let port = components.port ?? 80
        let path = (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
            + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        let deadline = Date(timeIntervalSinceNow: timeout)

        let fd = try connect(host: host, port: port, deadline: deadline)
        defer { close(fd) }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nAccept: */*\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if let body { request += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        request += "\r\n"
        try send(fd, Array(request.utf8) + Array(body ?? Data()), deadline: deadline)
        let head = try receiveStatusLine(fd, deadline: deadline)
        // "HTTP/1.1 200 OK"
        let parts = head.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]), (100...599).contains(code) else {
            throw Failure.badResponse
        }
        return code
    }

    private static func connect(host: String, port: Int, deadline: Date) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { throw Failure.resolve(host) }
        defer { freeaddrinfo(result) }
        var lastError = Failure.refused
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd < 0 { continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            if errno != EINPROGRESS {
                lastError = errno == ECONNREFUSED ? .refused : .io(String(cString: strerror(errno)))
                close(fd)
                continue
            }
            do {
                try wait(fd, for: Int16(POLLOUT), deadline: deadline)
            } catch {
                close(fd)
                throw error
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
            if socketError == 0 { return fd }
            lastError = socketError == ECONNREFUSED ? .refused : .io(String(cString: strerror(socketError)))
            close(fd)
        }
        throw lastError
    }

    private static func wait(_ fd: Int32, for events: Int16, deadline: Date) throws {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { throw Failure.timeout }
            var pollDescriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&pollDescriptor, 1, Int32(min(remaining * 1000, Double(Int32.max)).rounded(.up)))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw Failure.io(String(cString: strerror(errno))) }
        }
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8], deadline: Date) throws {
        var offset = 0
        while offset < bytes.count {
            try wait(fd, for: Int16(POLLOUT), deadline: deadline)
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw Failure.io(String(cString: strerror(errno)))
            }
            offset += sent
        }
    }

    private static func receiveStatusLine(_ fd: Int32, deadline: Date) throws -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !received.contains(UInt8(ascii: "\n")) && received.count < 8192 {
            try wait(fd, for: Int16(POLLIN), deadline: deadline)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw errno == ECONNRESET ? Failure.io("connection reset") : Failure.io(String(cString: strerror(errno)))
            }
            received += buffer[0..<count]
        }
        guard let end = received.firstIndex(of: UInt8(ascii: "\n")) else { throw Failure.badResponse }
        return String(decoding: received[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
