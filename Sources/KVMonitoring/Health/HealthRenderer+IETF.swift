import KVSnapshot

extension HealthRenderer {
    /// The report in the IETF draft's shape (draft-inadarei-api-health-check, media type
    /// `application/health+json`): `status` pass | warn | fail, `version` (major),
    /// `releaseId` (full version), `description`, and `checks` keyed `component:measurement`,
    /// each an array of objects with `componentType`, `observedValue`, `observedUnit`,
    /// `status`, `time`, and `output` when not passing.
    ///
    /// Measurements by check kind: `memory` → `utilization` (percent of the limit), `threads`
    /// → `count`, `disk` → `freeSpace` (bytes, one entry per volume with `componentId`),
    /// others → `responseTime` (ms of the last run). An `uptime` entry is added.
    public static func ietfJSON(_ report: HealthReport) -> String {
        var checks: [String: [IETFEntry]] = [:]
        for check in report.checks.values {
            let (measurement, entries) = self.ietfEntries(for: check)
            checks["\(check.name):\(measurement)"] = entries
        }
        checks["uptime"] = [
            IETFEntry(componentType: "system", observedValue: report.uptimeSeconds, observedUnit: "s", status: "pass", time: report.time)
        ]
        let major = report.version.split(separator: ".", omittingEmptySubsequences: false).first.map(String.init) ?? report.version
        let body = IETFBody(
            status: report.status.ietfStatus,
            version: major,
            releaseId: report.version,
            description: "kvstore key-value server",
            checks: checks
        )
        return self.encode(body)
    }

    private static func ietfEntries(for check: HealthCheckReport) -> (measurement: String, entries: [IETFEntry]) {
        let output = check.status == .healthy ? nil : check.message
        func entry(_ type: String, _ value: Double?, _ unit: String?, id: String? = nil, status: HealthStatus? = nil) -> IETFEntry {
            let status = status ?? check.status
            return IETFEntry(
                componentId: id, componentType: type, observedValue: value, observedUnit: unit, status: status.ietfStatus,
                time: check.time, output: status == .healthy ? nil : output
            )
        }
        switch check.kind {
        case "memory":
            let percent = check.details["usage_ratio"].flatMap(\.number).map { ($0 * 10000).rounded() / 100 }
            return ("utilization", [entry("system", percent, percent == nil ? nil : "percent")])
        case "threads":
            return ("count", [entry("system", check.details["threads"].flatMap(\.number), nil)])
        case "disk":
            let minimum = check.details["minimum_free_bytes"].flatMap(\.number) ?? 0
            let volumes = check.details.keys.compactMap { key -> String? in
                key.hasSuffix(".path") ? String(key.dropLast(".path".count)) : nil
            }.sorted()
            guard !volumes.isEmpty else { return ("freeSpace", [entry("system", nil, nil)]) }
            return ("freeSpace", volumes.map { volume in
                let free = check.details["\(volume).free_bytes"].flatMap(\.number)
                let fine = check.time != nil && free.map { $0 >= minimum } ?? false
                let status = fine ? HealthStatus.healthy : max(check.status, .degraded)
                return entry("system", free, free == nil ? nil : "bytes", id: volume, status: status)
            })
        default:
            let type = check.kind == "storage" ? "datastore" : "component"
            let value = check.time == nil ? nil : check.durationMilliseconds
            return ("responseTime", [entry(type, value, value == nil ? nil : "ms")])
        }
    }
}

private struct IETFBody: Encodable {
    var status: String
    var version: String
    var releaseId: String
    var description: String
    var checks: [String: [IETFEntry]]
}

private struct IETFEntry: Encodable {
    var componentId: String?
    var componentType: String
    var observedValue: Double?
    var observedUnit: String?
    var status: String
    var time: String?
    var output: String?

    init(componentId: String? = nil, componentType: String, observedValue: Double?, observedUnit: String?, status: String,
         time: String?, output: String? = nil) {
        self.componentId = componentId
        self.componentType = componentType
        self.observedValue = observedValue
        self.observedUnit = observedUnit
        self.status = status
        self.time = time
        self.output = output
    }
}

extension HealthDetailValue {
    /// The number, if this is one.
    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}
