import Foundation
import Testing

@testable import KVMonitoring

@Suite struct AlertStateMachineTests {
    /// Feeds one condition per 15 s tick (`T` holds, `F` does not) and returns the changes.
    private func replay(_ ticks: String, for forDuration: Duration) -> (AlertStateMachine, [AlertStateMachine.Change?]) {
        var machine = AlertStateMachine(forDuration: forDuration)
        var changes: [AlertStateMachine.Change?] = []
        for (index, letter) in ticks.enumerated() {
            let condition = letter == "T" ? AlertCondition(value: Double(index), holds: true) : AlertCondition(value: 0, holds: false)
            changes.append(machine.update(condition, at: AlertFixtures.time(Double(index) * 15)))
        }
        return (machine, changes)
    }

    @Test func zeroForFiresAtOnceAndResolves() {
        let (machine, changes) = self.replay("FTTF", for: .zero)
        #expect(changes == [nil, .firing, nil, .resolved])
        #expect(machine.state == .inactive)
    }

    @Test func firesOnceTheConditionHeldForTheWholeDuration() {
        let (machine, changes) = self.replay("TTTT", for: .seconds(30))
        #expect(changes == [.pending, nil, .firing, nil])
        #expect(machine.state == .firing(since: AlertFixtures.time(0), firedAt: AlertFixtures.time(30)))
        #expect(machine.value == 3)
    }

    @Test func resolvesWhenTheConditionStops() {
        let (machine, changes) = self.replay("TTTFF", for: .seconds(30))
        #expect(changes == [.pending, nil, .firing, .resolved, nil])
        #expect(machine.state == .inactive)
        #expect(machine.value == 2)
    }

    @Test func flappingNeverFiresAndRestartsTheClock() {
        let (machine, changes) = self.replay("TTFTTFTT", for: .seconds(30))
        #expect(changes == [.pending, nil, .cancelled, .pending, nil, .cancelled, .pending, nil])
        #expect(machine.state == .pending(since: AlertFixtures.time(6 * 15)))
    }

    @Test func noDataCountsAsNotHolding() {
        var machine = AlertStateMachine(forDuration: .zero)
        #expect(machine.update(AlertCondition(value: 1, holds: true), at: AlertFixtures.time(0)) == .firing)
        #expect(machine.update(.noData, at: AlertFixtures.time(15)) == .resolved)
        #expect(AlertCondition(value: nil, holds: true).holds == false)
    }

    @Test func labelsFollowThePendingAlertAndFreezeWhenItFires() {
        var machine = AlertStateMachine(forDuration: .seconds(15))
        _ = machine.update(AlertCondition(value: 1, holds: true, labels: ["check": "a"]), at: AlertFixtures.time(0))
        _ = machine.update(AlertCondition(value: 1, holds: true, labels: ["check": "b"]), at: AlertFixtures.time(15))
        _ = machine.update(AlertCondition(value: 2, holds: true, labels: ["check": "b,c"]), at: AlertFixtures.time(30))
        #expect(machine.labels == ["check": "b"])
        #expect(machine.value == 2)
    }
}
