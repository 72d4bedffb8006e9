#!/usr/bin/env python3
"""Test (run by `make test`): the post-mortem toolkit's commands as a user runs them.

Export: an archive exported as OpenMetrics goes into a real Prometheus.

  1. scripts/make-archive.py writes two hours of 15-second snapshots (with a restart halfway and
     a few bad files) ending a few minutes ago;
  2. `kvstore-dashboard export --format openmetrics` writes the window; the file is checked as
     OpenMetrics wants it: `# EOF` last, each family in one piece, each series' points together
     and in increasing time;
  3. the real `promtool tsdb create-blocks-from openmetrics` turns it into TSDB blocks, and the real
     `prometheus` is started on them (no scrape jobs; a free loopback port);
  4. an instant query at one snapshot's time returns that snapshot's values exactly (a counter
     series, a gauge, a histogram bucket); `rate()` and `histogram_quantile()` over the whole
     window agree with `kvstore-dashboard summary` within 1%, and so do the burn rates of
     deploy/prometheus/slo.yml's recording rules with summary's objectives (the page's figures);
  5. bad input: an empty window, an unknown node, a window of only broken files and an unknown
     format each end with exit 1 and one line naming the problem.

Diff: `diff --before FROM..TO --after FROM..TO` writes one well-formed page naming both windows with
four overlaid charts; a bad window, an empty window, a window of only broken files and an unknown node
end with exit 1 and one line.

Bundle: `bundle` writes a folder that coreutils' `sha256sum -c MANIFEST.sha256` accepts and
`verify --manifest` passes; one changed byte, a removed and an added file are each named by
`verify --manifest` (exit 1); `--redact` leaves none of the redacted strings in any file; an empty
window, an unknown node, only broken files, an existing folder, bad rules and a folder without a
manifest each end with exit 1 and one line.

Every wait is bounded. Python 3 standard library only.
Usage: python3 scripts/check_postmortem.py --binary .build/debug/kvstore-dashboard
The last line printed is "P passed, F failed"; exit status 0 only when every check passed.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

HOST = "127.0.0.1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
passed = failed = 0


def check(description, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {description}", flush=True)
    else:
        failed += 1
        print(f"FAIL {description}" + (f": {detail}" if detail else ""), flush=True)


def rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def run(*args, timeout=300):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout)


def series_of(line):
    """The series of a sample line (name and labels) and its timestamp."""
    head, _value, stamp = line.rsplit(" ", 2)
    return head, float(stamp)


def check_layout(path):
    """`# EOF` last; families in one piece; a series' points together, in increasing time."""
    families, series_done, problems = set(), set(), []
    current_family = current_series = None
    last_time = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[-1] != "" or lines[-2] != "# EOF":
        problems.append("does not end with '# EOF' and a newline")
    for line in lines[:-2]:
        if line.startswith("# TYPE "):
            name = line.split(" ")[2]
            if name in families:
                problems.append(f"family {name} written twice")
            families.add(name)
            current_family = name
            continue
        if line.startswith("#"):
            continue
        head, stamp = series_of(line)
        # Points of a histogram's _bucket/_sum/_count lines at one time form one MetricPoint.
        metric = re.sub(r',?le="[^"]*"', "", re.sub(r"_(bucket|sum|count|total)\{", "{", head, count=1))
        if metric != current_series:
            if metric in series_done:
                problems.append(f"series {metric} not in one piece")
            if current_series:
                series_done.add(current_series)
            current_series, last_time = metric, None
        if last_time is not None and stamp < last_time:
            problems.append(f"series {metric}: time {stamp} after {last_time}")
        last_time = stamp
        if not head.startswith(current_family or "\0"):
            problems.append(f"sample {head} outside its family {current_family}")
    return families, problems[:5]


class Prometheus:
    def __init__(self, data, work):
        self.port = free_port()
        config = os.path.join(work, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 15s\nscrape_configs: []\n")
        self.log = open(os.path.join(work, "prometheus.log"), "w")
        self.process = subprocess.Popen(
            ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={data}",
             "--storage.tsdb.retention.time=100y", f"--web.listen-address={HOST}:{self.port}", "--log.level=warn"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("prometheus exited; see " + self.log.name)
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/-/ready", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("prometheus did not become ready within 60 s")

    def query(self, expr, at):
        url = f"http://{HOST}:{self.port}/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": f"{at:.3f}"})
        with urllib.request.urlopen(url, timeout=10) as r:
            body = json.load(r)
        if body.get("status") != "success":
            raise SystemExit(f"query {expr}: {body}")
        return body["data"]["result"]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def close(a, b, tolerance=0.01):
    return a is not None and b is not None and (abs(a - b) <= tolerance * max(abs(a), abs(b)) or abs(a - b) < 1e-9)


def recording_rules(path):
    """{record: expr} of a rules file whose rules are `- record: NAME` then `expr: ...` on one line."""
    rules, name = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("- record: "):
                name = line[len("- record: "):]
            elif line.startswith("expr: ") and name:
                rules[name] = line[len("expr: "):]
                name = None
    return rules


def one_line_failure(description, result, message):
    lines = result.stderr.strip().split("\n")
    check(f"{description}: exit 1 and one line ({lines[0][:110]})",
          result.returncode == 1 and len(lines) == 1 and message in lines[0],
          f"exit {result.returncode}: {result.stderr.strip()[:300]}")


def check_bundle(binary, archive, broken, start, end, work):
    window = ["--from", rfc3339(end - timedelta(minutes=30)), "--to", rfc3339(end)]
    out = os.path.join(work, "bundle")
    result = run(binary, "bundle", "--snapshots", archive, *window, "--out", out)
    check("bundle exits 0 and says what it wrote", result.returncode == 0 and "121 snapshots of node-1" in result.stdout,
          (result.stdout + result.stderr).strip())
    names = sorted(os.listdir(out)) if os.path.isdir(out) else []
    check(f"the bundle holds the page, snapshots/, bundle.json and MANIFEST.sha256 ({', '.join(names)})",
          names == ["MANIFEST.sha256", "bundle.json", "charts", "index.html", "snapshots"]
          and len(os.listdir(os.path.join(out, "snapshots"))) == 121)
    with open(os.path.join(out, "bundle.json"), encoding="utf-8") as f:
        described = json.load(f)
    check("bundle.json gives the window, nodes, generator and counts",
          described["nodes"] == ["node-1"] and described["counts"]["snapshots"] == 121
          and described["generator"].startswith("kvstore-dashboard ") and described["window"]["to"].startswith(rfc3339(end)[:19]))
    summed = subprocess.run(["sha256sum", "-c", "--quiet", "MANIFEST.sha256"], cwd=out, capture_output=True, text=True)
    check("sha256sum -c MANIFEST.sha256 accepts the bundle", summed.returncode == 0, summed.stdout + summed.stderr)
    verified = run(binary, "verify", "--manifest", out)
    check("verify --manifest passes the bundle", verified.returncode == 0 and "files match MANIFEST.sha256" in verified.stdout,
          verified.stdout + verified.stderr)

    snapshot = sorted(os.listdir(os.path.join(out, "snapshots")))[3]
    path = os.path.join(out, "snapshots", snapshot)
    with open(path, "r+b") as f:
        f.seek(20)
        byte = f.read(1)
        f.seek(20)
        f.write(bytes([byte[0] ^ 1]))
    os.remove(os.path.join(out, "index.html"))
    with open(os.path.join(out, "charts", "added.svg"), "w") as f:
        f.write("<svg/>")
    verified = run(binary, "verify", "--manifest", out)
    lines = verified.stdout.strip().split("\n")
    check("verify --manifest names the changed byte, the missing and the extra file (exit 1)",
          verified.returncode == 1 and f"changed: snapshots/{snapshot}" in lines and "missing: index.html" in lines
          and "extra: charts/added.svg" in lines and lines[-1].endswith("1 changed, 1 extra, 1 missing"), verified.stdout)

    rules = os.path.join(work, "rules.txt")
    with open(rules, "w") as f:
        f.write("# the node's name and the build's revision\nhost node-1\npath abc1234\nlabel route=^/api/v1/kv/\\{key\\}$\n")
    redacted = os.path.join(work, "redacted")
    result = run(binary, "bundle", "--snapshots", archive, *window, "--out", redacted, "--redact", rules)
    leaks = []
    for folder, _dirs, files in os.walk(redacted):
        for name in files:
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            leaks += [f"{secret} in {name}" for secret in (b"node-1", b"abc1234", b"/api/v1/kv/{key}") if secret in data or secret.decode() in name]
    check(f"bundle --redact leaves no redacted string in any file ({result.stdout.strip()})",
          result.returncode == 0 and "redacted" in result.stdout and not leaks, "; ".join(leaks[:5]) + result.stderr)
    summed = subprocess.run(["sha256sum", "-c", "--quiet", "MANIFEST.sha256"], cwd=redacted, capture_output=True, text=True)
    check("the redacted bundle's manifest holds", summed.returncode == 0, summed.stdout + summed.stderr)

    # A compressed archive (snapshots.compress): the copies stay .json.gz and the page still reads them.
    gzipped = os.path.join(work, "gzipped")
    os.mkdir(gzipped)
    for name in sorted(n for n in os.listdir(archive) if n.endswith(".json"))[-40:-20]:  # the last 3 are the bad files
        with open(os.path.join(archive, name), "rb") as f, gzip.open(os.path.join(gzipped, name + ".gz"), "wb") as g:
            g.write(f.read())
    out_gz = os.path.join(work, "bundle-gz")
    result = run(binary, "bundle", "--snapshots", gzipped, *window, "--out", out_gz)
    page = open(os.path.join(out_gz, "index.html"), encoding="utf-8").read() if result.returncode == 0 else ""
    check("a bundle of gzip snapshots keeps them and its page shows all 20",
          result.returncode == 0 and "· 20 snapshots" in page and "skipped" not in result.stdout
          and all(n.endswith(".json.gz") for n in os.listdir(os.path.join(out_gz, "snapshots"))),
          (result.stdout + result.stderr).strip())

    bad_rules = os.path.join(work, "bad-rules.txt")
    with open(bad_rules, "w") as f:
        f.write("host ok\nhots typo\n")
    cases = [
        ("bundle of an empty window", ["bundle", "--snapshots", archive, "--from", "2020-01-01T00:00:00Z", "--to",
                                       "2020-01-02T00:00:00Z", "--out", os.path.join(work, "b1")], "no snapshot from"),
        ("bundle of an unknown node", ["bundle", "--snapshots", archive, *window, "--node", "node-9", "--out",
                                       os.path.join(work, "b2")], "--node: no snapshot file of node 'node-9'"),
        ("bundle of only broken files", ["bundle", "--snapshots", broken, "--from", rfc3339(start), "--to", rfc3339(end),
                                         "--out", os.path.join(work, "b3")], "no readable snapshot"),
        ("bundle into an existing folder", ["bundle", "--snapshots", archive, *window, "--out", out], "exists and is not an empty folder"),
        ("bundle with a bad rules file", ["bundle", "--snapshots", archive, *window, "--out", os.path.join(work, "b4"),
                                          "--redact", bad_rules], "bad-rules.txt:2: unknown rule 'hots'"),
        ("verify --manifest of a folder without one", ["verify", "--manifest", archive], "no readable MANIFEST.sha256"),
    ]
    for description, arguments, message in cases:
        one_line_failure(description, run(binary, *arguments), message)


def check_diff(binary, archive, broken, start, end, work):
    middle = start + (end - start) / 2
    before, after = f"{rfc3339(start)}..{rfc3339(middle)}", f"{rfc3339(middle)}..{rfc3339(end)}"
    out = os.path.join(work, "diff")
    result = run(binary, "diff", "--snapshots", archive, "--before", before, "--after", after, "--out", out)
    page = open(os.path.join(out, "index.html"), encoding="utf-8").read() if result.returncode == 0 else ""
    charts = sorted(os.listdir(os.path.join(out, "charts"))) if result.returncode == 0 else []
    check(f"diff writes one page with both windows named and four overlaid charts ({result.stdout.strip()})",
          result.returncode == 0 and "<strong>Before</strong>" in page and "<strong>After</strong>" in page
          and 'id="route-1-rate-change"' in page and len(charts) == 4, result.stderr.strip())
    xml = subprocess.run(["xmllint", "--noout", "--nonet", os.path.join(out, "index.html")], capture_output=True, text=True)
    check("xmllint accepts the diff page", xml.returncode == 0, xml.stderr)
    cases = [
        ("diff with a window that is not FROM..TO", ["--before", rfc3339(start), "--after", after], "--before: '"),
        ("diff of an empty window", ["--before", "2020-01-01T00:00:00Z..2020-01-01T01:00:00Z", "--after", after], "no snapshot from"),
        ("diff of an unknown node", ["--before", before, "--after", after, "--node", "node-9"], "--node: no snapshot file of node 'node-9'"),
    ]
    for description, arguments, message in cases:
        one_line_failure(description, run(binary, "diff", "--snapshots", archive, *arguments, "--out", os.path.join(work, "d2")), message)
    one_line_failure("diff of a window of only broken files",
                     run(binary, "diff", "--snapshots", broken, "--before", f"{rfc3339(start)}..{rfc3339(end)}", "--after", after,
                         "--out", os.path.join(work, "d3")), "no readable snapshot")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/kvstore-dashboard")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    for tool in ("promtool", "prometheus"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (Debian package prometheus; run scripts/setup.sh test)")
    work = tempfile.mkdtemp(prefix="kvstore-check-postmortem-")
    prometheus = None
    try:
        end = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=5)
        end -= timedelta(seconds=end.second % 15)
        start = end - timedelta(hours=2)
        archive = os.path.join(work, "archive")
        made = run(sys.executable, os.path.join(ROOT, "scripts/make-archive.py"), "--out", archive, "--duration", "2h",
                   "--interval", "15", "--end", rfc3339(end), "--restart-at", "0.5", "--bad-files")
        if made.returncode != 0:
            raise SystemExit("make-archive.py failed: " + made.stderr)

        exported = os.path.join(work, "window.om")
        result = run(binary, "export", "--snapshots", archive, "--from", rfc3339(start), "--to", rfc3339(end),
                     "--format", "openmetrics", "--out", exported)
        check("export exits 0 and says what it wrote", result.returncode == 0 and "exported 481 snapshots" in result.stderr,
              result.stderr.strip())
        families, problems = check_layout(exported)
        check(f"the export is laid out as OpenMetrics wants ({len(families)} families)", not problems and len(families) > 20,
              "; ".join(problems))
        with open(exported, encoding="utf-8") as f:
            text = f.read()
        check("counters are typed without _total and sampled with it; histograms have _bucket/_sum/_count",
              "# TYPE kvstore_http_requests counter\n" in text and "\nkvstore_http_requests_total{" in text
              and "\nkvstore_request_duration_seconds_bucket{" in text and '\n# UNIT kvstore_request_duration_seconds seconds\n' in text)

        tsdb = os.path.join(work, "tsdb")
        blocks = run("promtool", "tsdb", "create-blocks-from", "openmetrics", exported, tsdb)
        check("promtool tsdb create-blocks-from openmetrics accepts the export",
              blocks.returncode == 0 and os.listdir(tsdb), (blocks.stderr or blocks.stdout).strip()[-400:])
        prometheus = Prometheus(tsdb, work)

        # One snapshot's values, at its time, exactly.
        files = sorted(n for n in os.listdir(archive) if re.fullmatch(r"kvstore-.*\.json", n))
        name = files[len(files) // 3]
        with open(os.path.join(archive, name), encoding="utf-8") as f:
            snapshot = json.load(f)
        at = datetime.fromisoformat(snapshot["time"].replace("Z", "+00:00")).timestamp()
        by_name = {family["name"]: family for family in snapshot["metrics"]}

        def selector(labels):
            return "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"

        counter = next(s for s in by_name["kvstore_http_requests_total"]["samples"] if s.get("value"))
        gauge = by_name["process_resident_memory_bytes"]["samples"][0]
        histogram = next(s for s in by_name["kvstore_request_duration_seconds"]["samples"] if s.get("buckets"))
        bucket = histogram["buckets"][len(histogram["buckets"]) // 2]
        wanted = [
            ("kvstore_http_requests_total" + selector(counter["labels"]), counter["value"]),
            ("process_resident_memory_bytes" + selector(gauge["labels"]), gauge["value"]),
            ("kvstore_request_duration_seconds_count" + selector(histogram["labels"]), histogram["count"]),
        ]
        le = "+Inf" if bucket["le"] in ("+Inf", float("inf")) else repr(float(bucket["le"]))
        wanted.append((f'kvstore_request_duration_seconds_bucket{selector(dict(histogram["labels"], le=le))}', bucket["count"]))
        for expr, value in wanted:
            got = prometheus.query(expr, at)
            check(f"at {snapshot['time']} {expr} is the snapshot's {value}",
                  len(got) == 1 and float(got[0]["value"][1]) == float(value), json.dumps(got)[:300])

        # Rates and quantiles over the whole window, against the generator's own maths.
        summary = run(binary, "summary", "--snapshots", archive, "--from", rfc3339(start), "--to", rfc3339(end))
        figures = json.loads(summary.stdout) if summary.returncode == 0 else {}
        window = int((end - start).total_seconds())
        to = end.timestamp()
        rate = prometheus.query(f"sum(rate(kvstore_http_requests_total[{window}s]))", to)
        p99 = prometheus.query(
            f"histogram_quantile(0.99, sum by (le) (rate(kvstore_request_duration_seconds_bucket[{window}s])))", to)
        p50 = prometheus.query(
            f"histogram_quantile(0.5, sum by (le) (rate(kvstore_request_duration_seconds_bucket[{window}s])))", to)
        value = lambda result: float(result[0]["value"][1]) if result else None
        check(f"rate() over the window {value(rate)} agrees with summary's {figures.get('request_rate')} within 1%",
              close(value(rate), figures.get("request_rate")))
        check(f"histogram_quantile(0.99) {value(p99)} agrees with summary's {figures.get('p99_seconds')} within 1%",
              close(value(p99), figures.get("p99_seconds")))
        check(f"histogram_quantile(0.5) {value(p50)} agrees with summary's {figures.get('p50_seconds')} within 1%",
              close(value(p50), figures.get("p50_seconds")))

        # The page's burn rates (summary's objectives: the defaults, as slo.yml) against slo.yml's
        # recording rules evaluated by Prometheus at the window's end, on the same data.
        rules = recording_rules(os.path.join(ROOT, "deploy/prometheus/slo.yml"))
        objectives = {o["objective"]: o for o in figures.get("objectives", [])}
        for record, objective, key in [
            ("kvstore:slo_availability:burn_rate1h", "availability:99.9%", "burn_rate_1h"),
            ("kvstore:slo_availability:burn_rate6h", "availability:99.9%", "burn_rate_6h"),
            ("kvstore:slo_latency:burn_rate1h", "latency:250ms:99%", "burn_rate_1h"),
            ("kvstore:slo_latency:burn_rate6h", "latency:250ms:99%", "burn_rate_6h"),
        ]:
            got = value(prometheus.query(rules[record], to))
            page = objectives.get(objective, {}).get(key)
            check(f"slo.yml's {record} {got} agrees with the page's {objective} {key} {page} within 1%", close(got, page))
        # A latency bound most requests miss, so that the burn rate is not 0 on both sides.
        tight = run(binary, "summary", "--snapshots", archive, "--from", rfc3339(start), "--to", rfc3339(end),
                    "--slo", "latency:10ms:99%")
        page = json.loads(tight.stdout)["objectives"][0]["burn_rate_1h"] if tight.returncode == 0 else None
        expr = rules["kvstore:slo_latency:burn_rate1h"].replace('le="0.25"', 'le="0.01"')
        got = value(prometheus.query(expr, to))
        check(f"latency:10ms:99% burn rate over 1 h: Prometheus {got}, the page {page}, within 1%",
              close(got, page) and page is not None and page > 0.5)

        # Bad input: exit 1, one line.
        broken = os.path.join(work, "broken")
        os.mkdir(broken)
        with open(os.path.join(broken, files[0]), "w") as f:
            f.write("{")
        cases = [
            ("an empty window", ["--snapshots", archive, "--from", "2020-01-01T00:00:00Z", "--to", "2020-01-02T00:00:00Z"],
             "no snapshot from"),
            ("an unknown node", ["--snapshots", archive, "--from", rfc3339(start), "--to", rfc3339(end), "--node", "node-9"],
             "--node: no snapshot file of node 'node-9'"),
            ("a window of only broken files", ["--snapshots", broken, "--from", rfc3339(start), "--to", rfc3339(end)],
             "no readable snapshot"),
            ("an unknown format", ["--snapshots", archive, "--from", rfc3339(start), "--to", rfc3339(end), "--format", "csv"],
             "--format: 'csv' is not supported"),
        ]
        for description, arguments, message in cases:
            result = run(binary, "export", *arguments)
            lines = result.stderr.strip().split("\n")
            check(f"{description}: exit 1 and one line ({lines[0][:100]})",
                  result.returncode == 1 and len(lines) == 1 and message in lines[0] and result.stdout == "",
                  f"exit {result.returncode}: {result.stderr.strip()[:300]}")
        check_bundle(binary, archive, broken, start, end, work)
        check_diff(binary, archive, broken, start, end, work)
    finally:
        if prometheus:
            prometheus.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
