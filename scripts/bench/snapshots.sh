#!/usr/bin/env bash
# Benchmark (not a test): bytes and milliseconds per snapshot.
#
#   scripts/bench/snapshots.sh [BINARY]   (default: .build/release/kvstore if it exists and is
#                                          newer than .build/debug/kvstore, else the debug one)
#
# 1. Real metric set, measured on the server: starts kvstore (periodic snapshots effectively
#    off: one an hour), drives some KV traffic over several routes, then takes N (default 50)
#    snapshots with POST /api/v1/snapshots, one after the other. Reports the server's own
#    duration_ms from each answer (mean, median, p90, max), the round trip seen by the client,
#    the server's kvstore_snapshot_duration_seconds summary, and each file's size raw and
#    gzipped (Python gzip, level 6).
# 2. With 1,000 extra series, SYNTHETIC: the server caps series per family and its route label
#    is the route template, so real traffic cannot add 1,000 series. Instead the last real file
#    gets one more counter family with 1,000 series (three labels), is re-encoded the way the
#    server encodes (compact, sorted keys, newline) with Python's json, and its size raw and
#    gzipped is reported. No server time exists for that document; only Python's encode time is
#    shown, labelled as such.
# Goals (docs BENCHMARKS.md): one snapshot <= 5 ms and <= 50 KB (<= 10 KB gzipped) with the real
# metric set.
set -euo pipefail

GIVEN=${1:+$(realpath -m "$1")}   # before the cd below
cd "$(dirname "$0")/../.."
N=${N:-50}
HOST=127.0.0.1
DURATION=1
SLACK=30
START_WAIT=30
NAME=snapshots.sh
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
pick_kvstore_binary "$GIVEN"

[[ -x "$BINARY" ]] || die "no executable at $BINARY (build it: swift build -c release --product kvstore)"
for tool in curl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

PORT=$(free_port)
SNAPS=$TMP/snapshots
"$BINARY" --data-dir "$TMP/data" --host "$HOST" --port "$PORT" --log-level warning \
    --set node.id=bench --set snapshots.dir="$SNAPS" --set snapshots.interval_seconds=3600 \
    --set logging.enable_database_logging=false --set logging.enable_performance_log=false \
    >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$PORT/health"

echo "snapshots: $BINARY, $WHICH"
timeout 300 python3 - "$HOST" "$PORT" "$N" "$SNAPS" <<'PY' || die "the measurement failed (log: $(tail -5 "$TMP/kvstore.log"))"
import gzip, http.client, json, os, statistics, sys, time

host, port, n, snaps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
conn = http.client.HTTPConnection(host, port, timeout=30)

def call(method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    return r.status, r.read(), r

# Some traffic over several routes, methods and codes: the metric set a working server has.
for i in range(300):
    call("PUT", "/api/v1/kv/bench-%d" % i, body=b"x" * (16 + i % 2000))
    call("GET", "/api/v1/kv/bench-%d" % i)
    if i % 10 == 0:
        call("HEAD", "/api/v1/kv/bench-%d" % i)
        call("GET", "/api/v1/kv/missing-%d" % i)
        call("DELETE", "/api/v1/kv/bench-%d" % i)
        call("GET", "/api/v1/kv?prefix=bench-&limit=10")
        call("GET", "/api/v1/stats")
        call("GET", "/health")
        call("GET", "/readyz")
        call("GET", "/api/v1/health")
        call("GET", "/no/such/route")
call("GET", "/api/v1/metrics")
call("GET", "/api/v1/snapshots")

server_ms, client_ms, sizes, gz_sizes, names = [], [], [], [], []
for _ in range(n):
    t0 = time.perf_counter()
    status, body, _ = call("POST", "/api/v1/snapshots")
    client_ms.append((time.perf_counter() - t0) * 1000)
    if status != 201:
        sys.exit("POST /api/v1/snapshots answered %d: %s" % (status, body[:300]))
    doc = json.loads(body)
    server_ms.append(float(doc["duration_ms"]))
    names.append(doc["name"])
for name in names:
    with open(os.path.join(snaps, name), "rb") as f:
        raw = f.read()
    sizes.append(len(raw))
    gz_sizes.append(len(gzip.compress(raw, compresslevel=6)))

_, metrics, _ = call("GET", "/api/v1/metrics")
summary = {}
for line in metrics.decode().splitlines():
    if line.startswith("kvstore_snapshot_duration_seconds"):
        k, v = line.rsplit(" ", 1)
        summary[k] = float(v)

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

with open(os.path.join(snaps, names[-1]), "rb") as f:
    last = json.loads(f.read())
families = len(last["metrics"])
series = sum(len(fam["samples"]) for fam in last["metrics"])

def verdict(value, goal):
    return "meets goal" if value <= goal else "ABOVE goal"

print("real metric set, measured on the server (%d snapshots via POST /api/v1/snapshots):" % n)
print("  metric set: %d families, %d series (last file)" % (families, series))
print("  server duration_ms: mean %.3f  median %.3f  p90 %.3f  max %.3f   (goal <= 5 ms: %s by median)"
      % (statistics.mean(server_ms), statistics.median(server_ms), pct(server_ms, 90), max(server_ms),
         verdict(statistics.median(server_ms), 5)))
print("  client round trip ms: mean %.3f  median %.3f  (includes HTTP)"
      % (statistics.mean(client_ms), statistics.median(client_ms)))
q = {k.split('quantile="')[1].split('"')[0]: v * 1000 for k, v in summary.items() if "quantile" in k}
if q:
    print("  kvstore_snapshot_duration_seconds: %s ms over %d writes"
          % (", ".join("q%s %.3f" % (k, v) for k, v in sorted(q.items())),
             summary.get("kvstore_snapshot_duration_seconds_count", 0)))
print("  file bytes: mean %.0f  median %.0f  max %d   (goal <= 50 KB = 51200: %s)"
      % (statistics.mean(sizes), statistics.median(sizes), max(sizes), verdict(max(sizes), 51200)))
print("  gzip bytes (python, level 6): mean %.0f  median %.0f  max %d   (goal <= 10 KB = 10240: %s)"
      % (statistics.mean(gz_sizes), statistics.median(gz_sizes), max(gz_sizes), verdict(max(gz_sizes), 10240)))

# SYNTHETIC: the last real document plus one counter family with 1,000 series.
extra = {
    "name": "synthetic_extra_requests_total",
    "help": "Synthetic family for the benchmark: 1,000 extra series.",
    "type": "counter",
    "label_names": ["method", "route", "code"],
    "samples": [
        {"labels": {"method": ("GET", "PUT", "DELETE", "POST")[i % 4],
                    "route": "/api/v1/synthetic/route-%03d/{key}" % (i // 4),
                    "code": ("200", "201", "404", "500")[(i // 2) % 4]},
         "value": (i * 7919) % 100000}
        for i in range(1000)
    ],
}
synth = dict(last)
synth["metrics"] = sorted(last["metrics"] + [extra], key=lambda fam: fam["name"])

def encode(doc):
    return (json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n").encode()

base_raw = encode(last)
t0 = time.perf_counter()
for _ in range(20):
    synth_raw = encode(synth)
enc_ms = (time.perf_counter() - t0) / 20 * 1000
synth_gz = len(gzip.compress(synth_raw, compresslevel=6))
print("with 1,000 extra counter series, SYNTHETIC (the last real file + 1 family of 1,000 series, "
      "re-encoded by Python; not written by the server):")
print("  metric set: %d families, %d series" % (families + 1, series + 1000))
print("  bytes %d (real file re-encoded by Python: %d; +%.0f bytes per extra series)   (50 KB goal is for the real set: %s)"
      % (len(synth_raw), len(base_raw), (len(synth_raw) - len(base_raw)) / 1000, verdict(len(synth_raw), 51200)))
print("  gzip bytes (level 6) %d   (10 KB goal is for the real set: %s)" % (synth_gz, verdict(synth_gz, 10240)))
print("  Python json encode: %.3f ms (Python's time, NOT the server's; no server figure for this document)" % enc_ms)
PY
