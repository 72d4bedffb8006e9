// swift-tools-version:6.0
// The bare Hummingbird anchor of scripts/bench/kv.sh: one route on the same framework version as
// kvstore, so the benchmark can show what kvstore's own middleware and routes add. Built by the
// script in its own folder; never linked into kvstore.
import PackageDescription

let package = Package(
    name: "HummingbirdAnchor",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
    ],
    targets: [
        .executableTarget(name: "HummingbirdAnchor", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
    ]
)
