import Foundation
import KVSnapshot
import Testing

@testable import KVMonitoring

@Suite struct CheckStateTests {
    /// A run history (`P` pass, `W` warn, `F` fail) and where it must leave the check.
    struct Case: Sendable, CustomTestStringConvertible {
        let runs: String
        let failureThreshold: Int
        let successThreshold: Int
        let status: HealthStatus
        let phase: CheckState.Phase
        let failures: Int
        var testDescription: String { "\(self.runs.isEmpty ? "(none)" : self.runs) f=\(self.failureThreshold) s=\(self.successThreshold)" }
    }

    static let cases: [Case] = [
        Case(runs: "", failureThreshold: 3, successThreshold: 1, status: .unhealthy, phase: .pending, failures: 0),
        Case(runs: "P", failureThreshold: 3, successThreshold: 1, status: .healthy, phase: .passing, failures: 0),
        Case(runs: "P", failureThreshold: 3, successThreshold: 5, status: .healthy, phase: .passing, failures: 0),
        Case(runs: "W", failureThreshold: 3, successThreshold: 1, status: .degraded, phase: .passing, failures: 0),
        Case(runs: "F", failureThreshold: 3, successThreshold: 1, status: .unhealthy, phase: .failing, failures: 1),
        Case(runs: "PF", failureThreshold: 3, successThreshold: 1, status: .healthy, phase: .passing, failures: 1),
        Case(runs: "PFF", failureThreshold: 3, successThreshold: 1, status: .healthy, phase: .passing, failures: 2),
        Case(runs: "PFFF", failureThreshold: 3, successThreshold: 1, status: .unhealthy, phase: .failing, failures: 3),
        Case(runs: "PFFFF", failureThreshold: 3, successThreshold: 1, status: .unhealthy, phase: .failing, failures: 4),
        Case(runs: "PF", failureThreshold: 1, successThreshold: 1, status: .unhealthy, phase: .failing, failures: 1),
        Case(runs: "PFPFPF", failureThreshold: 2, successThreshold: 1, status: .healthy, phase: .passing, failures: 1),
        Case(runs: "PFFFP", failureThreshold: 3, successThreshold: 1, status: .healthy, phase: .passing, failures: 0),
        Case(runs: "PFFFP", failureThreshold: 3, successThreshold: 2, status: .unhealthy, phase: .failing, failures: 0),
        Case(runs: "PFFFPP", failureThreshold: 3, successThreshold: 2, status: .healthy, phase: .passing, failures: 0),
        Case(runs: "PFFFPFP", failureThreshold: 3, successThreshold: 2, status: .unhealthy, phase: .failing, failures: 0),
        Case(runs: "FP", failureThreshold: 3, successThreshold: 2, status: .unhealthy, phase: .failing, failures: 0),
        Case(runs: "FPP", failureThreshold: 3, successThreshold: 2, status: .healthy, phase: .passing, failures: 0),
        // Warn counts as not failing: it breaks a failure streak and counts towards recovery.
        Case(runs: "PFFW", failureThreshold: 3, successThreshold: 1, status: .degraded, phase: .passing, failures: 0),
        Case(runs: "PFFWFF", failureThreshold: 3, successThreshold: 1, status: .degraded, phase: .passing, failures: 2),
        Case(runs: "PFFFW", failureThreshold: 3, successThreshold: 1, status: .degraded, phase: .passing, failures: 0),
        Case(runs: "PFFFW", failureThreshold: 3, successThreshold: 2, status: .unhealthy, phase: .failing, failures: 0),
        Case(runs: "PFFFWP", failureThreshold: 3, successThreshold: 2, status: .healthy, phase: .passing, failures: 0),
        Case(runs: "PWP", failureThreshold: 3, successThreshold: 1, status: .healthy, phase: .passing, failures: 0),
        Case(runs: "WF", failureThreshold: 1, successThreshold: 1, status: .unhealthy, phase: .failing, failures: 1),
        Case(runs: "WFF", failureThreshold: 3, successThreshold: 1, status: .degraded, phase: .passing, failures: 2),
    ]

    static func outcome(_ letter: Character) -> HealthCheckOutcome {
        switch letter {
        case "P": .pass("fine")
        case "W": .warn("careful")
        default: .fail("broken")
        }
    }

    static func replay(_ runs: String, failure: Int, success: Int) -> (CheckState, [CheckState.Change?]) {
        var state = CheckState(thresholds: .init(failure: failure, success: success))
        var changes: [CheckState.Change?] = []
        for (index, letter) in runs.enumerated() {
            let at = Date(timeIntervalSince1970: 1_800_000_000 + Double(index))
            changes.append(state.record(self.outcome(letter), duration: .milliseconds(5), finishedAt: at))
        }
        return (state, changes)
    }

    @Test(arguments: cases)
    func runHistoryGivesTheEffectiveStatus(_ testCase: Case) {
        let (state, _) = Self.replay(testCase.runs, failure: testCase.failureThreshold, success: testCase.successThreshold)
        #expect(state.effectiveStatus == testCase.status)
        #expect(state.phase == testCase.phase)
        #expect(state.consecutiveFailures == testCase.failures)
        #expect(state.report(name: "c", kind: "k", critical: true).status == testCase.status)
    }

    @Test func recordReturnsEachChangeOfEffectiveStatusOnce() {
        let (_, changes) = Self.replay("PFFFFPWF", failure: 3, success: 1)
        #expect(
            changes == [
                CheckState.Change(from: .unhealthy, to: .healthy), nil, nil,
                CheckState.Change(from: .healthy, to: .unhealthy), nil,
                CheckState.Change(from: .unhealthy, to: .healthy),
                CheckState.Change(from: .healthy, to: .degraded), nil,
            ])
    }

    @Test func aCheckThatNeverCompletedIsUnhealthyWithNoResultYet() {
        let report = CheckState().report(name: "storage", kind: "storage", critical: true)
        #expect(
            report
                == HealthCheckReport(
                    name: "storage", kind: "storage", status: .unhealthy, message: "no result yet", durationMilliseconds: 0,
                    details: [:], critical: true, time: nil, consecutiveFailures: 0
                ))
    }

    @Test func reportDescribesTheLatestRun() {
        var state = CheckState()
        state.record(
            .pass("Storage is operational", details: ["entries": 150]),
            duration: .microseconds(1_234_567),
            finishedAt: Date(timeIntervalSince1970: 1_800_000_000.25)
        )
        let report = state.report(name: "storage", kind: "storage", critical: true)
        #expect(report.status == .healthy)
        #expect(report.message == "Storage is operational")
        #expect(report.durationMilliseconds == 1234.567)
        #expect(report.details == ["entries": 150])
        #expect(report.time == "2027-01-15T08:00:00.250Z")
    }

    @Test func aFailureUnderTheThresholdKeepsTheStatusAndSaysSo() {
        let (state, _) = Self.replay("PFF", failure: 3, success: 1)
        #expect(state.message == "broken (failure 2 of 3 before unhealthy)")
    }

    @Test func aPassBeforeRecoveryKeepsUnhealthyAndSaysSo() {
        let (state, _) = Self.replay("PFFFW", failure: 3, success: 2)
        #expect(state.message == "careful (pass 1 of 2 to recover)")
        let (settled, _) = Self.replay("PFFFF", failure: 3, success: 2)
        #expect(settled.message == "broken")
    }

    @Test func thresholdsBelowOneCountAsOne() {
        let thresholds = CheckState.Thresholds(failure: 0, success: -2)
        #expect(thresholds.failure == 1)
        #expect(thresholds.success == 1)
    }
}
