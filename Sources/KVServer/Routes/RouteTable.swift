import Hummingbird
import KVSnapshot

/// Every route of the server, written once: method, path template, who may call it, which
/// listeners serve it, and its handler. The router registration, the metrics route labels and
/// the access policy all come from this table.
enum RouteTable {
    static let kv: [Route<KVRoutes>] = [
        Route(.get, "/api/v1/kv/{key}", access: .always(.role(.read))) { routes, request, context in try await routes.get(request, context) },
        Route(.put, "/api/v1/kv/{key}", access: .always(.role(.write))) { routes, request, context in try await routes.put(request, context) },
        Route(.delete, "/api/v1/kv/{key}", access: .always(.role(.write))) { routes, request, context in
            try await routes.delete(request, context)
        },
        Route(.get, "/api/v1/kv", access: .always(.role(.read))) { routes, request, context in try await routes.list(request, context) },
        Route(.put, "/api/v1/kv", access: .always(.role(.write))) { _, _, _ in throw KVRoutes.emptyKey },
        Route(.delete, "/api/v1/kv", access: .always(.role(.write))) { _, _, _ in throw KVRoutes.emptyKey },
    ]

    /// A transaction that writes needs `write`: checked by the handler, which sees the body.
    static let transactions: [Route<TransactionRoutes>] = [
        Route(.post, "/api/v1/txn", access: .always(.role(.read))) { routes, request, context in try await routes.commit(request, context) },
    ]

    static let system: [Route<SystemRoutes>] = [
        Route(.get, "/health", access: .always(.liveness), listeners: [.api, .metrics]) { routes, _, _ in try routes.health() },
        Route(.get, "/api/v1/stats", access: .always(.details), listeners: [.api, .metrics]) { routes, _, _ in try routes.stats() },
        Route(.get, "/api/v1/ping", access: .always(.open), listeners: [.api, .metrics]) { routes, _, _ in routes.ping() },
    ]

    static let metrics: [Route<MetricsRoutes>] = [
        Route(.get, "/api/v1/metrics", access: .metrics, listeners: [.api, .metrics]) { routes, request, _ in try routes.scrape(request) },
        Route(.get, "/metrics", access: .metrics, listeners: [.api, .metrics]) { routes, request, _ in try routes.scrape(request) },
    ]

    static let health: [Route<HealthRoutes>] = [
        Route(.get, "/livez", access: .always(.probe), listeners: [.api, .metrics]) { routes, request, _ in routes.probe(.liveness, request) },
        Route(.get, "/readyz", access: .always(.probe), listeners: [.api, .metrics]) { routes, request, _ in routes.probe(.readiness, request) },
        Route(.get, "/api/v1/health", access: .always(.healthReport), listeners: [.api, .metrics]) { routes, request, _ in
            routes.report(request)
        },
    ]

    static let snapshots: [Route<SnapshotRoutes>] = [
        Route(.get, "/api/v1/snapshots", access: .always(.details)) { routes, request, _ in try routes.list(request) },
        Route(.get, "/api/v1/snapshots/{name}", access: .always(.details)) { routes, _, context in try routes.file(context) },
        Route(.post, "/api/v1/snapshots", access: .always(.role(.admin))) { routes, _, _ in try await routes.take() },
    ]

    static let dashboard: [Route<DashboardRoutes>] = [
        Route(.get, "/dashboard", access: .dashboard) { routes, request, _ in try routes.index(request) },
        Route(.get, "/dashboard/{file}", access: .dashboard) { routes, _, context in
            try routes.file(context.parameter("file") ?? "", in: "")
        },
        Route(.get, "/dashboard/charts/{file}", access: .dashboard) { routes, _, context in
            try routes.file(context.parameter("file") ?? "", in: "charts/")
        },
    ]

    static let alerts: [Route<AlertRoutes>] = [
        Route(.get, "/api/v1/alerts", access: .always(.details)) { routes, _, _ in try routes.list() },
    ]

    static let cluster: [Route<ClusterRoutes>] = [
        Route(.get, "/api/v1/cluster", access: .always(.details)) { routes, _, _ in try await routes.list() },
    ]

    static let watch: [Route<WatchRoutes>] = [
        Route(.get, "/api/v1/watch", access: .always(.role(.read))) { routes, request, _ in try await routes.watch(request) },
    ]

    /// Every route, without its handler.
    static let all: [RouteInfo] =
        kv.map(\.info) + transactions.map(\.info) + watch.map(\.info) + system.map(\.info) + metrics.map(\.info) + health.map(\.info) + snapshots.map(\.info)
        + dashboard.map(\.info) + alerts.map(\.info) + cluster.map(\.info)

    /// The KV routes' templates, whose raw paths ``KeyPathRule`` checks.
    static let keyTemplates = Set(kv.map(\.info.path))

    /// The distinct templates `listener` serves, in table order: the `route` labels of its metrics.
    static func templates(on listener: Listener) -> [String] {
        distinctTemplates(of: all.filter { $0.listeners.contains(listener) })
    }

    /// Every distinct template, in table order.
    static let allTemplates = distinctTemplates(of: all)

    private static func distinctTemplates(of routes: [RouteInfo]) -> [String] {
        var seen = Set<String>()
        return routes.map(\.path).filter { seen.insert($0).inserted }
    }

    /// Adds every route `listener` serves to `router`, each answered by its feature built from `parts`.
    static func register(on router: ListenerRouter, listener: Listener, parts: RouteParts) {
        KVRoutes(
            store: parts.store, maxValueBytes: parts.configuration.storage.maxValueBytes,
            conditionalFailures: parts.metrics.map { ConditionalFailureCounters($0.kvConditionalFailures) }, now: parts.now
        ).register(on: router, listener: listener)
        TransactionRoutes(
            store: parts.store, maxOperations: parts.configuration.kv.maxTransactionOperations,
            maxBytes: parts.configuration.kv.maxTransactionBytes, metrics: parts.metrics?.transactions
        ).register(on: router, listener: listener)
        SystemRoutes(store: parts.store, version: KVStoreVersion.version, startedAt: parts.startTime).register(on: router, listener: listener)
        MetricsRoutes(metrics: parts.metrics).register(on: router, listener: listener)
        HealthRoutes(monitor: parts.monitor, reports: parts.healthReports).register(on: router, listener: listener)
        SnapshotRoutes(archive: parts.archive, service: parts.snapshots).register(on: router, listener: listener)
        DashboardRoutes(directory: parts.dashboardDirectory).register(on: router, listener: listener)
        AlertRoutes(engine: parts.alerts).register(on: router, listener: listener)
        ClusterRoutes(view: parts.cluster).register(on: router, listener: listener)
        WatchRoutes(hub: parts.watch, maxTimeoutSeconds: parts.configuration.kv.maxWatchTimeoutSeconds, metrics: parts.watchMetrics)
            .register(on: router, listener: listener)
    }
}
