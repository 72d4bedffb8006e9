import ArgumentParser
import Foundation
import KVDashboard
import KVCompression
import KVSnapshot

/// `verify --snapshots DIR`: one line per bad file and a summary; fails when any file is bad.
/// `verify --manifest DIR`: one line per changed, missing or extra file of a bundle; fails on any.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Checks every file of a snapshot archive, or of a bundle against its manifest; exits non-zero when any is bad."
    )

    @Option(name: .long, help: ArgumentHelp("The snapshot archive folder.", valueName: "DIR"))
    var snapshots: String?
    @Option(name: .long, help: ArgumentHelp("A bundle folder: checks every file against its MANIFEST.sha256.", valueName: "DIR"))
    var manifest: String?

    func run() throws {
        switch (snapshots, manifest) {
        case (let snapshots?, nil): try verify(snapshots: snapshots)
        case (nil, let manifest?): try verify(manifest: manifest)
        default: throw CommandFailure(message: "give either --snapshots DIR or --manifest DIR")
        }
    }

    private func verify(snapshots: String) throws {
        let verdicts: [FileVerdict]
        do {
            verdicts = try SnapshotArchive(directory: snapshots, compression: GzipSnapshotCompression()).verify()
        } catch {
            throw CommandFailure(message: "--snapshots \(snapshots): \(error)")
        }
        for verdict in verdicts where !verdict.isValid {
            print(verdict.description)
        }
        print(FileVerdict.summary(verdicts))
        if verdicts.contains(where: { !$0.isValid }) { throw ExitCode.failure }
    }

    /// One line per changed, missing or extra file (and bad manifest line), then a summary; exit 1 on any.
    private func verify(manifest folder: String) throws {
        let result: (checked: Int, problems: [BundleManifest.Problem])
        do {
            result = try BundleManifest.verify(URL(fileURLWithPath: folder))
        } catch let error as DashboardError {
            throw CommandFailure(message: "--manifest: \(error.description)")
        }
        for problem in result.problems { print(problem.description) }
        if result.problems.isEmpty {
            print("\(result.checked) files match \(BundleManifest.fileName)")
        } else {
            let counts = Dictionary(grouping: result.problems, by: \.kind.rawValue).map { "\($0.value.count) \($0.key)" }.sorted()
            print("\(result.checked) files listed: " + counts.joined(separator: ", "))
            throw ExitCode.failure
        }
    }
}
