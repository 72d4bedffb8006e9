import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

@Suite struct InjectionTests {
    static let hostile = "<script>alert(1)</script>\"' onload=\"x\" ]]> &amp; &nbsp; \u{1}\u{8}\u{B}\u{FFFE}<img src=x onerror=alert(2)>"

    func hostileSnapshots() -> [Snapshot] {
        let checks = [
            Fixture.check(Self.hostile, .unhealthy, message: Self.hostile, kind: Self.hostile, time: Self.hostile),
            Fixture.check("style=\"color:red\"", .degraded, message: "</td></tr></table><b>bold</b>"),
        ]
        let alert = AlertSnapshot(name: Self.hostile, severity: "\" class=\"x", state: .pending, activeSince: Self.hostile,
                                  value: .nan, summary: Self.hostile, description: "]]><![CDATA[", labels: [Self.hostile: Self.hostile])
        return [0.0, 15, 30].enumerated().map { index, offset in
            Fixture.snapshot(offset: offset, uptime: 100 + offset, sequence: UInt64(index + 1), node: Self.hostile,
                             requests: [(Self.hostile, 10 * offset)], checks: checks, alerts: [alert])
        }
    }

    @Test func dataNeverBecomesMarkupAndEveryFileStaysWellFormed() throws {
        let options = DashboardOptions(title: Self.hostile, refreshSeconds: 5)
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: options)
        let site = try generator.render(snapshots: hostileSnapshots(),
                                        skipped: [DashboardSkippedFile(name: Self.hostile, reason: Self.hostile)],
                                        now: Date(timeIntervalSince1970: Fixture.start + 40))
        try XMLWellFormedness.check(site) // libxml2, as publishing does
        let folder = TemporaryFolder("injection")
        let out = folder.url.appendingPathComponent("site")
        try SitePublisher().publish(site, to: out)
        for (path, data) in site.files {
            let text = String(decoding: data, as: UTF8.self).lowercased()
            #expect(!text.contains("<script"), "\(path)")
            #expect(!text.contains("<img"), "\(path)")
            #expect(!text.contains("<b>"), "\(path)")
            #expect(!text.contains("onload=\"x\""), "\(path)")
            #expect(!text.contains("&nbsp;"), "\(path)")
            #expect(!text.contains("\u{1}") && !text.contains("\u{8}") && !text.contains("\u{FFFE}"), "\(path)")
            #expect(!text.contains("class=\"x"), "\(path)")
            let result = try Fixture.xmllint(out.appendingPathComponent(path))
            #expect(result.status == 0, "\(path): \(result.errors)")
        }
        #expect(site.page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(site.page.contains("severity-other"))
        let health = String(decoding: site.files["charts/health-timeline.svg"]!, as: UTF8.self)
        #expect(health.contains("&lt;script&gt;"))
    }

    @Test func forbiddenCharactersAreDroppedAndTheRestKept() {
        #expect(XMLText.sanitized("a\u{0}b\u{1F}c\td\u{FFFF}e😀") == "abc\tde😀")
        #expect(XHTMLContentType().escapeText("<a href='x'>&\u{2}</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;")
    }

    @Test func aPageThatIsNotWellFormedIsNeverPublished() throws {
        let folder = TemporaryFolder("broken")
        let out = folder.url.appendingPathComponent("site")
        try SitePublisher().publish(RenderedSite(files: ["index.html": Data("<html><p>first</p></html>".utf8)]), to: out)
        let broken = RenderedSite(files: ["index.html": Data("<html><p>unclosed</html>".utf8)])
        let notWellFormed = #expect(throws: DashboardError.self) { try SitePublisher().publish(broken, to: out) }
        #expect(notWellFormed?.code == .notWellFormed)
        #expect(notWellFormed?.isNotWellFormed == true)
        let page = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.contains("first"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(leftovers == ["site"])
    }

    @Test func publishingReplacesTheWholeFolderButNeverAForeignOne() throws {
        let folder = TemporaryFolder("publish")
        let parent = folder.url
        let out = parent.appendingPathComponent("public")
        try SitePublisher().publish(RenderedSite(files: ["index.html": Data("<p>one</p>".utf8), "old.svg": Data("<svg/>".utf8)]), to: out)
        try SitePublisher().publish(RenderedSite(files: ["index.html": Data("<p>two</p>".utf8)]), to: out)
        #expect(try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8) == "<p>two</p>")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("old.svg").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["public"])

        let foreign = parent.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        let refused = #expect(throws: DashboardError.self) {
            try SitePublisher().publish(RenderedSite(files: ["index.html": Data("<p/>".utf8)]), to: foreign)
        }
        #expect(refused?.code == .publish)
        #expect(FileManager.default.fileExists(atPath: foreign.appendingPathComponent("notes.txt").path))
        let escaping = #expect(throws: DashboardError.self) {
            try SitePublisher().publish(RenderedSite(files: ["../escape.html": Data("<p/>".utf8)]), to: out)
        }
        #expect(escaping?.code == .publish)

        let kept = parent.appendingPathComponent("kept")
        try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
        try Data().write(to: kept.appendingPathComponent(".gitkeep"))
        try SitePublisher().publish(RenderedSite(files: ["index.html": Data("<p/>".utf8)]), to: kept)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: kept.path)) == [".gitkeep", ".kvstore-dashboard", "index.html"])
    }

    /// A file the new generation has unchanged is linked from the published one (the same inode),
    /// not written again; a changed file is written anew, and the old generation's copy is untouched.
    @Test func anUnchangedFileIsLinkedAndAChangedOneWritten() throws {
        let folder = TemporaryFolder("publish-links")
        let out = folder.url.appendingPathComponent("public")
        func inode(_ name: String) throws -> UInt64 {
            try #require(FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(name).path)[.systemFileNumber] as? UInt64)
        }
        try SitePublisher().publish(RenderedSite(files: ["index.html": Data("<p>one</p>".utf8),
                                                         "charts/a.svg": Data("<svg>a</svg>".utf8)]), to: out)
        let (page, chart) = (try inode("index.html"), try inode("charts/a.svg"))
        try SitePublisher().publish(RenderedSite(files: ["index.html": Data("<p>two</p>".utf8),
                                                         "charts/a.svg": Data("<svg>a</svg>".utf8)]), to: out)
        #expect(try inode("charts/a.svg") == chart, "unchanged: linked")
        #expect(try inode("index.html") != page, "changed: a new file")
        #expect(try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8) == "<p>two</p>")
        #expect(try String(contentsOf: out.appendingPathComponent("charts/a.svg"), encoding: .utf8) == "<svg>a</svg>")
        try SitePublisher().publish(RenderedSite(files: ["index.html": Data("<p>two</p>".utf8),
                                                         "charts/a.svg": Data("<svg>b</svg>".utf8)]), to: out)
        #expect(try inode("charts/a.svg") != chart, "same size, other bytes: a new file")
        #expect(try String(contentsOf: out.appendingPathComponent("charts/a.svg"), encoding: .utf8) == "<svg>b</svg>")
    }
}
