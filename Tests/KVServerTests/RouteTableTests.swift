import Foundation
import HTTPTypes
import Hummingbird
import KVConfiguration
import Testing
import KVTestSupport
@testable import KVServer

/// The route table is the one place a route is written: the router, the metrics labels and the
/// access policy of both listeners must all agree with it.
@Suite struct RouteTableTests {
    /// "METHOD template", the way the router and the table name a route.
    static func name(_ method: HTTPRequest.Method, _ path: String) -> String { "\(method.rawValue) \(path)" }

    /// A request path for `template`, each `{parameter}` filled with a sample value.
    static func samplePath(_ template: String) -> String {
        let path = template.split(separator: "/").map { $0.hasPrefix("{") ? "/sample" : "/" + $0 }.joined()
        // A watch would wait for a change: ask for an answer at once.
        return template == "/api/v1/watch" ? path + "?timeout=0" : path
    }

    /// What a listener's router should hold: the table's routes for it, and a `HEAD` for each `GET`.
    static func expectedRoutes(on listener: Listener) -> Set<String> {
        let routes = RouteTable.all.filter { $0.listeners.contains(listener) }
        return Set(routes.map { name($0.method, $0.path) } + routes.filter { $0.method == .get }.map { name(.head, $0.path) })
    }

    @Test func noTwoEntriesCollideAndEachPathIsWhatTheRouterReports() {
        let names = RouteTable.all.map { Self.name($0.method, $0.path) }
        #expect(Set(names).count == names.count, "duplicate entries: \(names)")
        for route in RouteTable.all {
            #expect(RouterPath(route.path).description == route.path, "\(route.path) is not written as the router prints it")
            #expect(!route.listeners.isEmpty, "\(route.path) is served by no listener")
        }
        #expect(Set(RouteTable.templates(on: .metrics)).isSubset(of: RouteTable.templates(on: .api)))
        #expect(RouteTable.keyTemplates == ["/api/v1/kv/{key}", "/api/v1/kv"])
        #expect(Set(MatchedRoute.templates.filter { MatchedRoute(template: $0, method: .get).isProbe }) == ["/health", "/livez", "/readyz"])
    }

    @Test func aMatchedRouteNumbersEveryTemplateAndMethodOfTheTable() {
        #expect(MatchedRoute.templates == RouteTable.templates(on: .api))
        for route in RouteTable.all {
            let matched = MatchedRoute(template: route.path, method: route.method)
            #expect(matched.isMatched && matched.template.map { MatchedRoute.templates[$0] } == route.path)
            #expect(MatchedRoute.methods[matched.method] == route.method)
            #expect(matched.isKeyRoute == RouteTable.keyTemplates.contains(route.path))
            #expect(matched.isProbe == route.isProbe)
        }
        for (index, method) in MatchedRoute.methods.enumerated() {
            #expect(MatchedRoute.index(of: method) == index)
            #expect(HTTPMetricsRecorder.methodLabels[index] == method.rawValue)
        }
        #expect(MatchedRoute.index(of: .connect) == MatchedRoute.methods.count)
        #expect(HTTPMetricsRecorder.methodLabels.last == "_OTHER")
        let unknown = MatchedRoute(template: "/api/v1/new-thing", method: .get)
        #expect(unknown.isMatched && unknown.template == nil && !unknown.isKeyRoute)
        #expect(!MatchedRoute(template: nil, method: .get).isMatched)
    }

    @Test(arguments: Listener.allCases)
    func everyRegisteredRouteHasARuleAndAMetricsLabel(listener: Listener) throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        let router = try buildRouter(parts.routes, listener: listener)
        _ = router.buildResponder()  // adds the generated HEAD routes
        let registered = router.router.routes.map { Self.name($0.method, $0.path.description) }
        #expect(Set(registered).count == registered.count)
        #expect(Set(registered) == Self.expectedRoutes(on: listener))
        let labels = Set(RouteTable.templates(on: listener))
        let policy = parts.routes.security.policy
        for route in router.router.routes {
            let template = route.path.description
            let declared = policy.declaresRule(template: template, method: route.method)
            #expect(declared, "no access rule in the table for \(route)")
            let labelled = labels.contains(template)
            #expect(labelled, "no metrics label for \(route)")
        }
    }

    @Test(arguments: Listener.allCases)
    func theRouterAnswersEveryTemplateUnderItsOwnLabel(listener: Listener) async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        let client = DirectClient(try buildRouter(parts.routes, listener: listener))
        let routes = RouteTable.all.filter { $0.listeners.contains(listener) }
        for route in routes {
            _ = try await client.execute(route.method, Self.samplePath(route.path), body: route.method == .put ? "v" : nil)
            if route.method == .get { _ = try await client.execute(.head, Self.samplePath(route.path)) }
        }
        let metrics = try #require(parts.metrics)
        let scrape = metrics.scraper.scrape(acceptHeader: nil).body
        let unmatched = scrape.contains("route=\"unmatched\"")
        #expect(!unmatched, "a table route was answered as unmatched")
        for route in routes {
            for method in route.method == .get ? [HTTPRequest.Method.get, .head] : [route.method] {
                let counted = scrape.contains("kvstore_http_requests_total{method=\"\(method.rawValue)\",route=\"\(route.path)\"")
                #expect(counted, "\(method.rawValue) \(route.path) was not counted under its template")
            }
        }
        // The check sees an unmatched request: 404 not_found, counted as unmatched.
        let missing = try await client.execute(.get, "/no/such/route")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")
        let countedUnmatched = metrics.scraper.scrape(acceptHeader: nil).body.contains("route=\"unmatched\"")
        #expect(countedUnmatched)
    }

    @Test(arguments: [false, true])
    func thePolicyHoldsTheTableRules(protected: Bool) {
        var security = KVStoreConfiguration.Security()
        security.tokens = TestSecrets.tokens
        security.protectMetrics = protected
        security.protectDashboard = protected
        let policy = AccessPolicy(configuration: security)
        for route in RouteTable.all {
            #expect(policy.rule(template: route.path, method: route.method) == route.access.rule(in: security), "\(route.path)")
            if route.method == .get {
                #expect(policy.rule(template: route.path, method: .head) == route.access.rule(in: security), "HEAD \(route.path)")
            }
        }
        #expect(policy.rule(template: "/metrics", method: .get) == (protected ? .role(.read) : .open))
        #expect(policy.rule(template: "/dashboard/{file}", method: .get) == (protected ? .role(.read) : .open))
        #expect(!policy.declaresRule(template: "/api/v1/new-thing", method: .get))
    }
}
