import ArgumentParser
import KVCompression
import KVSnapshot

/// `verify --snapshots DIR`: one line per bad file and a summary; fails when any file is bad.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Checks every file of a snapshot archive; exits non-zero when any is bad."
    )

    @Option(name: .long, help: ArgumentHelp("The snapshot archive folder.", valueName: "DIR"))
    var snapshots: String

    func run() throws {
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
}
