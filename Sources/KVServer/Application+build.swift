import Foundation
import Hummingbird
import KVConfiguration
import KVStorage
import Logging

/// The composition root: builds the store, the routes and the application from one configuration.
public func buildApplication(configuration: KVStoreConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    let store = try makeStore(configuration: configuration, logger: logger)
    let router = buildRouter(configuration: configuration, store: store)
    return Application(
        router: router,
        configuration: .init(
            address: .hostname(configuration.server.host, port: configuration.server.port),
            serverName: "kvstore/\(KVStoreVersion.version)"),
        services: [StoreService(store: store)],
        onServerRunning: { channel in
            logger.info("kvstore listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: logger)
}

/// Opens the configured store.
func makeStore(configuration: KVStoreConfiguration, logger: Logger) throws -> any KeyValueStore {
    let storage = configuration.storage
    let observer: (any StorageObserver)? = configuration.logging.databaseLog ? StorageLogObserver(logger: logger) : nil
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

/// The router with every route and middleware; used by the application and by router tests.
func buildRouter(configuration: KVStoreConfiguration, store: any KeyValueStore) -> Router<KVRequestContext> {
    let router = Router(context: KVRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestIdentityMiddleware())
    router.add(middleware: RequestLogMiddleware(
        slowRequestSeconds: Double(configuration.logging.slowRequestMilliseconds) / 1000,
        performanceLog: configuration.logging.performanceLog))
    router.add(middleware: JSONErrorMiddleware())
    KVRoutes(store: store, maxValueBytes: configuration.storage.maxValueBytes).register(on: router)
    SystemRoutes(store: store, version: KVStoreVersion.version, startedAt: .now).register(on: router)
    return router
}

/// Builds the application and runs it until SIGTERM or SIGINT, then shuts down gracefully.
public func runServer(configuration: KVStoreConfiguration, logger: Logger) async throws {
    let app = try await buildApplication(configuration: configuration, logger: logger)
    try await app.runService()
}
