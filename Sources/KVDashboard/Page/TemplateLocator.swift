import Foundation

/// Finds the shipped `templates/` folder when `--templates` is not given.
public enum TemplateLocator {
    /// `./templates`, then `templates` beside the executable's build or install folders.
    public static func defaultDirectory() -> URL? {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("templates")]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var folder = executable.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("templates"))
                candidates.append(folder.appendingPathComponent("share/kvstore-dashboard/templates"))
                folder = folder.deletingLastPathComponent()
            }
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("page.mustache").path) }
    }
}
