// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "kvstore",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kvstore", targets: ["kvstore"]),
        .executable(name: "kvstore-dashboard", targets: ["kvstore-dashboard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "KVStorage",
            dependencies: [
                "CLMDB",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KVConfiguration",
            dependencies: ["KVSnapshot", "KVStorage", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(name: "KVSnapshot", swiftSettings: swiftSettings),
        .target(
            name: "KVMonitoring",
            dependencies: [
                "KVSnapshot",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "KVCompression", dependencies: ["CZlib", "KVSnapshot"], swiftSettings: swiftSettings),
        .target(
            name: "KVDashboard",
            dependencies: [
                "KVSnapshot",
                "CLibXML2",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KVServer",
            dependencies: [
                "KVStorage",
                "KVMonitoring",
                "KVConfiguration",
                "KVSnapshot",
                "KVCompression",
                "KVDashboard",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kvstore",
            dependencies: [
                "KVServer",
                "KVSnapshot",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "KVConfigurationTests", dependencies: ["KVConfiguration", "KVSnapshot", "KVTestSupport"], swiftSettings: swiftSettings),
        .target(name: "KVTestSupport", dependencies: ["KVSnapshot"], path: "Tests/KVTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "KVSnapshotTests", dependencies: ["KVSnapshot", "KVTestSupport"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "kvstore-dashboard",
            dependencies: [
                "KVDashboard",
                "KVSnapshot",
                "KVCompression",
                "KVMonitoring",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/kvstore-dashboard",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "KVDashboardTests", dependencies: ["KVDashboard", "KVTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "KVCompressionTests", dependencies: ["KVCompression"], swiftSettings: swiftSettings),
        .testTarget(name: "KVStorageTests", dependencies: ["KVStorage", "KVTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "KVMonitoringTests",
            dependencies: ["KVMonitoring", "KVTestSupport", .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KVServerTests",
            dependencies: [
                "KVServer",
                "KVCompression",
                "KVMonitoring",
                "KVSnapshot",
                "KVTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
