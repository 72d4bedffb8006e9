import ArgumentParser
import Foundation

/// `kvstore-dashboard`: builds the static dashboard from a snapshot archive, or checks an archive.
@main
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kvstore-dashboard",
        abstract: "Builds kvstore's static dashboard from a snapshot archive.",
        subcommands: [GenerateCommand.self, VerifyCommand.self, SummaryCommand.self, ExportCommand.self, BundleCommand.self, DiffCommand.self, LiveBenchCommand.self]
    )

    /// Errors end as one line on standard error (help and version keep ArgumentParser's output).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if let exitCode = error as? ExitCode { Foundation.exit(exitCode.rawValue) }
            let code = exitCode(for: error)
            if code == .success || error is CleanExit {
                exit(withError: error)
            }
            let message = (error as? CommandFailure)?.message
                ?? Self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("kvstore-dashboard: \(message)\n".utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

/// A failure already phrased as one line for the user.
struct CommandFailure: Error {
    var message: String
}
