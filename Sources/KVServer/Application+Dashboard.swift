import Foundation
import KVConfiguration
import KVDashboard
import KVSnapshot
import Logging

/// Builds the live dashboard, or nil (with a log line) when it is off or its templates are missing.
func makeLiveDashboard(configuration: KVStoreConfiguration, archive: SnapshotArchive, logger: Logger) -> LiveDashboard? {
    let settings = configuration.dashboard
    guard settings.enabled, configuration.snapshots.enabled else { return nil }
    guard let templatesFolder = settings.templatesDirectory.map({ URL(fileURLWithPath: $0) }) ?? TemplateLocator.defaultDirectory() else {
        logger.warning("dashboard off: no templates folder found (set dashboard.templates)")
        return nil
    }
    do {
        let templates = try DashboardTemplates(directory: templatesFolder)
        var options = DashboardOptions(
            title: settings.title, timeZone: TimeZone(identifier: settings.timezone) ?? TimeZone(identifier: "UTC")!,
            refreshSeconds: settings.refreshSeconds, refreshLink: "./")
        options.objectives = configuration.slo.objectives
        options.objectivePeriodSeconds = configuration.slo.periodSeconds
        try FileManager.default.createDirectory(atPath: settings.directory, withIntermediateDirectories: true)
        return LiveDashboard(
            site: LiveSite(generator: DashboardGenerator(templates: templates, options: options), ranges: settings.rangePages),
            directory: URL(fileURLWithPath: settings.directory), archive: archive, nodeID: configuration.node.id,
            logger: logger)
    } catch {
        logger.warning("dashboard off: \(error)")
        return nil
    }
}
