import Foundation
import Testing
import KVTestSupport
@testable import KVDashboard
import KVSnapshot

/// `SnapshotBundle` and `BundleManifest`: a bundle holds the page, the window's files, bundle.json
/// and a manifest that coreutils' `sha256sum -c` accepts; `verify` names every changed, missing and
/// extra file; redaction leaves none of the redacted strings anywhere in the bundle.
@Suite struct SnapshotBundleTests {
    static let now = Date(timeIntervalSince1970: Fixture.start + 5)
    static let from = Date(timeIntervalSince1970: Fixture.start - 1_800)
    static let to = Date(timeIntervalSince1970: Fixture.start)

    /// An hour of one snapshot a minute from a node named like a host, with a path in a check's
    /// message and an internal route in a label.
    static func history(node: String = "db-7.corp.example") -> [Snapshot] {
        (0...60).map { minute in
            var snapshot = Fixture.snapshot(
                offset: Double((minute - 60) * 60), uptime: Double(1_000 + minute * 60), sequence: UInt64(minute + 1), node: node,
                requests: [("200", Double(minute * 60))],
                checks: [Fixture.check("disk", .healthy, message: "data dir /srv/acme/kv: 12 GB free", kind: "disk")])
            snapshot.metrics[0].samples.append(MetricSample(labels: ["method": "POST", "route": "/internal/acme-admin", "code": "200"],
                                                            value: Double(minute)))
            return snapshot
        }
    }

    func generator() throws -> DashboardGenerator {
        DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: DashboardOptions())
    }

    func bundle(_ archive: TemporaryFolder, rules: RedactionRules? = nil, into out: URL) throws -> SnapshotBundle.Description {
        try SnapshotBundle(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), from: Self.from, to: Self.to,
                           redaction: rules).write(to: out, generator: try generator(), now: Self.now)
    }

    func sha256sum(_ folder: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = ["-c", "--quiet", BundleManifest.fileName]
        process.currentDirectoryURL = folder
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func aBundleHoldsThePageTheFilesAndAManifestCoreutilsAccepts() throws {
        let archive = try Fixture.writeArchive(Self.history())
        let parent = TemporaryFolder()
        let out = parent.url.appendingPathComponent("bundle")
        let description = try bundle(archive, into: out)
        #expect(description.counts.snapshots == 31 && description.nodes == ["db-7.corp.example"] && !description.redacted)
        #expect(description.window.from == "2026-11-18T10:36:40.000Z" && description.generator == "kvstore-dashboard \(KVStoreVersion.version)")
        let files = try BundleManifest.files(in: out)
        #expect(files.count == description.counts.files - 1, "every file but the manifest is listed")
        #expect(files.contains("index.html") && files.contains("bundle.json") && files.filter { $0.hasPrefix("snapshots/") }.count == 31)
        // The copies are the archive's bytes.
        let copied = try #require(files.first { $0.hasPrefix("snapshots/") })
        #expect(try Data(contentsOf: out.appendingPathComponent(copied))
            == Data(contentsOf: archive.url.appendingPathComponent(String(copied.dropFirst("snapshots/".count)))))
        #expect(try sha256sum(out) == 0)
        #expect(try BundleManifest.verify(out).problems.isEmpty)
        #expect(throws: DashboardError.bundle("--out \(out.path): exists and is not an empty folder; give a new folder"), "never overwritten") {
            try bundle(archive, into: out)
        }
    }

    @Test func verifyNamesEveryChangedMissingAndExtraFile() throws {
        let archive = try Fixture.writeArchive(Self.history())
        let parent = TemporaryFolder()
        let out = parent.url.appendingPathComponent("bundle")
        try bundle(archive, into: out)
        let files = try BundleManifest.files(in: out)
        let changed = try #require(files.first { $0.hasPrefix("snapshots/") })
        var bytes = try Data(contentsOf: out.appendingPathComponent(changed))
        bytes[10] ^= 1
        try bytes.write(to: out.appendingPathComponent(changed))
        try FileManager.default.removeItem(at: out.appendingPathComponent("index.html"))
        try Data("x".utf8).write(to: out.appendingPathComponent("charts/extra.svg"))
        // A listed file replaced by a link out of the bundle is never read; a link added is an extra.
        let linked = try #require(files.first { $0.hasPrefix("charts/") })
        try FileManager.default.removeItem(at: out.appendingPathComponent(linked))
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent(linked).path, withDestinationPath: "/etc/hostname")
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent("link").path, withDestinationPath: "/etc")
        let result = try BundleManifest.verify(out)
        #expect(result.checked == files.count)
        #expect(Set(result.problems.map(\.description)) == [
            "changed: \(changed)", "missing: index.html", "extra: charts/extra.svg", "not a regular file: \(linked)", "extra: link",
        ])
        #expect(try sha256sum(out) != 0)
    }

    @Test func aFileWhereTheBundleWouldGoIsLeftAlone() throws {
        let archive = try Fixture.writeArchive(Self.history())
        let parent = TemporaryFolder()
        let out = parent.url.appendingPathComponent("report.pdf")
        try Data("keep me".utf8).write(to: out)
        #expect(throws: DashboardError.bundle("--out \(out.path): exists and is not an empty folder; give a new folder")) {
            try bundle(archive, into: out)
        }
        #expect(try Data(contentsOf: out) == Data("keep me".utf8))
        // An empty folder is fine: the bundle takes its place.
        let empty = parent.url.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        #expect(try bundle(archive, into: empty).counts.snapshots == 31)
    }

    @Test func redactedStringsAreNowhereInTheBundle() throws {
        let archive = try Fixture.writeArchive(Self.history())
        let rules = try RedactionRules(parsing: """
            # hosts, paths and an internal route
            host db-[0-9]+\\.corp\\.example
            path /srv/acme[^ :]*
            label route=^/internal/
            """, file: "rules")
        let parent = TemporaryFolder()
        let out = parent.url.appendingPathComponent("bundle")
        let description = try bundle(archive, rules: rules, into: out)
        #expect(description.redacted && description.nodes == ["host-1"] && description.counts.snapshots == 31)
        for path in try BundleManifest.files(in: out) + [BundleManifest.fileName] {
            let text = String(decoding: try Data(contentsOf: out.appendingPathComponent(path)), as: UTF8.self)
            for secret in ["db-7", "corp.example", "/srv/acme", "acme-admin", "/internal/"] {
                #expect(!text.contains(secret) && !path.contains(secret), "\(secret) in \(path)")
            }
        }
        let page = String(decoding: try Data(contentsOf: out.appendingPathComponent("index.html")), as: UTF8.self)
        #expect(page.contains("host-1") && page.contains("data dir path-1: 12 GB free") && page.contains("route-1"))
        // The copies are snapshots still, named by their redacted node.
        #expect(try SnapshotArchive(directory: out.appendingPathComponent("snapshots").path).verify().allSatisfy(\.isValid))
        #expect(try sha256sum(out) == 0)
    }

    @Test func anEmptyWindowOrOnlyBrokenFilesIsRefusedWithOneLine() throws {
        let empty = try Fixture.writeArchive([])
        let parent = TemporaryFolder()
        let out = parent.url.appendingPathComponent("bundle")
        #expect(throws: DashboardError.input("no snapshot from 2026-11-18T10:36:40.000Z to 2026-11-18T11:06:40.000Z")) {
            try bundle(empty, into: out)
        }
        let broken = SnapshotFileName(node: "n", sequence: 1, time: Self.to).description
        let archive = try Fixture.writeArchive([], extraFiles: [broken: "{"])
        #expect {
            try bundle(archive, into: out)
        } throws: { error in
            (error as? DashboardError)?.message.hasPrefix("no readable snapshot from 2026-11-18T10:36:40.000Z to 2026-11-18T11:06:40.000Z: 1 files skipped (\(broken): ") == true
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is left behind")
    }

    @Test func badRulesNameTheirLine() {
        #expect(throws: DashboardError.input("r:2: unknown rule 'hots' (host, path or label)")) {
            try RedactionRules(parsing: "host a\nhots b\n", file: "r")
        }
        #expect(throws: DashboardError.input("r:1: not a regular expression: (")) { try RedactionRules(parsing: "path (", file: "r") }
        #expect(throws: DashboardError.input("r:1: expected 'label NAME=REGEX'")) { try RedactionRules(parsing: "label route", file: "r") }
        #expect(throws: DashboardError.input("r: no rules")) { try RedactionRules(parsing: "# nothing\n", file: "r") }
    }
}
