import Foundation
import Hummingbird
import KVConfiguration
import KVMonitoring
import KVSnapshot
import KVStorage
import Logging
import Metrics
import ServiceLifecycle

/// The composition root: builds the metrics, the store, the routes and the listeners from one configuration.
public func buildApplication(configuration: KVStoreConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    try buildServer(configuration: configuration, logger: logger).application
}

/// What `buildApplication` assembles, for callers that also need the parts (the executable, tests).
struct KVServerParts {
    let application: Application<PathTableResponder>
    let metrics: ServerMetrics?
    let store: any KeyValueStore
    let monitor: HealthMonitor
    let snapshots: SnapshotService?
    let alerts: AlertEngine?
    /// What both listeners' routers are built from (tests build a listener's router without its socket).
    let routes: RouteParts
}

/// The parts every listener's routes are built from.
struct RouteParts {
    let configuration: KVStoreConfiguration
    let store: any KeyValueStore
    let metrics: ServerMetrics?
    let monitor: HealthMonitor
    /// `/api/v1/health`'s rendered bodies, shared by every listener.
    let healthReports: HealthReportCache
    let snapshots: SnapshotService?
    let alerts: AlertEngine?
    let archive: SnapshotArchive
    let dashboardDirectory: String?
    let startTime: ContinuousClock.Instant
    let security: SecurityLayer
    let watch: WatchHub
    let watchMetrics: WatchMetrics?
    /// The clock expiry is judged and `ttl` counted on (the store's).
    let now: @Sendable () -> Date
    /// The members of the cluster (this node alone on a local engine).
    let cluster: ClusterView
}

func buildServer(configuration: KVStoreConfiguration, logger: Logger) throws -> KVServerParts {
    try buildServer(configuration: configuration, logger: logger, clock: ContinuousClock())
}

/// `buildServer` with the clock the rate limit, the monitoring ticks and the expiry sweeper run on,
/// and the wall clock that decides expiry (tests pass manual ones).
func buildServer<C: Clock>(
    configuration: KVStoreConfiguration, logger: Logger, clock: C, now: @escaping @Sendable () -> Date = { Date() }
) throws -> KVServerParts where C.Duration == Duration {
    // Protected mode and the TLS files: refuse to start, with one line, before anything is opened.
    let security = try SecurityLayer(configuration: configuration, clock: clock)
    let startTime = Date()
    let metrics = configuration.metrics.enabled ? try ServerMetrics(configuration: configuration.metrics, logger: logger) : nil
    // The hub before the store: a shared store's feed reports where its history starts once connected.
    let watchFeed = WatchFeed()
    let (store, revision) = try makeStore(configuration: configuration, metrics: metrics, watchFeed: watchFeed, logger: logger, now: now)
    try metrics?.installStorageCollector(store: store)
    let (watch, watchMetrics) = try makeWatchHub(configuration: configuration, revision: revision, metrics: metrics)
    watchFeed.attach(watch)

    let snapshotStatus = configuration.snapshots.enabled ? SnapshotStatus(intervalSeconds: configuration.snapshots.intervalSeconds) : nil
    let monitor = try makeHealthMonitor(
        configuration: configuration, store: store, metrics: metrics, snapshotStatus: snapshotStatus, startTime: startTime, logger: logger)
    let alerting = try makeAlerting(configuration: configuration, metrics: metrics, logger: logger)
    let observer = ServerObserver(monitor: monitor, registry: metrics?.registry)
    let cluster = ClusterView(
        registry: store as? any MemberRegistry, node: configuration.node.id, url: configuration.advertisedURL,
        version: KVStoreVersion.version, startedAt: startTime, interval: configuration.cluster.heartbeatIntervalSeconds,
        monitor: monitor, gauge: try metrics.map { try $0.registry.registerGauge(KVMetrics.clusterMembers) }, now: now)
    if cluster.registry == nil { cluster.record([cluster.ownRow()]) }
    let snapshots = try snapshotStatus.map { status in
        try makeSnapshotService(
            configuration: configuration, store: store, metrics: metrics, observer: observer, status: status,
            alerts: alerting.engine, cluster: cluster, startTime: startTime, logger: logger)
    }
    let archive = makeSnapshotArchive(configuration: configuration)
    let dashboard = makeLiveDashboard(configuration: configuration, archive: archive, logger: logger)
    if let dashboard, let snapshots {
        snapshots.addListener { snapshot in await dashboard.append(snapshot) }
    }
    let parts = RouteParts(
        configuration: configuration, store: store, metrics: metrics, monitor: monitor,
        healthReports: HealthReportCache(monitor: monitor), snapshots: snapshots, alerts: alerting.engine,
        archive: archive,
        dashboardDirectory: dashboard == nil ? nil : configuration.dashboard.directory, startTime: .now, security: security,
        watch: watch, watchMetrics: watchMetrics, now: now, cluster: cluster)

    // Shut down in reverse order: the listeners first, then snapshots and health, the store last.
    var services: [any Service] = [
        StoreService(store: store),
        ExpirySweepService(
            store: store, interval: .milliseconds(Int64(configuration.kv.sweepIntervalSeconds * 1000)),
            batch: configuration.kv.sweepBatch, clock: clock, logger: logger),
        HealthService(monitor: monitor),
    ]
    if let registry = cluster.registry {
        services.append(MembershipService(view: cluster, registry: registry, clock: clock, logger: logger))
    }
    if let snapshots { services.append(snapshots) }
    if let notifier = alerting.notifier { services.append(AlertNotifierService(notifier: notifier)) }
    if alerting.engine != nil || snapshots != nil {
        services.append(MonitoringTickService(
            interval: .milliseconds(Int64(configuration.snapshots.intervalSeconds * 1000)), clock: clock,
            observer: observer, alerts: alerting.engine, snapshots: snapshots))
    }
    if let dashboard { services.append(DashboardService(dashboard: dashboard)) }
    if let port = configuration.metrics.port, metrics != nil {
        services.append(Application(
            router: try buildMetricsRouter(parts),
            server: try security.serverBuilder(listener: "metrics", registry: metrics?.registry),
            configuration: .init(address: .hostname(configuration.server.host, port: port), serverName: "kvstore/\(KVStoreVersion.version)"),
            onServerRunning: { channel in
                logger.info("kvstore metrics listener", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
            },
            logger: logger))
    }
    let application = Application(
        router: try buildRouter(parts),
        server: try security.serverBuilder(listener: "api", registry: metrics?.registry),
        configuration: .init(
            address: .hostname(configuration.server.host, port: configuration.server.port),
            serverName: "kvstore/\(KVStoreVersion.version)"),
        services: services,
        onServerRunning: { channel in
            logger.info("kvstore listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: logger)
    return KVServerParts(application: application, metrics: metrics, store: store, monitor: monitor, snapshots: snapshots, alerts: alerting.engine,
        routes: parts)
}

/// Builds the application and runs it until SIGTERM or SIGINT, then shuts down gracefully.
///
/// Also routes swift-metrics (used by libraries) into the server's registry; call once per process.
public func runServer(configuration: KVStoreConfiguration, logger: Logger) async throws {
    let parts = try buildServer(configuration: configuration, logger: logger)
    if let metrics = parts.metrics {
        MetricsSystem.bootstrap(KVMetricsFactory(registry: metrics.registry, logger: logger))
    }
    try await parts.application.runService()
}

/// The watch hub, its history starting at the store's revision, and its metrics.
func makeWatchHub(configuration: KVStoreConfiguration, revision: Int64, metrics: ServerMetrics?) throws -> (WatchHub, WatchMetrics?) {
    let watchMetrics = try metrics.map { try WatchMetrics(registry: $0.registry) }
    let gauge = watchMetrics?.watchers
    let hub = WatchHub(
        revision: revision, capacity: configuration.kv.watchHistory, maxWatchers: configuration.kv.maxWatchers,
        watchersChanged: { gauge?.set($0) })
    return (hub, watchMetrics)
}

/// The middleware every route of a listener runs in, its stages outermost first.
func lifecycleMiddleware(
    listener: String, configuration: KVStoreConfiguration, metrics: ServerMetrics?,
    routeTemplates: [String], security: SecurityLayer, monitor: HealthMonitor
) throws -> RequestLifecycleMiddleware {
    // Outermost: ids, metrics, the log line, JSON errors, and nosniff, Referrer-Policy, CSP on pages and
    // CORS headers on every answer (errors included).
    // The log stage only when it can log something: a debug level or the performance log.
    let logsRequests = configuration.logging.performanceLog || Logger.Level(configuration.logging.level) <= .debug
    return try RequestLifecycleMiddleware(
        identity: RequestIdentity(),
        metrics: metrics.map { HTTPMetricsRecorder(families: $0.http, routeTemplates: routeTemplates.map { RouterPath($0).description }) },
        log: logsRequests ? RequestLog(
            slowRequestSeconds: Double(configuration.logging.slowRequestMilliseconds) / 1000,
            performanceLog: configuration.logging.performanceLog) : nil,
        headers: security.headers,
        // After identity and metrics, so that its 421/429/401/403/400 answers are counted and logged like any
        // other: allowed hosts, rate limit, CORS preflight, tokens in the query, bearer tokens and roles, health
        // details, cross-site writes.
        access: security.accessControl(monitor: monitor, listener: listener, registry: metrics?.registry),
        // Last: a key is exactly one raw path segment (Hummingbird drops empty segments before routing).
        checksKeyPaths: !RouteTable.keyTemplates.isDisjoint(with: routeTemplates))
}

/// The main listener's router: every route of ``RouteTable``.
func buildRouter(_ parts: RouteParts) throws -> ListenerRouter {
    try buildRouter(parts, listener: .api)
}

/// The separate metrics listener (`metrics.port`): the table's metrics, health and system routes.
func buildMetricsRouter(_ parts: RouteParts) throws -> ListenerRouter {
    try buildRouter(parts, listener: .metrics)
}

/// A listener's router: the shared middleware, then the routes of ``RouteTable`` that `listener` serves.
func buildRouter(_ parts: RouteParts, listener: Listener) throws -> ListenerRouter {
    let templates = RouteTable.templates(on: listener)
    let router = ListenerRouter(middleware: try lifecycleMiddleware(
        listener: listener.rawValue, configuration: parts.configuration, metrics: parts.metrics,
        routeTemplates: templates, security: parts.security, monitor: parts.monitor))
    RouteTable.register(on: router, listener: listener, parts: parts)
    return router
}
