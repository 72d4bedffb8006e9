import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import KVConfiguration
import KVTestSupport
@testable import KVServer

@Suite struct DashboardRoutesTests {
    func configuration(_ folder: TemporaryFolder) -> KVStoreConfiguration {
        testConfiguration(folder: folder) {
            $0.dashboard.directory = folder.path + "/public"
            $0.dashboard.templatesDirectory = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("templates").path
        }
    }

    @Test func eachSnapshotRepublishesTheLiveDashboard() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: configuration(folder), logger: testLogger())
        try await parts.application.test(.router) { client in
            try await client.execute(uri: "/dashboard", method: .get) { response in
                #expect(response.status == .movedPermanently)
                #expect(response.headers[.location] == "/dashboard/")
            }
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "x"))
            // The page is republished after the answer, off the request: wait for it.
            try await client.execute(uri: "/api/v1/snapshots", method: .post) { #expect($0.status == .created) }
            #expect(try await eventually { try await Self.page(client).count == 1 })
            let first = try await client.execute(uri: "/dashboard/", method: .get) { $0.body.string }
            try await client.execute(uri: "/api/v1/kv/b", method: .put, body: ByteBuffer(string: "y"))
            try await client.execute(uri: "/api/v1/snapshots", method: .post) { #expect($0.status == .created) }
            #expect(try await eventually { try await Self.page(client).count == 2 }, "the second snapshot republishes the page")
            try await client.execute(uri: "/dashboard/", method: .get) { response in
                #expect(Self.snapshotCount(response.body.string) == 2)
                #expect(response.body.string != first)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                let page = response.body.string
                #expect(page.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\""))
                #expect(page.contains("<svg"))
                #expect(!page.contains("<script"))
            }
            try await client.execute(uri: "/dashboard/charts/request-rate.svg", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/svg+xml")
            }
        }
    }

    @Test func everyRangeIsPublishedServedAndLinked() async throws {
        let folder = TemporaryFolder()
        var config = configuration(folder)
        config.dashboard.ranges = [.init(name: "1h", seconds: 3600), .init(name: "6h", seconds: 21_600)]
        let parts = try buildServer(configuration: config, logger: testLogger())
        try await parts.application.test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/api/v1/snapshots", method: .post) { #expect($0.status == .created) }
            }
            #expect(try await eventually {
                try await client.execute(uri: "/dashboard/range-6h.html", method: .get) { Self.snapshotCount($0.body.string) } == 2
            })
            for (uri, current) in [("/dashboard/", "1h"), ("/dashboard/index.html", "1h"), ("/dashboard/range-6h.html", "6h")] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let page = response.body.string
                    #expect(page.contains("<a href=\"index.html\" id=\"range-1h\""), "\(uri)")
                    #expect(page.contains("<a href=\"range-6h.html\" id=\"range-6h\""), "\(uri)")
                    #expect(page.contains("id=\"range-\(current)\" class=\"current\" aria-current=\"page\">\(current)</a>"), "\(uri)")
                    // Two snapshots moments apart: both ranges start at the oldest one, and say so.
                    #expect(page.contains("id=\"range-note\""), "\(uri)")
                }
            }
            try await client.execute(uri: "/dashboard/charts/range-6h-latency.svg", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/svg+xml")
            }
            try await client.execute(uri: "/dashboard/range-7d.html", method: .get) { #expect($0.status == .notFound) }
        }
    }

    /// The live page's snapshot count (nil before the first publication).
    static func page(_ client: some TestClientProtocol) async throws -> (count: Int?, body: String) {
        try await client.execute(uri: "/dashboard/", method: .get) { (snapshotCount($0.body.string), $0.body.string) }
    }

    /// The "N snapshots" count in the page's meta line.
    static func snapshotCount(_ page: String) -> Int? {
        guard let match = page.firstMatch(of: /· (\d+) snapshots<\/p>/) else { return nil }
        return Int(match.1)
    }

    @Test(arguments: ["/dashboard/..%2F..%2Fetc%2Fpasswd", "/dashboard/.kvstore-dashboard", "/dashboard/charts/..%2Findex.html", "/dashboard/link.html", "/dashboard/charts/index.html"])
    func onlyPublishedRegularFilesAreServed(uri: String) async throws {
        let folder = TemporaryFolder()
        let config = configuration(folder)
        try FileManager.default.createDirectory(atPath: config.dashboard.directory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: config.dashboard.directory + "/link.html", withDestinationPath: "/etc/passwd")
        let parts = try buildServer(configuration: config, logger: testLogger())
        try await parts.application.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .notFound, "\(uri)")
                #expect(!response.body.string.contains("root:"))
            }
        }
    }
}
