import Foundation
import HTTPTypes
import Hummingbird
import KVTestSupport
import Testing
@testable import KVServer

/// docs/openapi.yaml describes exactly the routes the server registers: every route of
/// ``RouteTable`` on every listener is an operation of the document, and every operation of the
/// document is a route. (scripts/check-openapi.sh checks the answers against the document.)
@Suite struct OpenAPIDocumentTests {
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.yaml")

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// "METHOD /path/{param}" for every operation under `paths:`, read line by line: a path is a key
    /// indented two spaces under `paths:`, an operation a method key indented four spaces under it.
    /// (Enough for this document, which writes paths and methods as plain block keys.)
    static func operations(inYAML text: String) -> Set<String> {
        var operations = Set<String>()
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let indent = line.prefix { $0 == " " }.count
            if indent == 0 {
                inPaths = trimmed == "paths:"
                path = nil
                continue
            }
            guard inPaths, trimmed.hasSuffix(":") || trimmed.contains(": ") else { continue }
            let key = Self.unquoted(String(trimmed.prefix { $0 != ":" }))
            if indent == 2 {
                path = key
            } else if indent == 4, let path, methods.contains(key) {
                operations.insert("\(key.uppercased()) \(path)")
            }
        }
        return operations
    }

    static func unquoted(_ key: String) -> String {
        guard key.count >= 2, let first = key.first, first == key.last, first == "'" || first == "\"" else { return key }
        return String(key.dropFirst().dropLast())
    }

    /// A router template in OpenAPI's spelling: `{name}` stays, `:name` becomes `{name}`.
    static func openAPIPath(_ template: String) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }

    static func name(_ method: HTTPRequest.Method, _ template: String) -> String { "\(method.rawValue) \(openAPIPath(template))" }

    static func documented() throws -> Set<String> {
        operations(inYAML: try String(contentsOf: documentURL, encoding: .utf8))
    }

    @Test func theReaderFindsPathsAndMethodsOnly() {
        let yaml = """
            openapi: 3.1.0
            paths:
              /a/{key}:
                parameters:
                  - $ref: '#/components/parameters/Key'
                get:
                  responses:
                    '200': { description: ok }
                put:
                  summary: "x"
              '/b':
                # a comment
                delete:
                  responses: &shared
                    '204': { description: gone }
            components:
              parameters:
                get: {}
            """
        #expect(Self.operations(inYAML: yaml) == ["GET /a/{key}", "PUT /a/{key}", "DELETE /b"])
        #expect(Self.openAPIPath("/api/v1/kv/:key") == "/api/v1/kv/{key}")
        #expect(Self.openAPIPath("/api/v1/kv/{key}") == "/api/v1/kv/{key}")
    }

    @Test func everyRouteOfTheTableIsDocumented() throws {
        let documented = try Self.documented()
        #expect(!documented.isEmpty, "no operations read from \(Self.documentURL.path)")
        for route in RouteTable.all {
            let name = Self.name(route.method, route.path)
            #expect(documented.contains(name), "\(name) (listeners \(route.listeners.map(\.rawValue).sorted())) is missing from docs/openapi.yaml")
        }
    }

    @Test(arguments: Listener.allCases)
    func everyRouteTheListenerRegistersIsDocumented(listener: Listener) throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        let router = try buildRouter(parts.routes, listener: listener)
        _ = router.buildResponder()  // adds the generated HEAD routes
        let registered = Set(router.router.routes.map { Self.name($0.method, $0.path.description) })
        let documented = try Self.documented()
        for route in registered.sorted() {
            // A HEAD the router generates for a GET is covered by that GET.
            let generatedHead = route.hasPrefix("HEAD ") && registered.contains("GET " + route.dropFirst("HEAD ".count))
            if generatedHead && !documented.contains(route) { continue }
            #expect(documented.contains(route), "\(route), registered on the \(listener) listener, is missing from docs/openapi.yaml")
        }
    }

    @Test func everyDocumentedOperationIsARoute() throws {
        let routes = Set(RouteTable.all.map { Self.name($0.method, $0.path) })
        for operation in try Self.documented().sorted() {
            let headOfGet = operation.hasPrefix("HEAD ") && routes.contains("GET " + operation.dropFirst("HEAD ".count))
            #expect(routes.contains(operation) || headOfGet, "docs/openapi.yaml documents \(operation), which is no route of RouteTable")
        }
    }
}
