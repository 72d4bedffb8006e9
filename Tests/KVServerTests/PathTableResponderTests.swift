import HTTPTypes
import Hummingbird
import KVTestSupport
import Testing
@testable import KVServer

/// The path table in front of Hummingbird's trie must pick what the trie picks: the same route,
/// template and parameters for every request, or leave the request to the trie.
@Suite struct PathTableResponderTests {
    /// Every route of the table, each answering with what routing gave it.
    static func echoingRouter() throws -> ListenerRouter {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        let templates = RouteTable.templates(on: .api)
        let router = ListenerRouter(middleware: try lifecycleMiddleware(
            listener: "api", configuration: parts.routes.configuration, metrics: nil, routeTemplates: templates,
            security: parts.routes.security, monitor: parts.routes.monitor))
        for info in RouteTable.all {
            let names = info.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            router.on(info) { request, context in
                let parameters = names.map { "\($0)=\(context.parameter($0) ?? "none")" }.joined(separator: ",")
                let routed = "\(request.method.rawValue) \(context.endpointPath ?? "none") \(parameters)"
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: routed)))
            }
        }
        return router
    }

    /// Request paths around every template: filled in, with an escape, empty, with a trailing or
    /// doubled slash, one segment more or less, and a few that match nothing.
    static func probePaths() -> [String] {
        var paths = ["/", "", "/nope", "/api", "/api/v1", "/api/v1/", "/API/v1/ping", "/dashboard/charts", "/dashboard/charts/",
                     // A combining mark right after a slash joins it into one Character, which the trie does not split at.
                     "/api/v1/kv/\u{301}x", "/api/v1/kv/e\u{301}", "/api/v1/kv/\u{E9}", "/api/v1/snapshots/\u{301}", "/api/v1/kv/\u{200D}a"]
        for template in Set(RouteTable.all.map(\.path)) {
            let filled = template.replacingOccurrences(of: #"\{[^}]*\}"#, with: "sample", options: .regularExpression)
            let escaped = template.replacingOccurrences(of: #"\{[^}]*\}"#, with: "a%2Fb", options: .regularExpression)
            let emptied = template.replacingOccurrences(of: #"\{[^}]*\}"#, with: "", options: .regularExpression)
            paths += [filled, escaped, emptied, filled + "/", filled + "/more", filled.replacingOccurrences(of: "/", with: "//"), template]
        }
        return paths
    }

    @Test func theTableAnswersExactlyAsTheTrieWould() async throws {
        let router = try Self.echoingRouter()
        let table = DirectClient(responder: router.buildResponder())
        let trie = DirectClient(responder: router.router.buildResponder())
        var answeredByARoute = 0
        for path in Self.probePaths() {
            for method in [HTTPRequest.Method.get, .head, .put, .delete, .post, .options, .patch] {
                let expected = try await trie.execute(method, path)
                let answer = try await table.execute(method, path)
                #expect(answer.status == expected.status, "\(method) \(path)")
                #expect(answer.body == expected.body, "\(method) \(path)")
                if expected.status == 200 && !expected.body.isEmpty { answeredByARoute += 1 }
            }
        }
        // The probes reach routes with and without parameters, not only 404s.
        #expect(answeredByARoute > 40)
    }

    @Test func templatesWithOneParameterLastAreSplitIntoPrefixAndName() {
        #expect(PathTableResponder.prefixAndParameter(of: "/api/v1/kv/{key}")! == ("/api/v1/kv/", "key"))
        #expect(PathTableResponder.prefixAndParameter(of: "/api/v1/kv") == nil)
        #expect(PathTableResponder.prefixAndParameter(of: "/a/{b}/c") == nil)
        #expect(PathTableResponder.prefixAndParameter(of: "/a/{b}/{c}") == nil)
        #expect(PathTableResponder.prefixAndParameter(of: "/a/{b}.json") == nil)
    }
}
