#!/usr/bin/env bash
# Test (run by `make test`): kvstore scraped by a real Prometheus with the shipped deploy kit.
#
#   scripts/check-prometheus.sh [BINARY]      (default .build/debug/kvstore)
#
# Starts on free loopback ports: a python3 http.server standing in for an upstream service;
# kvstore with a separate metrics listener and that server as a critical health dependency
# (checked every second, one failure turns it unhealthy); and the Debian `prometheus` with a
# copy of deploy/prometheus/prometheus.yml and alerts.yml in which only the target, the scrape
# and evaluation intervals (1 s) and the rules' `for` (1 s) are rewritten. It drives traffic,
# then asks Prometheus's HTTP API: the target is up; our families are there;
# rate(kvstore_http_requests_total[1m]) > 0; every rule is loaded and evaluates without error;
# every dashboard query evaluates; the server is seen healthy. Then it kills the upstream:
# KVStoreUnhealthy and KVStoreCriticalCheckFailing{check="upstream"} must fire; then it
# stops kvstore: KVStoreDown must fire. Every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

BINARY=${1:-.build/debug/kvstore}
HOST=127.0.0.1
START_WAIT=30   # seconds for each process to start answering
WAIT=30         # seconds for each condition in Prometheus
NAME=check-prometheus.sh
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

command -v prometheus >/dev/null || die "prometheus is not installed (Debian package prometheus; run scripts/setup.sh test)"
command -v python3 >/dev/null || die "python3 is not installed"
command -v curl >/dev/null || die "curl is not installed"
[[ -x "$BINARY" ]] || die "no executable at $BINARY"

passed=0
failed=0
check() { # DESCRIPTION COMMAND...: the command's output is not shown (put it in DESCRIPTION)
    if "${@:2}" >/dev/null 2>&1; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

PORT=$(free_port)
METRICS_PORT=$(free_port)
UPSTREAM_PORT=$(free_port)
PROM_PORT=$(free_port)
PROM="http://$HOST:$PROM_PORT"

# ---- the upstream dependency ---------------------------------------------------------------
mkdir -p "$TMP/upstream"
echo ok >"$TMP/upstream/index.html"
python3 -m http.server "$UPSTREAM_PORT" --bind "$HOST" --directory "$TMP/upstream" >"$TMP/upstream.log" 2>&1 &
UPSTREAM_PID=$!
PIDS+=("$UPSTREAM_PID")
wait_for upstream "$UPSTREAM_PID" curl -sf "http://$HOST:$UPSTREAM_PORT/"

# ---- kvstore -------------------------------------------------------------------------------
# Health and snapshot keys exist only in binaries with the health wiring; an unknown key stops
# start-up, so ask the binary which keys it knows (its error message lists them).
KEYS=$("$BINARY" --set no.such.key=1 2>&1 || true)
has_key() { grep -q "[ ,(]$1[,)]" <<<"$KEYS"; }
args=(--data-dir "$TMP/data" --host "$HOST" --port "$PORT" --log-level warning --set metrics.port="$METRICS_PORT")
HEALTH=1
if has_key health.dependencies; then
    args+=(--set "health.dependencies=[{\"name\":\"upstream\",\"url\":\"http://$HOST:$UPSTREAM_PORT/\",\"critical\":true,\"timeout_seconds\":0.5}]"
           --set health.interval_seconds=1 --set health.failure_threshold=1 --set health.success_threshold=1
           --set health.disk_min_free_bytes=1MiB)
else
    HEALTH=0
    echo "note: $BINARY has no health.* settings (health wiring not in this build); the health and alert checks will fail"
fi
has_key snapshots.dir && args+=(--set "snapshots.dir=$TMP/snapshots" --set snapshots.interval_seconds=1)
"$BINARY" "${args[@]}" >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$PORT/health"
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$METRICS_PORT/health"

# ---- prometheus, with the shipped config rewritten -------------------------------------------
mkdir -p "$TMP/prom"
python3 - "$TMP/prom" "$HOST:$METRICS_PORT" <<'PY'
import re, sys
out, target = sys.argv[1], sys.argv[2]
config = open("deploy/prometheus/prometheus.yml", encoding="utf-8").read()
n_target = config.count('"localhost:8080"')
config = config.replace('"localhost:8080"', f'"{target}"')
config = re.sub(r"^(\s*)(scrape_interval|evaluation_interval): 15s$", r"\1\2: 1s", config, flags=re.M)
config = re.sub(r"^(\s*)scrape_timeout: \d+s$", r"\1scrape_timeout: 1s", config, flags=re.M)
rules = open("deploy/prometheus/alerts.yml", encoding="utf-8").read()
n_for = len(re.findall(r"^\s*for: \S+$", rules, flags=re.M))
rules = re.sub(r"^(\s*)for: \S+$", r"\1for: 1s", rules, flags=re.M)
if n_target != 1 or n_for == 0:
    sys.exit(f"rewriting the shipped config failed: {n_target} targets, {n_for} for: lines")
open(f"{out}/prometheus.yml", "w").write(config)
open(f"{out}/alerts.yml", "w").write(rules)
open(f"{out}/slo.yml", "w").write(open("deploy/prometheus/slo.yml", encoding="utf-8").read())
PY
prometheus --config.file="$TMP/prom/prometheus.yml" --storage.tsdb.path="$TMP/prom/data" \
    --web.listen-address="$HOST:$PROM_PORT" --log.level=warn >"$TMP/prometheus.log" 2>&1 &
PROM_PID=$!
PIDS+=("$PROM_PID")
wait_for prometheus "$PROM_PID" curl -sf "$PROM/-/ready"

# q.py MODE ...: reads Prometheus's HTTP API (stdlib only)
cat >"$TMP/q.py" <<'PY'
import json, re, sys, urllib.parse, urllib.request
base, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]

def get(path, **params):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=5) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise SystemExit(f"{path}: {body}")
    return body["data"]

def query(expr):
    return get("/api/v1/query", query=expr)["result"]

if mode == "value":          # prints the first sample's value; exit 1 if there is none
    res = query(args[0])
    if not res:
        sys.exit(1)
    print(res[0]["value"][1])
elif mode == "positive":     # exit 0 if the first sample's value is > 0
    res = query(args[0])
    sys.exit(0 if res and float(res[0]["value"][1]) > 0 else 1)
elif mode == "names":        # which of the given sample names Prometheus has for job kvstore
    have = {r["metric"]["__name__"] for r in query('count by (__name__) ({job="kvstore"})')}
    missing = [n for n in args if n not in have]
    print("missing: " + ", ".join(missing) if missing else f"all {len(args)} present")
    sys.exit(1 if missing else 0)
elif mode == "rules":        # every expected alert rule loaded, evaluated, no error
    rules = {r["name"]: r for g in get("/api/v1/rules")["groups"] for r in g["rules"] if r["type"] == "alerting"}
    missing = [n for n in args if n not in rules]
    unevaluated = [n for n, r in rules.items() if r.get("lastEvaluation", "").startswith("0001")]
    bad = [f'{n}: {r.get("lastError")}' for n, r in rules.items() if r.get("health") == "err"]
    print(f"{len(rules)} alerting rules loaded" + "".join(f"; {k}: {v}" for k, v in
          (("missing", missing), ("not evaluated yet", unevaluated), ("errors", bad)) if v))
    sys.exit(1 if missing or unevaluated or bad else 0)
elif mode == "firing":       # exit 0 if alert args[0] fires with the labels args[1:] (k=v)
    want = dict(a.split("=", 1) for a in args[1:])
    for a in get("/api/v1/alerts")["alerts"]:
        if a["labels"].get("alertname") == args[0] and a["state"] == "firing" \
                and all(a["labels"].get(k) == v for k, v in want.items()):
            sys.exit(0)
    sys.exit(1)
elif mode == "alerts":       # prints every alert and its state
    for a in get("/api/v1/alerts")["alerts"]:
        labels = ",".join(f"{k}={v}" for k, v in sorted(a["labels"].items()) if k not in ("alertname",))
        print(f'  {a["labels"].get("alertname")}{{{labels}}} {a["state"]}')
elif mode == "dashboard":    # every dashboard query evaluates; prints the empty ones
    d = json.load(open("deploy/grafana/kvstore.json", encoding="utf-8"))
    def panels(ps):
        for p in ps:
            yield p
            yield from panels(p.get("panels", []))
    errors, empty, total = [], [], 0
    for p in panels(d["panels"]):
        for t in p.get("targets", []):
            e = t["expr"].replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h")
            e = re.sub(r"\$\{?\w+\}?", ".+", e)
            total += 1
            try:
                if not query(e):
                    empty.append(f'"{p["title"]}" {t["refId"]}')
            except Exception as x:  # an HTTP 400 is a query Prometheus refused
                errors.append(f'"{p["title"]}" {t["refId"]}: {x}')
    print(f"{total} queries, {total - len(errors)} evaluated, {len(empty)} empty" +
          (": " + ", ".join(empty) if empty else ""))
    for e in errors:
        print("  error:", e)
    sys.exit(1 if errors else 0)
PY
q() { python3 "$TMP/q.py" "$PROM" "$@"; }
# until_ok SECONDS COMMAND...: poll COMMAND every 0.5 s until it succeeds or the time is up
until_ok() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

traffic() { # N: N rounds of PUT, GET, a 404 and a listing
    local i
    for i in $(seq "$1"); do
        curl -s -o /dev/null -X PUT --data-binary "value-$i" "http://$HOST:$PORT/api/v1/kv/key-$i"
        curl -s -o /dev/null "http://$HOST:$PORT/api/v1/kv/key-$i"
        curl -s -o /dev/null "http://$HOST:$PORT/api/v1/kv/missing-$i"
        curl -s -o /dev/null "http://$HOST:$PORT/api/v1/kv?limit=5"
    done
}

# ---- scrapes while traffic flows -------------------------------------------------------------
traffic 20
until_ok "$WAIT" q value 'up{job="kvstore"} == 1' || true
traffic 20
sleep 2   # at least two scrapes after the traffic, so that rate() sees the increase
traffic 10
sleep 1.5

check "target up{job=\"kvstore\"} == 1" until_ok "$WAIT" q value 'up{job="kvstore"} == 1'
check "our families are in Prometheus ($(q names kvstore_http_requests_total kvstore_request_duration_seconds_bucket \
    kvstore_storage_operations_total kvstore_storage_keys kvstore_build_info process_resident_memory_bytes \
    kvstore_threads 2>&1 || true))" \
    q names kvstore_http_requests_total kvstore_request_duration_seconds_bucket kvstore_storage_operations_total \
        kvstore_storage_keys kvstore_build_info process_resident_memory_bytes kvstore_threads
check "rate(kvstore_http_requests_total[1m]) > 0 (sum: $(q value 'sum(rate(kvstore_http_requests_total{job="kvstore"}[1m]))' 2>/dev/null || echo none) req/s)" \
    until_ok "$WAIT" q positive 'sum(rate(kvstore_http_requests_total{job="kvstore"}[1m]))'
RULES=(KVStoreDown KVStoreUnhealthy KVStoreDegraded KVStoreCriticalCheckFailing KVStoreHighErrorRatio
       KVStoreHighLatencyP99 KVStoreMemoryHigh KVStoreStorageNearQuota KVStoreSnapshotsFailing KVStoreSnapshotsStale)
until_ok "$WAIT" q rules "${RULES[@]}" || true
check "rules loaded and evaluated without error ($(q rules "${RULES[@]}" 2>&1 || true))" q rules "${RULES[@]}"
check "every dashboard query evaluates ($(q dashboard 2>&1 | head -1 || true))" q dashboard
q dashboard 2>&1 | sed -n '2,$p' || true
echo "     alerts now (none expected but perhaps latency on a slow machine):"; q alerts || true
# ---- fidelity: the generator's maths against Prometheus over the same window --------------------
# Steady traffic for 30 s; then, for the 20 s window ending a second ago, the request rate and p99
# that kvstore-dashboard computes from our snapshots must agree with Prometheus' rate() and
# histogram_quantile() within 10%.
DASHBOARD_BIN="$(dirname "$BINARY")/kvstore-dashboard"
if [[ -x $DASHBOARD_BIN ]] && has_key snapshots.dir; then
    cat >"$TMP/steady.py" <<'PY'
import http.client, sys, time
host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
conn = http.client.HTTPConnection(host, port, timeout=5)
end, i = time.monotonic() + seconds, 0
while time.monotonic() < end:
    i += 1
    if i % 4 == 0:
        conn.request("PUT", f"/api/v1/kv/steady-{i % 100}", body=b"x" * 64)
    else:
        conn.request("GET", f"/api/v1/kv/steady-{i % 100}")
    conn.getresponse().read()
    time.sleep(0.004)
PY
    python3 "$TMP/steady.py" "$HOST" "$PORT" 30 &
    STEADY=$!
    sleep 26
    T1=$(python3 -c 'import datetime; print((datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")')
    T0=$(python3 -c "import datetime; t=datetime.datetime.strptime('$T1','%Y-%m-%dT%H:%M:%S.%fZ'); print((t - datetime.timedelta(seconds=20)).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z')")
    sleep 2.5
    wait "$STEADY" 2>/dev/null || true
    OURS=$("$DASHBOARD_BIN" summary --snapshots "$TMP/snapshots" --from "$T0" --to "$T1" 2>&1 || true)
    cat >"$TMP/fidelity.py" <<'PY'
import json, sys, urllib.parse, urllib.request, datetime
prom, t1, ours, which = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
ts = datetime.datetime.strptime(t1, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()
expr = {
    "rate": 'sum(rate(kvstore_http_requests_total{job="kvstore"}[20s]))',
    "p99": 'histogram_quantile(0.99, sum by (le) (rate(kvstore_request_duration_seconds_bucket{job="kvstore"}[20s])))',
}[which]
url = prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": ts})
result = json.load(urllib.request.urlopen(url, timeout=5))["data"]["result"]
theirs = float(result[0]["value"][1]) if result else float("nan")
mine = ours["request_rate" if which == "rate" else "p99_seconds"]
diff = abs(mine - theirs) / theirs if mine is not None and theirs == theirs and theirs > 0 else float("inf")
print(f"generator {mine:.6g} vs Prometheus {theirs:.6g}: {diff * 100:.1f}% apart")
sys.exit(0 if diff <= 0.10 else 1)
PY
    for which in rate p99; do
        line=$(python3 "$TMP/fidelity.py" "$PROM" "$T1" "$OURS" "$which" 2>&1)
        check "fidelity: $which over $T0 .. $T1 within 10% ($line)" python3 "$TMP/fidelity.py" "$PROM" "$T1" "$OURS" "$which"
    done
else
    fail "fidelity: $DASHBOARD_BIN (kvstore-dashboard) not built next to $BINARY"
fi


# ---- the critical dependency dies: unhealthy -------------------------------------------------
if ((HEALTH)) && until_ok "$WAIT" q names kvstore_health_status kvstore_health_check_status; then
    check "health metrics in Prometheus (kvstore_health_status, kvstore_health_check_status)" true
    check "Prometheus sees kvstore healthy before the upstream dies" \
        until_ok "$WAIT" q value 'kvstore_health_status{job="kvstore", state="healthy"} == 1'
    check "KVStoreUnhealthy does not fire while healthy" bash -c "! python3 '$TMP/q.py' '$PROM' firing KVStoreUnhealthy"
    kill "$UPSTREAM_PID" 2>/dev/null || true
    wait "$UPSTREAM_PID" 2>/dev/null || true
    echo "     killed the upstream at $(date -u +%H:%M:%SZ)"
    start=$SECONDS
    check "KVStoreUnhealthy fires after the critical dependency dies" until_ok "$WAIT" q firing KVStoreUnhealthy
    check "KVStoreCriticalCheckFailing{check=\"upstream\"} fires" until_ok "$WAIT" q firing KVStoreCriticalCheckFailing check=upstream
    echo "     $((SECONDS - start)) s after the kill; /api/v1/alerts:"
    q alerts || true
    check "the failing check's alert names no other check" \
        bash -c "! python3 '$TMP/q.py' '$PROM' alerts | grep 'KVStoreCriticalCheckFailing' | grep -v 'check=upstream' | grep -q firing"
elif ((HEALTH)); then
    fail "health metrics in Prometheus: $BINARY accepts health.* but exports no kvstore_health_status / kvstore_health_check_status (health metrics not wired in this build)"
    fail "KVStoreUnhealthy / KVStoreCriticalCheckFailing fire after the critical dependency dies: not testable without the health metrics"
else
    fail "health metrics in Prometheus: $BINARY has no health.* settings (health wiring not in this build)"
    fail "KVStoreUnhealthy / KVStoreCriticalCheckFailing fire after the critical dependency dies: not testable without the health wiring"
fi

# ---- kvstore stops: down ---------------------------------------------------------------------
kill "$KV_PID" 2>/dev/null || true
wait "$KV_PID" 2>/dev/null || true
check "KVStoreDown fires after kvstore stops" until_ok "$WAIT" q firing KVStoreDown job=kvstore

if ((failed)); then
    echo "--- kvstore log (tail)"; tail -20 "$TMP/kvstore.log" || true
    echo "--- prometheus log (tail)"; tail -20 "$TMP/prometheus.log" || true
fi
echo "check-prometheus: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
