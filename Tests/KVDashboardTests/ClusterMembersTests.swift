import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

/// The "Cluster members" table: shown from the newest snapshot's `cluster` section, escaped,
/// well-formed; a page whose snapshots have no section is the page it always was.
@Suite struct ClusterMembersTests {
    static let hostileNode = "zeta <&\"3>"
    let now = Date(timeIntervalSince1970: Fixture.start + 40)

    func member(_ node: String, _ state: ClusterMemberSnapshot.State, health: String = "healthy",
                url: String = "http://10.0.0.1:8080", lastSeen: Double = 28) -> ClusterMemberSnapshot {
        ClusterMemberSnapshot(node: node, url: url, version: "1.2.3", state: state, health: health,
                              startedAt: Fixture.time(-3600), lastSeen: Fixture.time(lastSeen))
    }

    func snapshots(newestCluster: ClusterSnapshot?, olderCluster: ClusterSnapshot? = nil) -> [Snapshot] {
        [0.0, 15, 30].enumerated().map { index, offset in
            var snapshot = Fixture.snapshot(offset: offset, uptime: 100 + offset, sequence: UInt64(index + 1),
                                            requests: [("200", 10 * offset)])
            snapshot.cluster = index == 2 ? newestCluster : olderCluster
            return snapshot
        }
    }

    func generator(templates: URL = Fixture.templatesFolder) throws -> DashboardGenerator {
        DashboardGenerator(templates: try DashboardTemplates(directory: templates),
                           options: DashboardOptions(title: "Cluster", refreshSeconds: 0))
    }

    func value(_ id: String, in page: String) -> String? {
        guard let start = page.range(of: "id=\"\(id)\">") else { return nil }
        let rest = page[start.upperBound...]
        return rest.range(of: "</").map { String(rest[..<$0.lowerBound]) }
    }

    @Test func thePageShowsARowPerMemberWithItsStateAndEscapedIds() throws {
        let cluster = ClusterSnapshot(members: [
            member("node-b", .missing, health: "degraded", url: "https://node-b.example:8443/", lastSeen: -120),
            member("node-a", .alive),
            member(Self.hostileNode, .left, health: "<b>bad</b>", url: "javascript:alert(1)"),
        ])
        let site = try generator().render(snapshots: snapshots(newestCluster: cluster), now: now)
        try XMLWellFormedness.check(site)
        let page = site.page
        #expect(page.contains("<h2 id=\"cluster-heading\">Cluster members</h2>"))
        #expect(page.contains("id=\"cluster-summary\">3 members: 1 alive, 1 missing, 1 left"))
        // Sorted by node id; one row each, with the state as a word (not colour alone).
        #expect(page.components(separatedBy: "<tr id=\"member-").count - 1 == 3)
        #expect(page.contains("id=\"member-1-link\">node-a</a>"))
        #expect(page.contains("<a href=\"http://10.0.0.1:8080\" id=\"member-1-link\">"))
        #expect(page.contains("id=\"member-1-state\"><span class=\"dot\" aria-hidden=\"true\">✓</span> alive</span>"))
        #expect(page.contains("<span class=\"status status-unhealthy\" id=\"member-2-state\"><span class=\"dot\" aria-hidden=\"true\">✗</span> missing</span>"))
        #expect(page.contains("<span class=\"status status-degraded\" id=\"member-2-health\">"))
        #expect(page.contains("<a href=\"https://node-b.example:8443/\" id=\"member-2-link\">node-b</a>"))
        #expect(page.contains("id=\"member-3-state\"><span class=\"dot\" aria-hidden=\"true\">–</span> left</span>"))
        #expect(value("member-1-last-seen", in: page) == "2026-11-18 11:07:08 +00:00")
        // Data stays text: the id escaped, an odd health word shown but never a class, no javascript: link.
        #expect(page.contains("<tr id=\"member-3\"><th scope=\"row\">zeta &lt;&amp;&quot;3&gt;<br/>"))
        #expect(!page.contains(Self.hostileNode))
        #expect(page.contains("<span class=\"status status-unknown\" id=\"member-3-health\"><span class=\"dot\" aria-hidden=\"true\">?</span> &lt;b&gt;bad&lt;/b&gt;</span>"))
        #expect(!page.contains("<b>bad"))
        #expect(!page.contains("href=\"javascript"))
        #expect(page.contains("<span class=\"kind\">javascript:alert(1)</span>"))

        let folder = TemporaryFolder("cluster-page")
        let file = folder.url.appendingPathComponent("index.html")
        try Data(page.utf8).write(to: file)
        let lint = try Fixture.xmllint(file)
        #expect(lint.status == 0, "\(lint.errors)")
    }

    @Test func theTableComesFromTheNewestSnapshot() throws {
        let older = ClusterSnapshot(members: [member("node-a", .alive), member("node-b", .alive)])
        let newest = ClusterSnapshot(members: [member("node-a", .alive)])
        let page = try generator().render(snapshots: snapshots(newestCluster: newest, olderCluster: older), now: now).page
        #expect(page.components(separatedBy: "<tr id=\"member-").count - 1 == 1)
        #expect(!page.contains("node-b"))
        // A newest snapshot without the section shows no table, whatever the older ones had.
        let without = try generator().render(snapshots: snapshots(newestCluster: nil, olderCluster: older), now: now).page
        #expect(!without.contains("Cluster members"))
    }

    @Test func anEmptyMemberListSaysSoWithoutATable() throws {
        let page = try generator().render(snapshots: snapshots(newestCluster: ClusterSnapshot(members: [])), now: now).page
        #expect(page.contains("id=\"cluster-summary\">No members read from the shared store yet."))
        #expect(!page.contains("<tr id=\"member-"))
    }

    /// Without the section the page is byte for byte what the templates gave before the table existed.
    @Test func aPageWithoutTheSectionIsUnchanged() throws {
        let folder = TemporaryFolder("old-templates")
        let old = folder.url
        let manager = FileManager.default
        for name in try manager.contentsOfDirectory(atPath: Fixture.templatesFolder.path) where name != "cluster.mustache" {
            try manager.copyItem(at: Fixture.templatesFolder.appendingPathComponent(name), to: old.appendingPathComponent(name))
        }
        let pageFile = old.appendingPathComponent("page.mustache")
        let page = try String(contentsOf: pageFile, encoding: .utf8)
        let line = "{{#hasCluster}}{{> cluster}}{{/hasCluster}}"
        #expect(page.contains(line))
        try Data(page.replacingOccurrences(of: line, with: "").utf8).write(to: pageFile)

        let input = snapshots(newestCluster: nil)
        let before = try generator(templates: old).render(snapshots: input, now: now)
        let after = try generator().render(snapshots: input, now: now)
        #expect(after.files == before.files)
        #expect(!after.page.contains("cluster"))
    }

    @Test(arguments: [
        ("http://10.0.0.1:8080", true), ("https://kv.example/", true), ("HTTPS://kv.example", true),
        ("javascript:alert(1)", false), ("data:text/html,x", false), ("//kv.example", false), ("kv.example:8080", false),
        ("http://", false), ("", false),
    ])
    func onlyWebURLsBecomeLinks(url: String, linked: Bool) {
        #expect(PageModelBuilder.isWebLink(url) == linked)
    }
}
