import Foundation

/// A service level objective over the request metrics, as the server's `slo.objectives` and the
/// generator's `--slo` write it:
///
///     availability:99.9%     the share of requests answered without a 5xx code
///     latency:250ms:99%      the share of requests answered within 250 ms, a bucket bound of
///                            `kvstore_request_duration_seconds` (250ms, 0.25s or 0.25)
///
/// `deploy/prometheus/slo.yml` holds the defaults as Prometheus recording rules and burn-rate alerts.
public struct ServiceLevelObjective: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case availability
        /// Requests within `bound` seconds (a histogram bucket's upper bound).
        case latency(bound: Double)
    }

    public var kind: Kind
    /// The share of good requests aimed at, strictly between 0 and 1 (0.999 for 99.9%).
    public var target: Double

    public init(kind: Kind, target: Double) {
        self.kind = kind
        self.target = target
    }

    /// The objectives of a fresh configuration: 99.9% available, 99% within 250 ms.
    public static let defaults = [
        ServiceLevelObjective(kind: .availability, target: 0.999),
        ServiceLevelObjective(kind: .latency(bound: 0.25), target: 0.99),
    ]

    /// The default period objectives are judged over (30 days), as `slo.period`.
    public static let defaultPeriodSeconds = 30.0 * 86_400

    /// What the syntax is, for error messages.
    public static let expected = "an objective such as availability:99.9% or latency:250ms:99% (a target above 0% and below 100%)"

    /// Parses `availability:TARGET%` or `latency:BOUND:TARGET%`; nil when `text` is neither.
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let target = parts.last.flatMap(Self.percent) else { return nil }
        switch (parts.first, parts.count) {
        case ("availability", 2):
            self.init(kind: .availability, target: target)
        case ("latency", 3):
            guard let bound = Self.seconds(parts[1]) else { return nil }
            self.init(kind: .latency(bound: bound), target: target)
        default:
            return nil
        }
    }

    /// The name shown: `availability`, `latency ≤ 250 ms`.
    public var name: String {
        switch kind {
        case .availability: "availability"
        case .latency(let bound): "latency ≤ \(Self.boundText(bound))"
        }
    }

    /// The objective as it is written (`availability:99.9%`, `latency:250ms:99%`).
    public var description: String {
        switch kind {
        case .availability: "availability:\(Self.percentText(target))"
        case .latency(let bound): "latency:\(Self.boundText(bound).replacingOccurrences(of: " ", with: "")):\(Self.percentText(target))"
        }
    }

    /// `99.9%`: the target as a percentage, as short as it is exact.
    public static func percentText(_ share: Double) -> String {
        let percent = (share * 100 * 1e9).rounded() / 1e9
        return (percent == percent.rounded() ? String(Int(percent)) : "\(percent)") + "%"
    }

    private static func boundText(_ seconds: Double) -> String {
        seconds < 1 ? "\(format(seconds * 1000)) ms" : "\(format(seconds)) s"
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 1e9).rounded() / 1e9
        return rounded == rounded.rounded() ? String(Int(rounded)) : "\(rounded)"
    }

    private static func percent(_ text: String) -> Double? {
        guard text.hasSuffix("%"), let value = decimal(text.dropLast(), scale: 100), value > 0, value < 1 else { return nil }
        return value
    }

    /// `text` divided by `scale` in decimal, then the nearest double (read from its decimal text): `99.9` / 100 is 0.999, where
    /// dividing doubles gives 0.9990000000000001 (and a target the config reads would differ from the default).
    private static func decimal(_ text: Substring, scale: Int) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Decimal(string: String(text), locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        return Double((value / Decimal(scale)).description)
    }

    /// `250ms`, `0.25s` or `0.25` (seconds); positive and finite.
    private static func seconds(_ text: String) -> Double? {
        let value: Double?
        if text.hasSuffix("ms") {
            value = decimal(text.dropLast(2), scale: 1000)
        } else if text.hasSuffix("s") {
            value = decimal(text.dropLast(), scale: 1)
        } else {
            value = decimal(Substring(text), scale: 1)
        }
        guard let value, value.isFinite, value > 0 else { return nil }
        return value
    }
}
