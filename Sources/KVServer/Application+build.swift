import Foundation
import Hummingbird
import KVConfiguration
import KVMonitoring
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
    let application: Application<RouterResponder<KVRequestContext>>
    let metrics: ServerMetrics?
    let store: any KeyValueStore
}

func buildServer(configuration: KVStoreConfiguration, logger: Logger) throws -> KVServerParts {
    let metrics = configuration.metrics.enabled ? try ServerMetrics(configuration: configuration.metrics, logger: logger) : nil
    let store = try makeStore(configuration: configuration, metrics: metrics, logger: logger)
    try metrics?.installStorageCollector(store: store)

    var services: [any Service] = [StoreService(store: store)]
    if let port = configuration.metrics.port, metrics != nil {
        let router = buildMetricsRouter(configuration: configuration, store: store, metrics: metrics)
        services.append(Application(
            router: router,
            configuration: .init(address: .hostname(configuration.server.host, port: port), serverName: "kvstore/\(KVStoreVersion.version)"),
            onServerRunning: { channel in
                logger.info("kvstore metrics listener", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
            },
            logger: logger))
    }
    let application = Application(
        router: buildRouter(configuration: configuration, store: store, metrics: metrics),
        configuration: .init(
            address: .hostname(configuration.server.host, port: configuration.server.port),
            serverName: "kvstore/\(KVStoreVersion.version)"),
        services: services,
        onServerRunning: { channel in
            logger.info("kvstore listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: logger)
    return KVServerParts(application: application, metrics: metrics, store: store)
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

/// Opens the configured store, observed by the metrics and, at debug level, the database log.
func makeStore(configuration: KVStoreConfiguration, metrics: ServerMetrics?, logger: Logger) throws -> any KeyValueStore {
    var observers: [any StorageObserver] = []
    if let metrics { observers.append(metrics.storageObserver) }
    if configuration.logging.databaseLog && logger.logLevel <= .debug { observers.append(StorageLogObserver(logger: logger)) }
    let observer: (any StorageObserver)? = observers.isEmpty ? nil : observers.count == 1 ? observers[0] : StorageObservers(observers: observers)
    let storage = configuration.storage
    switch storage.engine {
    case .memory:
        return InMemoryStore(maxValueBytes: storage.maxValueBytes, quotaBytes: storage.quotaBytes, observer: observer)
    case .lmdb:
        return try LMDBStore(
            options: .init(
                path: storage.path, durability: Durability(rawValue: storage.durability.rawValue) ?? .always,
                syncInterval: storage.syncInterval, maxValueBytes: storage.maxValueBytes, quotaBytes: storage.quotaBytes),
            observer: observer)
    }
}

/// The middleware every listener shares, outermost first.
func addMiddleware(to router: Router<KVRequestContext>, configuration: KVStoreConfiguration, metrics: ServerMetrics?, routeTemplates: [String]) {
    router.add(middleware: RequestIdentityMiddleware())
    if let metrics {
        router.add(middleware: HTTPMetricsMiddleware(families: metrics.http, routeTemplates: routeTemplates.map { RouterPath($0).description }))
    }
    // Only in the chain when it can log something: a debug level or the performance log.
    let logsRequests = configuration.logging.performanceLog || (Logger.Level(rawValue: configuration.logging.level.rawValue) ?? .info) <= .debug
    if logsRequests {
        router.add(middleware: RequestLogMiddleware(
            slowRequestSeconds: Double(configuration.logging.slowRequestMilliseconds) / 1000,
            performanceLog: configuration.logging.performanceLog))
    }
    router.add(middleware: JSONErrorMiddleware())
}

/// The main listener's router: every route.
func buildRouter(configuration: KVStoreConfiguration, store: any KeyValueStore, metrics: ServerMetrics?) -> Router<KVRequestContext> {
    let router = Router(context: KVRequestContext.self, options: .autoGenerateHeadEndpoints)
    addMiddleware(to: router, configuration: configuration, metrics: metrics,
                  routeTemplates: KVRoutes.templates + SystemRoutes.templates + MetricsRoutes.templates)
    KVRoutes(store: store, maxValueBytes: configuration.storage.maxValueBytes).register(on: router)
    SystemRoutes(store: store, version: KVStoreVersion.version, startedAt: .now).register(on: router)
    MetricsRoutes(metrics: metrics).register(on: router)
    return router
}

/// The separate metrics listener (`metrics.port`): metrics and health only.
func buildMetricsRouter(configuration: KVStoreConfiguration, store: any KeyValueStore, metrics: ServerMetrics?) -> Router<KVRequestContext> {
    let router = Router(context: KVRequestContext.self, options: .autoGenerateHeadEndpoints)
    addMiddleware(to: router, configuration: configuration, metrics: metrics, routeTemplates: SystemRoutes.templates + MetricsRoutes.templates)
    SystemRoutes(store: store, version: KVStoreVersion.version, startedAt: .now).register(on: router)
    MetricsRoutes(metrics: metrics).register(on: router)
    return router
}
