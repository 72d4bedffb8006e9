import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import Synchronization
@testable import KVServer

/// What a router answered: status, headers and the whole body as text.
struct DirectResponse: Sendable {
    let status: Int
    let headers: HTTPFields
    let body: String
    var errorCode: String? { KVServerTests.errorCode(ByteBuffer(string: body)) }
}

/// Sends requests straight to a listener's router, without a socket, with any `Host` (the test
/// frameworks always send `localhost`). `authority` nil is a request without a `Host` header.
struct DirectClient: Sendable {
    let responder: any HTTPResponder<KVRequestContext>
    let logger: Logger

    init(_ router: ListenerRouter, logger: Logger = testLogger()) {
        self.init(responder: router.buildResponder(), logger: logger)
    }

    init(responder: any HTTPResponder<KVRequestContext>, logger: Logger = testLogger()) {
        self.responder = responder
        self.logger = logger
    }

    func execute(
        _ method: HTTPRequest.Method, _ path: String, host authority: String? = "localhost", headers: HTTPFields = [:],
        body: String? = nil
    ) async throws -> DirectResponse {
        var headers = headers
        if let body { headers[.contentLength] = String(body.utf8.count) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: authority, path: path, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(string: body ?? "")))
        let context = KVRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: logger))
        let response = try await responder.respond(to: request, context: context)
        let writer = CollectingWriter()
        try await response.body.write(writer)
        return DirectResponse(status: response.status.code, headers: response.headers, body: String(buffer: writer.collected))
    }
}

private final class CollectingWriter: ResponseBodyWriter, Sendable {
    private let buffer = Mutex(ByteBuffer())
    var collected: ByteBuffer { buffer.withLock { $0 } }
    func write(_ buffer: ByteBuffer) async throws { self.buffer.withLock { _ = $0.writeImmutableBuffer(buffer) } }
    func finish(_ headers: HTTPFields?) async throws {}
}

/// Sends `bytes` on a new connection to 127.0.0.1:`port` and returns everything the server answers
/// until it closes (the request should say `Connection: close`).
func rawExchange(port: Int, _ bytes: [UInt8]) async -> String {
    await onThread {
        guard let connection = try? RawConnection(port: port) else { return "" }
        connection.send(bytes)
        return String(decoding: connection.readUntilClosed(timeout: 10).bytes, as: UTF8.self)
    }
}
