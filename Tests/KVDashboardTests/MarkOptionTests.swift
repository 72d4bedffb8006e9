import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

/// `kvstore-dashboard generate --mark TIME=LABEL`, run as the built executable: a good mark reaches
/// every chart, a bad one ends the run with one line naming it.
@Suite struct MarkOptionTests {
    /// The `kvstore-dashboard` built beside this test binary (`swift build --build-tests` builds both).
    static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("kvstore-dashboard")
    }

    /// Runs the executable with `arguments`; returns its exit status and standard error.
    static func run(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path),
                     "no kvstore-dashboard at \(executable.path): build it with swift build --build-tests")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static func arguments(archive: String, out: String, marks: [String]) -> [String] {
        ["generate", "--snapshots", archive, "--out", out, "--templates", Fixture.templatesFolder.path,
         "--from", Fixture.time(0), "--to", Fixture.time(330)] + marks.flatMap { ["--mark", $0] }
    }

    @Test func markedMomentsReachEveryChartOfThePage() throws {
        let archive = try Fixture.writeArchive(ChartAnnotationsTests.snapshotsWithAlerts())
        let site = TemporaryFolder("mark-site")
        defer { archive.remove(); site.remove() }
        let out = site.url.appendingPathComponent("public")
        let result = try Self.run(Self.arguments(archive: archive.path, out: out.path,
                                                 marks: ["\(Fixture.time(120))=deploy <v2>", "\(Fixture.time(200))=rollback"]))
        #expect(result.status == 0, "\(result.errors)")
        for id in ["request-rate", "storage-latency", "health-timeline"] {
            let svg = try String(contentsOf: out.appendingPathComponent("charts/\(id).svg"), encoding: .utf8)
            #expect(svg.components(separatedBy: "class=\"mark-line\"").count == 3, "\(id)")
            #expect(svg.contains(">deploy &lt;v2&gt;</text>") && svg.contains(">rollback</text>"), "\(id)")
            #expect(!svg.contains("<v2>"), "\(id)")
        }
    }

    @Test(arguments: [
        ("deploy", "kvstore-dashboard: --mark: 'deploy' is not TIME=LABEL (such as 2026-11-29T01:40:00Z=deploy)\n"),
        ("noon=lunch", "kvstore-dashboard: --mark: 'noon' in 'noon=lunch' is not an RFC 3339 time (such as 2026-11-29T01:40:00Z)\n"),
        ("2026-11-29T01:40:00Z=", "kvstore-dashboard: --mark: '2026-11-29T01:40:00Z=' has an empty label (TIME=LABEL, such as 2026-11-29T01:40:00Z=deploy)\n"),
    ])
    func aBadMarkEndsTheRunWithOneLineNamingIt(mark: String, line: String) throws {
        let archive = try Fixture.writeArchive(ChartAnnotationsTests.snapshots())
        let site = TemporaryFolder("mark-site")
        defer { archive.remove(); site.remove() }
        let out = site.url.appendingPathComponent("public")
        let result = try Self.run(Self.arguments(archive: archive.path, out: out.path, marks: ["\(Fixture.time(120))=fine", mark]))
        #expect(result.status == 1)
        #expect(result.errors == line)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
