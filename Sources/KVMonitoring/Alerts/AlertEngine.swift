import Foundation
import KVSnapshot
import Logging
import Synchronization

/// Evaluates the alert rules on each snapshot tick, tracks each alert's state, logs every
/// transition once and hands firing and resolved ones to the notifier.
public final class AlertEngine: Sendable {
    private struct State {
        var evaluator: AlertEvaluator
        var machines: [AlertStateMachine]
        /// Each rule's value at the latest evaluation (nil: no data).
        var values: [Double?]
    }

    /// The rules, in the order their alerts are listed.
    public let rules: [AlertRule]
    private let notifier: AlertNotifier?
    private let externalURL: String
    private let logger: Logger
    private let state: Mutex<State>

    /// Creates an engine with every alert inactive.
    ///
    /// - Parameters:
    ///   - rules: the rules; names should be unique.
    ///   - notifier: where firing and resolved transitions are queued (one payload per tick), if anywhere.
    ///   - externalURL: the server's base URL, for the webhook's `externalURL` and `generatorURL`.
    ///   - logger: where each transition is logged (notice when firing, info otherwise).
    public init(
        rules: [AlertRule],
        notifier: AlertNotifier? = nil,
        externalURL: String = "",
        logger: Logger = Logger(label: "kvstore.alerts", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.rules = rules
        self.notifier = notifier
        self.externalURL = externalURL
        self.logger = logger
        self.state = Mutex(State(
            evaluator: AlertEvaluator(rules: rules),
            machines: rules.map { AlertStateMachine(forDuration: $0.forDuration) },
            values: rules.map { _ in nil }
        ))
    }

    /// Evaluates every rule against `observation`; returns the alerts now pending or firing and
    /// the transitions this evaluation caused (already logged, and queued for notification).
    @discardableResult
    public func evaluate(_ observation: AlertObservation) -> (active: [AlertSnapshot], transitions: [AlertTransition]) {
        let (active, transitions) = self.state.withLock { state in
            let conditions = state.evaluator.evaluate(observation)
            state.values = conditions.map(\.value)
            var transitions: [AlertTransition] = []
            for index in self.rules.indices {
                let before = state.machines[index].state
                guard let change = state.machines[index].update(conditions[index], at: observation.time) else { continue }
                transitions.append(self.transition(change, rule: index, before: before, machine: state.machines[index], at: observation.time))
            }
            return (self.activeAlerts(state.machines), transitions)
        }
        for transition in transitions {
            self.log(transition)
        }
        if let notifier = self.notifier, let payload = AlertmanagerPayload(transitions: transitions, externalURL: self.externalURL) {
            notifier.enqueue(payload)
        }
        return (active, transitions)
    }

    /// Every rule's value at the latest evaluation, active or not, with its threshold, in rule order
    /// (rules without a finite value left out): a snapshot's `rule_values`.
    public func ruleValues() -> [AlertRuleValue] {
        self.state.withLock { state in
            self.rules.indices.compactMap { index in
                guard let value = state.values[index], value.isFinite else { return nil }
                return AlertRuleValue(name: self.rules[index].name, value: value, threshold: self.rules[index].threshold)
            }
        }
    }

    /// The alerts pending or firing after the latest evaluation, in rule order.
    public func activeAlerts() -> [AlertSnapshot] {
        self.state.withLock { self.activeAlerts($0.machines) }
    }

    private func activeAlerts(_ machines: [AlertStateMachine]) -> [AlertSnapshot] {
        self.rules.indices.compactMap { index in
            let machine = machines[index]
            let rule = self.rules[index]
            let (state, since): (AlertSnapshot.State, Date)
            switch machine.state {
            case .inactive: return nil
            case .pending(let start): (state, since) = (.pending, start)
            case .firing(let start, _): (state, since) = (.firing, start)
            }
            return AlertSnapshot(
                name: rule.name, severity: rule.severity, state: state, activeSince: SnapshotTime.format(since),
                value: machine.value ?? 0, threshold: rule.threshold, summary: rule.summary, description: rule.description,
                labels: self.labels(of: index, machine: machine)
            )
        }
    }

    private func transition(
        _ change: AlertStateMachine.Change, rule index: Int, before: AlertStateMachine.State, machine: AlertStateMachine, at time: Date
    ) -> AlertTransition {
        let rule = self.rules[index]
        let (since, firedAt): (Date, Date?)
        switch (machine.state, before) {
        case (.pending(let start), _): (since, firedAt) = (start, nil)
        case (.firing(let start, let fired), _): (since, firedAt) = (start, fired)
        case (.inactive, .pending(let start)): (since, firedAt) = (start, nil)
        case (.inactive, .firing(let start, let fired)): (since, firedAt) = (start, fired)
        case (.inactive, .inactive): (since, firedAt) = (time, nil)
        }
        return AlertTransition(
            change: change, name: rule.name, severity: rule.severity, summary: rule.summary, description: rule.description,
            labels: self.labels(of: index, machine: machine), value: machine.value, activeSince: since, firedAt: firedAt, time: time
        )
    }

    /// `alertname` and `severity`, over the rule's own labels.
    private func labels(of index: Int, machine: AlertStateMachine) -> [String: String] {
        let rule = self.rules[index]
        return machine.labels.merging(["alertname": rule.name, "severity": rule.severity]) { $1 }
    }

    private func log(_ transition: AlertTransition) {
        var metadata: Logger.Metadata = [
            "alertname": "\(transition.name)",
            "severity": "\(transition.severity)",
            "value": "\(AlertValueText.text(transition.value))",
            "active_since": "\(SnapshotTime.format(transition.activeSince))",
        ]
        if let check = transition.labels["check"] { metadata["check"] = "\(check)" }
        switch transition.change {
        case .firing:
            self.logger.notice("alert firing: \(transition.summary)", metadata: metadata)
        case .resolved:
            self.logger.info("alert resolved: \(transition.summary)", metadata: metadata)
        case .pending:
            self.logger.info("alert pending: \(transition.summary)", metadata: metadata)
        case .cancelled:
            self.logger.info("alert no longer pending: \(transition.summary)", metadata: metadata)
        }
    }
}
