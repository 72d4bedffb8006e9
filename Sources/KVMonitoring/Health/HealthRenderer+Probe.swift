import KVSnapshot

extension HealthRenderer {
    /// The body of `/livez` or `/readyz`, in the Kubernetes API server's format.
    ///
    /// A check passes unless it is `unhealthy`; a check named in `excluded` is skipped. All
    /// pass: `ok` (or, with `verbose`, one `[+]name ok` line per check and `livez check
    /// passed`). Any fails: one line per check, failing ones as `[-]name failed: reason`
    /// (`reason withheld` unless `verbose`), then `readyz check failed`; answer 503.
    /// Names in `excluded` that match no check get a `warn:` line, as Kubernetes does.
    ///
    /// - Returns: `ok` (answer 200 when true, 503 when false) and the body.
    public static func probeText(
        probe: HealthProbe,
        checks: [HealthCheckReport],
        verbose: Bool,
        excluded: Set<String> = []
    ) -> (ok: Bool, body: String) {
        var lines: [String] = []
        var failed = false
        var unmatched = excluded
        for check in checks {
            if excluded.contains(check.name) {
                unmatched.remove(check.name)
                lines.append("[+]\(check.name) excluded: ok")
            } else if check.status == .unhealthy {
                failed = true
                let reason = verbose ? self.singleLine(check.message) : "reason withheld"
                lines.append("[-]\(check.name) failed: \(reason)")
            } else {
                lines.append("[+]\(check.name) ok")
            }
        }
        if !unmatched.isEmpty {
            let names = unmatched.sorted().map { "\"\(self.singleLine($0))\"" }.joined(separator: ",")
            lines.append("warn: some health checks cannot be excluded: no matches for \(names)")
        }
        if failed {
            lines.append("\(probe.rawValue) check failed")
            return (false, lines.joined(separator: "\n") + "\n")
        }
        guard verbose else { return (true, "ok") }
        lines.append("\(probe.rawValue) check passed")
        return (true, lines.joined(separator: "\n") + "\n")
    }

    /// The text with line breaks replaced by spaces, so one check stays on one line.
    private static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
