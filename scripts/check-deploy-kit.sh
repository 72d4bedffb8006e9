#!/usr/bin/env bash
# Test: static checks of the deploy kit (deploy/, Dockerfile, docker-compose.yml).
#
#   scripts/check-deploy-kit.sh [BINARY]      (default .build/debug/kvstore)
#
# - promtool check config (the three Prometheus configs), check rules, test rules (alerts_test.yml,
#   and slo.yml with slo_test.yml);
# - the shipped scrape job (path, interval, rules) and the compose copies differ only in targets
#   (the cluster copy scrapes kvstore-1..3);
# - every alert rule has `for`, a severity label, a summary and a description, and the rule set
#   covers the built-in rules;
# - the Grafana dashboard: valid JSON, a `datasource` variable of type prometheus used by every
#   panel and query, unique panel ids, the required panels, every query parses (promtool);
# - every metric name queried by the dashboard and by alerts.yml exists in our exposition: the
#   live exposition of BINARY (started on free loopback ports and scraped), else the
#   MetricDescriptor declarations in Sources/ (it says which names came only from there);
# - the dashboard is instance-aware: an Instance variable, and a fleet row of per-instance series
#   each with a fleet total;
# - Dockerfile, docker-compose.yml and docker-compose.cluster.yml reference what exists (they are
#   not run: no container engine here); the cluster's nodes have distinct ids and one config.
set -euo pipefail
cd "$(dirname "$0")/.."

BINARY=${1:-.build/debug/kvstore}
HOST=127.0.0.1
START_WAIT=30
NAME=check-deploy-kit.sh
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

command -v promtool >/dev/null || die "promtool is not installed (Debian package prometheus; run scripts/setup.sh test)"
command -v python3 >/dev/null || die "python3 is not installed"

passed=0
failed=0
check() { # DESCRIPTION COMMAND...
    if "${@:2}"; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
# quiet DESCRIPTION COMMAND...: like check, but prints the command's output only when it fails
quiet() {
    local out=$TMP/quiet.out
    if "${@:2}" >"$out" 2>&1; then passed=$((passed + 1)); echo "ok   $1"
    else failed=$((failed + 1)); echo "FAIL $1"; sed 's/^/     /' "$out"; fi
}

P=deploy/prometheus
G=deploy/grafana

# ---- Prometheus: the real tool -------------------------------------------------------------
quiet "promtool check config $P/prometheus.yml" promtool check config "$P/prometheus.yml"
quiet "promtool check config $P/prometheus.docker.yml" promtool check config "$P/prometheus.docker.yml"
quiet "promtool check config $P/prometheus.cluster.yml" promtool check config "$P/prometheus.cluster.yml"
quiet "promtool check rules $P/alerts.yml" promtool check rules "$P/alerts.yml"
quiet "promtool test rules $P/alerts_test.yml" promtool test rules "$P/alerts_test.yml"
quiet "promtool check rules $P/slo.yml" promtool check rules "$P/slo.yml"
quiet "promtool test rules $P/slo_test.yml (burn rates and the multiwindow burn alerts)" promtool test rules "$P/slo_test.yml"

# ---- the rest: python3 with the standard library only --------------------------------------
cat >"$TMP/kit.py" <<'PY'
import json, os, re, subprocess, sys

P, G = "deploy/prometheus", "deploy/grafana"
mode = sys.argv[1]

def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()

def strip_comments(text):
    out = []
    for line in text.splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        out.append(line.rstrip())
    return out

def alert_blocks(text):
    """The rules of alerts.yml as {name: {"expr": str, "lines": [str]}} (a small line parser:
    PyYAML is not part of the standard library)."""
    rules, cur, lines = {}, None, text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(\s*)- alert:\s*(\S+)\s*$", line)
        if m:
            cur = {"expr": "", "lines": [], "indent": len(m.group(1))}
            rules[m.group(2)] = cur
        elif cur is not None:
            ind = len(line) - len(line.lstrip())
            if line.strip() and ind <= cur["indent"]:
                cur = None
            else:
                cur["lines"].append(line)
                m = re.match(r"^(\s*)expr:\s*(.*)$", line)
                if m:
                    if m.group(2).strip() in ("|", ">", "|-", ">-"):
                        base, body = len(m.group(1)), []
                        while i + 1 < len(lines) and (not lines[i + 1].strip() or
                                                      len(lines[i + 1]) - len(lines[i + 1].lstrip()) > base):
                            i += 1
                            body.append(lines[i].strip())
                        cur["expr"] = " ".join(body).strip()
                    else:
                        cur["expr"] = m.group(2).strip().strip("'\"") if m.group(2).strip()[:1] in "'\"" else m.group(2).strip()
        i += 1
    return rules

def dashboard():
    return json.loads(read(f"{G}/kvstore.json"))

def walk_panels(panels):
    for p in panels:
        yield p
        yield from walk_panels(p.get("panels", []))

def dashboard_exprs(d):
    """(where, expr) for every query of every panel and of the query variables."""
    out = []
    for p in walk_panels(d.get("panels", [])):
        for t in p.get("targets", []):
            if t.get("expr"):
                out.append((f'panel {p.get("id")} "{p.get("title")}" {t.get("refId")}', t["expr"]))
    for v in d.get("templating", {}).get("list", []):
        if v.get("type") == "query":
            q = v.get("query")
            q = q.get("query") if isinstance(q, dict) else q
            if q:
                out.append((f'variable {v.get("name")}', q))
    return out

def grafana_to_promql(expr):
    """Substitute Grafana's variables so that promtool can parse the query."""
    expr = expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h")
    return re.sub(r"\$\{?\w+\}?", ".+", expr)

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
            "unless", "offset", "atan2", "inf", "nan", "Inf", "NaN"}
SYNTHETIC = {"up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds", "scrape_samples_scraped",
             "scrape_samples_post_metric_relabeling", "scrape_series_added"}

def metric_names(expr):
    """Metric names a PromQL expression selects (labels, functions, keywords left out)."""
    m = re.match(r"^\s*label_values\(\s*([a-zA-Z_:][\w:]*)", expr)
    if m:
        return {m.group(1)}
    if re.match(r"^\s*label_values\(\s*\w+\s*\)\s*$", expr):
        return set()
    names = set()
    for m in re.finditer(r'__name__\s*=\s*"([^"]+)"', expr):
        names.add(m.group(1))
    e = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    e = re.sub(r"\{[^}]*\}", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\$\{?\w+\}?", " ", e)
    for m in re.finditer(r"(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()", e):
        word = m.group(1)
        if word not in KEYWORDS:
            names.add(word)
    return names

def declared_in_sources():
    """{sample name: family} for every MetricDescriptor(name:, help:, type:) in Sources/."""
    out = {}
    pat = re.compile(r'MetricDescriptor\(\s*name:\s*"([a-zA-Z_:][\w:]*)"\s*,\s*help:\s*"(?:[^"\\]|\\.)*"\s*,\s*type:\s*\.(\w+)')
    for root, _, files in os.walk("Sources"):
        for f in files:
            if f.endswith(".swift"):
                for m in pat.finditer(read(os.path.join(root, f))):
                    for s in samples_of(m.group(1), m.group(2)):
                        out[s] = m.group(1)
    return out

def samples_of(family, kind):
    if kind == "histogram":
        return [family + "_bucket", family + "_sum", family + "_count"]
    if kind == "summary":
        return [family, family + "_sum", family + "_count"]
    return [family]

def exposed(path):
    """Sample names of a 0.0.4 exposition: from # TYPE lines (so a family without samples yet
    counts) and from the samples themselves."""
    out = set()
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return out
    for line in read(path).splitlines():
        m = re.match(r"^# TYPE (\S+) (\w+)", line)
        if m:
            out.update(samples_of(m.group(1), m.group(2)))
        elif line and not line.startswith("#"):
            out.add(re.split(r"[{ ]", line, 1)[0])
    return out

failures = []
def need(cond, msg):
    if not cond:
        failures.append(msg)

if mode == "scrape-config":
    main = strip_comments(read(f"{P}/prometheus.yml"))
    text = "\n".join(main)
    need(re.search(r"^\s*- job_name: kvstore$", text, re.M), "no job_name: kvstore")
    need(re.search(r"^\s*metrics_path: /api/v1/metrics$", text, re.M), "metrics_path is not /api/v1/metrics")
    need(re.search(r"^\s*scrape_interval: 15s$", text, re.M), "no scrape_interval: 15s")
    need(re.search(r"^rule_files:\n\s*- alerts\.yml$", text, re.M), "rule_files does not load alerts.yml")
    need('targets: ["localhost:8080"]' in text, "static target is not localhost:8080")
    need("localhost:2112" in read(f"{P}/prometheus.yml"), "no commented variant for the :2112 metrics listener")
    docker = strip_comments(read(f"{P}/prometheus.docker.yml"))
    norm = lambda lines: [l.replace('"kvstore:2112"', "TARGET").replace('"localhost:8080"', "TARGET") for l in lines]
    need(norm(main) == norm(docker), "prometheus.docker.yml differs from prometheus.yml in more than the target")
    cluster = strip_comments(read(f"{P}/prometheus.cluster.yml"))
    targets = [l for l in cluster if "targets:" in l]
    need(len(targets) == 1 and re.findall(r'"(kvstore-\d:2112)"', targets[0]) == ["kvstore-1:2112", "kvstore-2:2112", "kvstore-3:2112"],
         "prometheus.cluster.yml does not scrape kvstore-1:2112, kvstore-2:2112 and kvstore-3:2112")
    many = lambda lines: [re.sub(r"targets: \[.*\]", "targets: TARGETS", l) for l in lines]
    need(many(main) == many(cluster), "prometheus.cluster.yml differs from prometheus.yml in more than the targets")

elif mode == "rules":
    rules = alert_blocks(read(f"{P}/alerts.yml"))
    expected = ["KVStoreDown", "KVStoreUnhealthy", "KVStoreDegraded", "KVStoreCriticalCheckFailing",
                "KVStoreHighErrorRatio", "KVStoreHighLatencyP99", "KVStoreMemoryHigh",
                "KVStoreStorageNearQuota", "KVStoreSnapshotsFailing", "KVStoreSnapshotsStale"]
    for name in expected:
        need(name in rules, f"rule {name} missing")
    for name, r in rules.items():
        body = "\n".join(r["lines"])
        need(r["expr"], f"{name}: no expr")
        need(re.search(r"^\s*for:\s*\d+[smh]", body, re.M), f"{name}: no `for`")
        need(re.search(r"^\s*severity:\s*(critical|warning|info)\s*$", body, re.M), f"{name}: no severity label (critical|warning|info)")
        need(re.search(r"^\s*summary:\s*\S", body, re.M), f"{name}: no summary annotation")
        need(re.search(r"^\s*description:\s*\S", body, re.M), f"{name}: no description annotation")
    tested = set(re.findall(r"alertname:\s*(\S+)", read(f"{P}/alerts_test.yml")))
    need(len(tested & set(rules)) >= 3, f"alerts_test.yml tests only {sorted(tested & set(rules))}")
    print(f"{len(rules)} rules; unit-tested: {', '.join(sorted(tested & set(rules)))}")

elif mode == "dashboard":
    d = dashboard()
    need(isinstance(d.get("schemaVersion"), int) and d["schemaVersion"] >= 36, "schemaVersion missing or < 36")
    need(d.get("uid") and d.get("title"), "no uid or title")
    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    ds = variables.get("datasource", {})
    need(ds.get("type") == "datasource" and ds.get("query") == "prometheus", "no `datasource` variable of type datasource/prometheus")
    ids, panels = [], [p for p in walk_panels(d.get("panels", []))]
    for p in panels:
        ids.append(p.get("id"))
        gp = p.get("gridPos", {})
        need(all(k in gp for k in "hwxy") and gp["x"] + gp["w"] <= 24, f'panel {p.get("id")}: bad gridPos {gp}')
        if p.get("type") == "row":
            continue
        need(p.get("datasource", {}).get("uid") == "${datasource}", f'panel {p.get("id")} "{p.get("title")}": datasource is not ${{datasource}}')
        need(p.get("targets"), f'panel {p.get("id")} "{p.get("title")}": no queries')
        for t in p.get("targets", []):
            need(t.get("datasource", {}).get("uid") in (None, "${datasource}"), f'panel {p.get("id")} {t.get("refId")}: query datasource is not ${{datasource}}')
    for v in variables.values():
        if v.get("type") == "query":
            need(v.get("datasource", {}).get("uid") == "${datasource}", f'variable {v.get("name")}: datasource is not ${{datasource}}')
    need(len(ids) == len(set(ids)), "panel ids are not unique")
    exprs = [e for _, e in dashboard_exprs(d)]
    wanted = {
        "request rate": r"rate\(kvstore_http_requests_total",
        "latency p50": r"histogram_quantile\(0\.50?,.*kvstore_request_duration_seconds_bucket",
        "latency p95": r"histogram_quantile\(0\.95,.*kvstore_request_duration_seconds_bucket",
        "latency p99": r"histogram_quantile\(0\.99,.*kvstore_request_duration_seconds_bucket",
        "error rate": r'code=~"5\.\."',
        "resident memory": r"process_resident_memory_bytes",
        "threads": r"kvstore_threads",
        "open fds": r"process_open_fds",
        "CPU": r"process_cpu_seconds_total",
        "storage size": r"kvstore_storage_size_bytes",
        "keys": r"kvstore_storage_keys",
        "quota": r"kvstore_storage_quota_bytes",
        "health status": r"kvstore_health_status",
        "health checks": r"kvstore_health_check_status",
    }
    for what, pat in wanted.items():
        need(any(re.search(pat, e) for e in exprs), f"no panel queries {what} ({pat})")
    inst = variables.get("instance", {})
    need(inst.get("type") == "query" and "instance" in json.dumps(inst.get("query")) and inst.get("multi") and inst.get("includeAll"),
         "no multi-value `instance` query variable")
    fleet = [p for p in panels if p.get("type") != "row" and any("{{instance}}" in t.get("legendFormat", "") for t in p.get("targets", []))]
    for what, pat in {"request rate": r"rate\(kvstore_http_requests_total", "5xx ratio": r'code=~"5\.\."',
                      "latency p99": r"histogram_quantile\(0\.99, sum by \(instance, le\)", "memory": r"process_resident_memory_bytes",
                      "restarts": r"changes\(process_start_time_seconds"}.items():
        hits = [p for p in fleet if any(re.search(pat, t.get("expr", "")) for t in p["targets"])]
        need(hits, f"no per-instance panel ({{{{instance}}}} legend) of {what}")
        if what != "restarts":
            need(any(t.get("legendFormat") == "fleet total" for p in hits for t in p["targets"]), f"the per-instance {what} panel has no fleet total")
    print(f"{len([p for p in panels if p.get('type') != 'row'])} panels, {len(dashboard_exprs(d))} queries")

elif mode == "promql-rules":
    # Every dashboard query as a recording rule, so that promtool parses it.
    d = dashboard()
    print("groups:\n  - name: dashboard-queries\n    rules:")
    for i, (where, e) in enumerate(dashboard_exprs(d)):
        if e.lstrip().startswith("label_values("):
            m = re.match(r"^\s*label_values\((.*),\s*\w+\s*\)\s*$", e)
            if not m:
                continue
            e = m.group(1)
        print(f"      - record: dashboard:query_{i}")
        print(f"        expr: {json.dumps(grafana_to_promql(e))}")

elif mode == "names":
    live_path, source = sys.argv[2], sys.argv[3]
    live, declared = exposed(live_path), declared_in_sources()
    want = {}
    if source == "dashboard":
        for where, e in dashboard_exprs(dashboard()):
            for n in metric_names(e):
                want.setdefault(n, where)
    else:
        for name, r in alert_blocks(read(f"{P}/alerts.yml")).items():
            for n in metric_names(r["expr"]):
                want.setdefault(n, f"rule {name}")
    only_declared = []
    for n, where in sorted(want.items()):
        if n in SYNTHETIC or n in live:
            continue
        if n in declared:
            only_declared.append(n)
        else:
            failures.append(f"{n} (queried by {where}) is neither in the live exposition nor declared in Sources/")
    print(f"{len(want)} names queried; live exposition has {len(live)} sample names")
    if only_declared:
        print("declared in Sources/ but not in the live exposition (not wired into this binary yet?): " + ", ".join(only_declared))

for f in failures:
    print(f)
sys.exit(1 if failures else 0)
PY
kit() { python3 "$TMP/kit.py" "$@"; }

quiet "dashboard $G/kvstore.json is valid JSON" python3 -m json.tool "$G/kvstore.json"
check "scrape job: kvstore, /api/v1/metrics, 15s, loads alerts.yml; docker and cluster copies differ only in targets" kit scrape-config
check "every alert rule has for, severity, summary, description; built-in rules covered; >= 3 unit-tested" kit rules
check "dashboard: datasource variable used everywhere, unique ids, required panels" kit dashboard
kit promql-rules >"$TMP/dashboard-rules.yml" || true
quiet "every dashboard query parses (promtool check rules)" promtool check rules "$TMP/dashboard-rules.yml"

# ---- the live exposition -----------------------------------------------------------------
: >"$TMP/metrics.txt"
if [[ -x $BINARY ]]; then
    PORT=$(free_port)
    # snapshots.dir exists only in newer binaries; an unknown key stops start-up
    extra=()
    if "$BINARY" --set no.such.key=1 2>&1 | grep -q 'snapshots\.dir'; then extra+=(--set "snapshots.dir=$TMP/snapshots"); fi
    "$BINARY" --data-dir "$TMP/data" --host "$HOST" --port "$PORT" --log-level warning "${extra[@]}" \
        >"$TMP/kvstore.log" 2>&1 &
    KV_PID=$!
    PIDS+=("$KV_PID")
    wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$PORT/health"
    # one request of each kind, so that every labelled family has samples
    curl -sf -o /dev/null -X PUT --data-binary v "http://$HOST:$PORT/api/v1/kv/k" || true
    curl -sf -o /dev/null "http://$HOST:$PORT/api/v1/kv/k" || true
    curl -sf -o /dev/null "http://$HOST:$PORT/api/v1/kv?limit=1" || true
    curl -sf -o /dev/null "http://$HOST:$PORT/api/v1/metrics" || true
    sleep 1.5 # let a health round (if any) record its metrics
    curl -sf -o "$TMP/metrics.txt" "http://$HOST:$PORT/api/v1/metrics" || true
    check "live exposition scraped from $BINARY" test -s "$TMP/metrics.txt"
else
    failed=$((failed + 1))
    echo "FAIL live exposition: no executable at $BINARY (names are checked against Sources/ only)"
fi
check "every metric the dashboard queries exists" kit names "$TMP/metrics.txt" dashboard
check "every metric alerts.yml queries exists" kit names "$TMP/metrics.txt" alerts

# ---- container files (static; not run here) --------------------------------------------------
check "Dockerfile: multi-stage swift:6 bookworm → debian:bookworm-slim, static stdlib" \
    bash -c "grep -Eq '^FROM swift:6[.0-9]*-bookworm AS build' Dockerfile && grep -q '^FROM debian:bookworm-slim' Dockerfile && grep -q -- '--static-swift-stdlib' Dockerfile"
check "Dockerfile: non-root user, EXPOSE 8080 2112, volumes /data /snapshots, /livez healthcheck" \
    bash -c "grep -Eq '^USER [a-z]' Dockerfile && ! grep -Eq '^USER (root|0)' Dockerfile && grep -q '^EXPOSE 8080 2112' Dockerfile && grep -q '^VOLUME \[\"/data\", \"/snapshots\"\]' Dockerfile && grep -q 'HEALTHCHECK' Dockerfile && grep -q '/livez' Dockerfile"
check "docker-compose.yml mounts files that exist" python3 - <<'PY'
import os, re, sys
text = open("docker-compose.yml", encoding="utf-8").read()
bad = [m for m in re.findall(r"^\s*- \./([^:]+):", text, re.M) if not os.path.exists(m)]
for m in bad:
    print("     missing:", m)
need = ["kvstore:", "prometheus:", "grafana:", "prometheus.docker.yml", "provisioning/datasources", "provisioning/dashboards", "kvstore.json"]
miss = [n for n in need if n not in text]
for n in miss:
    print("     docker-compose.yml does not mention", n)
sys.exit(1 if bad or miss else 0)
PY
check "docker-compose.cluster.yml: postgres + kvstore-1..3 (distinct node ids, one config) + prometheus.cluster.yml" python3 - <<'PY'
import os, re, sys
text = open("docker-compose.cluster.yml", encoding="utf-8").read()
problems = [f"missing: {m}" for m in re.findall(r"^\s*- \./([^:]+):", text, re.M) if not os.path.exists(m)]
for name in ["postgres:", "kvstore-1:", "kvstore-2:", "kvstore-3:", "prometheus.cluster.yml", "POSTGRES_PASSWORD_FILE",
             "deploy/cluster/kvstore.yaml", "NOT TESTED HERE"]:
    if name not in text:
        problems.append(f"does not mention {name}")
ids = re.findall(r"KVSTORE_NODE_ID:\s*(\S+)", text)
if sorted(ids) != ["kvstore-1", "kvstore-2", "kvstore-3"]:
    problems.append(f"node ids are {ids}, expected kvstore-1, kvstore-2, kvstore-3")
config = open("deploy/cluster/kvstore.yaml", encoding="utf-8").read()
for pattern in [r"^storage:\n(  .*\n)*  engine: postgres$", r'^    hosts: \["postgres:5432"\]$', r"^    database: \S+$",
                r"^    user: \S+$", r"^    password_file: /run/secrets/postgres_password$"]:
    if not re.search(pattern, config, re.M):
        problems.append(f"deploy/cluster/kvstore.yaml does not match {pattern}")
for p in problems:
    print("    ", p)
sys.exit(1 if problems else 0)
PY
check "grafana provisioning: datasource uid prometheus, dashboard provider path matches the compose mount" \
    bash -c "grep -q 'type: prometheus' $G/provisioning/datasources/prometheus.yml && grep -q 'path: /var/lib/grafana/dashboards/kvstore' $G/provisioning/dashboards/kvstore.yml && grep -q ':/var/lib/grafana/dashboards/kvstore/kvstore.json' docker-compose.yml"

echo "check-deploy-kit: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
