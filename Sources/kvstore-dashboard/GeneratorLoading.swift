import Foundation
import KVDashboard

extension DashboardGenerator {
    /// A generator with the templates of `--templates DIR`, or the shipped ones found beside the
    /// binary or the working folder; a failure is one line naming the option.
    static func loading(templates: String?, options: DashboardOptions) throws -> DashboardGenerator {
        guard let folder = templates.map({ URL(fileURLWithPath: $0) }) ?? TemplateLocator.defaultDirectory() else {
            throw CommandFailure(message: "no templates folder found: pass --templates DIR")
        }
        do {
            return DashboardGenerator(templates: try DashboardTemplates(directory: folder), options: options)
        } catch let error as DashboardError {
            throw CommandFailure(message: "--templates: \(error.description)")
        }
    }
}
