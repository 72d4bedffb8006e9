import Foundation
import KVTestSupport
import Testing
import KVDashboard

/// Dashboard errors are matched by code (`error.code == .templates`), and keep their one line.
@Suite struct DashboardErrorTests {
    @Test func aMissingTemplatesFolderIsATemplatesError() {
        let folder = TemporaryFolder("no-templates")
        let missing = folder.url.appendingPathComponent("missing")
        let error = #expect(throws: DashboardError.self) { try DashboardTemplates(directory: missing) }
        #expect(error?.code == .templates)
        #expect(error?.code != .input)
        #expect(error?.isNotWellFormed == false)
        #expect(error?.description == "templates: cannot read the templates folder \(missing.path)")
    }

    @Test func aFolderWithoutThePageTemplateIsATemplatesError() throws {
        let folder = TemporaryFolder("empty-templates")
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        let error = #expect(throws: DashboardError.self) { try DashboardTemplates(directory: folder.url) }
        #expect(error?.code == .templates)
    }

    @Test func inputErrorsCarryTheCallersLine() {
        let error = DashboardError.input("--timezone: unknown")
        #expect(error.code == .input)
        #expect(error.description == "--timezone: unknown")
        #expect(DashboardError.Code.notWellFormed.description == "notWellFormed")
    }
}
