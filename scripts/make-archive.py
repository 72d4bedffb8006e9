#!/usr/bin/env python3
"""Writes a realistic kvstore snapshot archive (schema kvstore.snapshot/1) for tests and benchmarks.

Usage: scripts/make-archive.py --out DIR [--duration 24h] [--interval 15] [--end RFC3339]
                               [--node NAME] [--seed N] [--restart-at F] [--gap-at F --gap 10m]
                               [--bad-files] [--stale 0] [--cluster 'node-1,node-2:missing,node-3:left']

Every file is one compact JSON document named kvstore-<node>-<sequence>-<time>.json, with the metric
families the server writes (HTTP counters and latency histograms by method/route/code, storage
operations and their durations, the commit batch size histogram, process gauges), a health report of five checks and, now and then, an alert.
--restart-at 0.5 restarts the process half-way (counters and uptime start again); --gap-at 0.7
leaves out --gap of snapshots there (the server was down); --bad-files adds an empty, a truncated,
an unknown-schema and a non-JSON file. --cluster adds the cluster section a node on a shared store
writes: one member per comma-separated name, alive unless ':missing' or ':left' follows it.

A fleet archive is several runs into one folder, one per node (file names carry the node, so
they never collide), e.g. for three nodes, the third stopped 20 minutes ago (stale):

    scripts/make-archive.py --out DIR --node node-1 --seed 1 --incident-at 0.8
    scripts/make-archive.py --out DIR --node node-2 --seed 2 --restart-at 0.5
    scripts/make-archive.py --out DIR --node 'edge <&"3>' --seed 3 --end 2026-11-29T11:40:00Z

Any node id works: the file name carries it as the server writes it (letters, digits, '.', '_'
and '-' kept, anything else '_'), the document carries it unchanged.
"""
import argparse
import datetime as dt
import json
import math
import os
import random
import re
import sys

ROUTES = [("GET", "/api/v1/kv/{key}", 0.55), ("PUT", "/api/v1/kv/{key}", 0.2), ("DELETE", "/api/v1/kv/{key}", 0.05),
          ("GET", "/api/v1/kv", 0.05), ("GET", "/health", 0.1), ("GET", "/api/v1/metrics", 0.05)]
LATENCY_BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]
SIZE_BOUNDS = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576]
BATCH_BOUNDS = [float(1 << power) for power in range(13)]  # KVMetrics.commitBatchSizeBuckets
OPS = ["get", "put", "delete", "list", "commit"]
CHECKS = [("storage", "storage", True), ("memory", "memory", False), ("threads", "threads", False),
          ("disk", "disk", True), ("snapshots", "snapshots", False)]


def duration(text):
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd])", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration such as 90s, 15m, 24h or 7d: {text!r}")
    return float(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


def name_component(node):
    """The node id as the server puts it into file names (SnapshotFileName.nameComponent(forNode:))."""
    if not node:
        return "node"
    text = "".join(c if (c.isascii() and (c.isalnum() or c in "._-")) else "_" for c in node)
    if text.startswith("."):
        text = "_" + text[1:]
    return text[:64]


def rfc3339(seconds):
    moment = dt.datetime.fromtimestamp(round(seconds, 3), tz=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def compact(seconds):
    moment = dt.datetime.fromtimestamp(round(seconds, 3), tz=dt.timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%S.") + f"{moment.microsecond // 1000:03d}Z"


class Server:
    """The cumulative state of one server process."""

    def __init__(self, rng, start):
        self.rng = rng
        self.start = start
        self.requests = {}   # (method, route, code) -> count
        self.latency = {}    # (method, route) -> [bucket counts], sum, count
        self.sizes = {}
        self.batches = {}    # () -> [bucket counts], sum, count: writes per commit (group commit)
        self.ops = {op: 0 for op in OPS}
        self.op_errors = {op: 0 for op in OPS}
        self.op_latency = {op: [[0] * (len(LATENCY_BOUNDS) + 1), 0.0, 0] for op in OPS}
        self.cpu = 0.0
        self.keys = 1000 + rng.randint(0, 500)

    def observe(self, table, key, bounds, value):
        entry = table.setdefault(key, [[0] * (len(bounds) + 1), 0.0, 0])
        index = next((i for i, bound in enumerate(bounds) if value <= bound), len(bounds))
        entry[0][index] += 1
        entry[1] += value
        entry[2] += 1

    def advance(self, seconds, now, incident):
        rng = self.rng
        day = math.sin((now % 86400) / 86400 * 2 * math.pi) * 0.5 + 1.0
        rate = 40 * day * (1.5 if incident else 1.0)
        total = max(0, int(rng.gauss(rate * seconds, math.sqrt(rate * seconds))))
        # Observations are sampled (at most 120 per interval) and scaled, to keep generation fast.
        samples = min(total, 120)
        weight = total / samples if samples else 0
        for _ in range(samples):
            method, route, _ = rng.choices(ROUTES, weights=[r[2] for r in ROUTES])[0]
            error = rng.random() < (0.08 if incident else 0.004)
            code = "500" if error else ("201" if method == "PUT" else "204" if method == "DELETE" else
                                        ("404" if rng.random() < 0.05 else "200"))
            key = (method, route, code)
            self.requests[key] = self.requests.get(key, 0) + weight
            latency = rng.lognormvariate(math.log(0.002 * (4 if incident else 1)), 0.9)
            self.observe(self.latency, (method, route), LATENCY_BOUNDS, latency)
            self.observe(self.sizes, (method, route), SIZE_BOUNDS, rng.choice(SIZE_BOUNDS) * rng.random())
            op = "put" if method == "PUT" else "delete" if method == "DELETE" else "list" if route == "/api/v1/kv" else "get"
            self.ops[op] += 1
            if method != "GET":
                self.ops["commit"] += 1
                # more writes share a commit when traffic is high (group commit)
                self.observe(self.batches, (), BATCH_BOUNDS, rng.randint(1, 4 if incident else 2))
            self.observe(self.op_latency, op, LATENCY_BOUNDS, rng.lognormvariate(math.log(0.0004), 0.7))
            if method != "GET":  # the commit (an fsync) takes longer, more so in an incident
                self.observe(self.op_latency, "commit", LATENCY_BOUNDS,
                             rng.lognormvariate(math.log(0.002 * (3 if incident else 1)), 0.6))
            if method == "PUT":
                self.keys += 1 if rng.random() < 0.6 else 0
            elif method == "DELETE":
                self.keys = max(0, self.keys - 1)
        self.cpu += seconds * 0.05 * day


def histogram_samples(table, bounds, label_names):
    samples = []
    for key in sorted(table):
        counts, total, count = table[key]
        cumulative, buckets = 0, []
        for bound, value in zip(bounds + [math.inf], counts):
            cumulative += value
            buckets.append({"le": bound if bound != math.inf else "+Inf", "count": cumulative})
        samples.append({"labels": dict(zip(label_names, key)), "buckets": buckets, "sum": round(total, 6), "count": count})
    return samples


def family(name, kind, help_text, samples, label_names=(), unit=None):
    result = {"name": name, "type": kind, "help": help_text, "label_names": list(label_names), "samples": samples}
    if unit:
        result["unit"] = unit
    return result


def gauge(name, value, help_text, unit=None):
    return family(name, "gauge", help_text, [{"labels": {}, "value": value}], unit=unit)


def cluster_section(spec, now, interval):
    """The `cluster` section for --cluster 'a,b:missing,c:left' at `now`."""
    members = []
    for index, item in enumerate(part for part in spec.split(",") if part):
        name, _, state = item.rpartition(":") if item.endswith((":missing", ":left", ":alive")) else (item, "", "alive")
        seen = {"alive": now - interval / 3, "missing": now - 6 * interval, "left": now - 40 * interval}[state]
        members.append({"node": name, "url": f"http://10.0.0.{index + 1}:8080", "version": "0.4.0", "state": state,
                        "health": {"alive": "healthy", "missing": "degraded", "left": "healthy"}[state],
                        "started_at": rfc3339(now - 3600 - 600 * index), "last_seen": rfc3339(seen)})
    return {"members": sorted(members, key=lambda member: member["node"])}


def snapshot(server, sequence, now, node, incident, rng, since=None):
    uptime = now - server.start
    memory = 48 * 2**20 + server.keys * 900 + rng.randint(0, 2**20) + (30 * 2**20 if incident else 0)
    threads = 9 + rng.randint(0, 3)
    size = 4096 * (200 + server.keys // 8)
    requests = [{"labels": {"method": m, "route": r, "code": c}, "value": round(v)}
                for (m, r, c), v in sorted(server.requests.items())]
    metrics = [
        family("kvstore_build_info", "gauge", "Always 1.", [{"labels": {"version": "0.4.0", "revision": "abc1234",
                                                                        "swift_version": "6.3.1"}, "value": 1}],
               ["version", "revision", "swift_version"]),
        family("kvstore_http_requests_total", "counter", "HTTP requests completed.", requests, ["method", "route", "code"]),
        gauge("kvstore_http_requests_in_flight", rng.randint(0, 4), "HTTP requests in flight."),
        family("kvstore_http_response_size_bytes", "histogram", "Response sizes.",
               histogram_samples(server.sizes, SIZE_BOUNDS, ["method", "route"]), ["method", "route"], "bytes"),
        gauge("kvstore_memory_usage_bytes", memory, "Resident memory.", "bytes"),
        family("kvstore_request_duration_seconds", "histogram", "Time to serve an HTTP request.",
               histogram_samples(server.latency, LATENCY_BOUNDS, ["method", "route"]), ["method", "route"], "seconds"),
        family("kvstore_storage_commit_batch_size", "histogram", "Writes committed together in one storage transaction.",
               histogram_samples(server.batches, BATCH_BOUNDS, [])),
        family("kvstore_storage_errors_total", "counter", "Failed storage operations.",
               [{"labels": {"op": op}, "value": server.op_errors[op]} for op in OPS], ["op"]),
        gauge("kvstore_storage_keys", server.keys, "Keys stored."),
        gauge("kvstore_storage_map_size_bytes", 2**30, "LMDB map size.", "bytes"),
        family("kvstore_storage_operation_duration_seconds", "histogram", "Storage operation time.",
               histogram_samples({(op,): v for op, v in server.op_latency.items()}, LATENCY_BOUNDS, ["op"]), ["op"], "seconds"),
        family("kvstore_storage_operations_total", "counter", "Storage operations.",
               [{"labels": {"op": op}, "value": server.ops[op]} for op in OPS], ["op"]),
        gauge("kvstore_storage_quota_bytes", 2**29, "Storage quota.", "bytes"),
        gauge("kvstore_storage_size_bytes", size, "Bytes used by the database.", "bytes"),
        gauge("kvstore_threads", threads, "OS threads."),
        family("process_cpu_seconds_total", "counter", "CPU time.", [{"labels": {}, "value": round(server.cpu, 3)}],
               unit="seconds"),
        gauge("process_max_fds", 1048576, "Max fds."),
        gauge("process_open_fds", 20 + rng.randint(0, 10), "Open fds."),
        gauge("process_resident_memory_bytes", memory, "Resident memory size in bytes.", "bytes"),
        gauge("process_start_time_seconds", round(server.start, 3), "Start time.", "seconds"),
        gauge("process_virtual_memory_bytes", memory * 8, "Virtual memory.", "bytes"),
    ]
    checks = {}
    for name, kind, critical in CHECKS:
        status = "healthy"
        message = f"{name} ok"
        if incident and name in ("memory", "storage"):
            status, message = ("degraded", f"{name} under pressure") if name == "memory" else ("unhealthy", "commit failed: disk I/O error")
        checks[name] = {"name": name, "kind": kind, "status": status, "message": message,
                        "duration_ms": round(rng.uniform(0.05, 3.0), 3), "details": {"value": rng.randint(0, 100)},
                        "critical": critical, "time": rfc3339(now - rng.uniform(0, 5)), "consecutive_failures": 0}
    counts = {s: sum(1 for c in checks.values() if c["status"] == s) for s in ("healthy", "degraded", "unhealthy")}
    overall = "unhealthy" if counts["unhealthy"] else "degraded" if counts["degraded"] else "healthy"
    alerts = []
    if incident:
        # Pending for its first 2 minutes (the rule's `for`), then firing; the value it tested against 0.05.
        alerts.append({"name": "HighErrorRate", "severity": "critical", "state": "pending" if since < 120 else "firing",
                       "active_since": rfc3339(now - since), "value": round(0.06 + 0.04 * rng.random(), 4), "threshold": 0.05,
                       "summary": "More than 5% of requests fail", "description": "5xx share above 5% for 2 minutes",
                       "labels": {"route": "/api/v1/kv/{key}"}})
    # Every rule's value at this evaluation, as the server writes them: the incident's error share
    # climbs towards the threshold before the alert goes pending.
    error_share = round(0.06 + 0.04 * rng.random(), 4) if incident else round(0.004 + 0.002 * rng.random(), 4)
    if not incident and since is not None and -300 <= since < 0:
        error_share = round(0.01 + 0.035 * (since + 300) / 300, 4)
    rule_values = [{"name": "HighErrorRate", "value": alerts[0]["value"] if alerts else error_share, "threshold": 0.05}] + [
        {"name": name, "value": value, "threshold": threshold} for name, value, threshold in (
            ("KVStoreUnhealthy", 2 if overall == "unhealthy" else 1 if overall == "degraded" else 0, 2),
            ("KVStoreDegraded", 1 if overall == "degraded" else 0, 1),
            ("KVStoreCriticalCheckFailing", 0, 0), ("KVStoreHighLatencyP99", round(0.002 * (4 if incident else 1), 4), 0.25),
            ("KVStoreMemoryHigh", round(memory / 2**30, 4), 0.9), ("KVStoreStorageNearQuota", round(size / 2**33, 6), 0.9),
            ("KVStoreSnapshotsFailing", 0, 0), ("KVStoreClusterMemberMissing", 0, 0))]
    return {
        "schema": "kvstore.snapshot/1", "sequence": sequence, "node_id": node, "time": rfc3339(now), "version": "0.4.0",
        "uptime_seconds": round(uptime, 3),
        "health": {"status": overall, "version": "0.4.0", "uptime_seconds": round(uptime, 3), "checks": checks,
                   "summary": {"total": len(checks), **counts},
                   "system": {"swift_version": "6.3.1", "os": "Linux", "cpu_count": 2, "memory_total_bytes": 8 * 2**30,
                              "resident_memory_bytes": memory, "threads": threads, "pid": 4242, "hostname": node},
                   "time": rfc3339(now)},
        "metrics": metrics,
        "storage": {"engine": "lmdb", "entries": server.keys, "bytes_on_disk": size, "bytes_in_use": size,
                    "map_size_bytes": 2**30, "quota_bytes": 2**29, "page_size": 4096, "durability": "fsync"},
        "alerts": alerts,
        "rule_values": rule_values,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--duration", type=duration, default=duration("1h"))
    parser.add_argument("--interval", type=float, default=15.0)
    parser.add_argument("--end", help="time of the newest snapshot (RFC 3339); default now")
    parser.add_argument("--node", default="node-1")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--restart-at", type=float)
    parser.add_argument("--gap-at", type=float)
    parser.add_argument("--gap", type=duration, default=duration("10m"))
    parser.add_argument("--incident-at", type=float, help="fraction of the window where a 10-minute incident starts")
    parser.add_argument("--bad-files", action="store_true")
    parser.add_argument("--cluster", help="members of a shared store: 'node-1,node-2:missing,node-3:left'")
    args = parser.parse_args()

    end = dt.datetime.fromisoformat(args.end.replace("Z", "+00:00")).timestamp() if args.end else dt.datetime.now(dt.timezone.utc).timestamp()
    end = math.floor(end)
    count = int(args.duration // args.interval) + 1
    start = end - (count - 1) * args.interval
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    server = Server(rng, start - 600)
    restarted = False
    down = False
    written = 0
    for index in range(count):
        now = start + index * args.interval
        fraction = index / max(count - 1, 1)
        if args.gap_at is not None and args.gap_at * args.duration <= now - start < args.gap_at * args.duration + args.gap:
            down = True
            continue
        if down:  # the server was down: it comes back as a new process
            server = Server(rng, now - args.interval)
            server.keys = 1500
            down = False
        if args.restart_at is not None and not restarted and fraction >= args.restart_at:
            server = Server(rng, now - args.interval)
            server.keys = max(server.keys, 1200)
            restarted = True
        since = now - (start + args.incident_at * args.duration) if args.incident_at is not None else None
        incident = since is not None and 0 <= since < 600
        if index:
            server.advance(args.interval, now, incident)
        document = snapshot(server, index + 1, now, args.node, incident, rng, since)
        if args.cluster:
            document["cluster"] = cluster_section(args.cluster, now, args.interval)
        name = f"kvstore-{name_component(args.node)}-{index + 1:012d}-{compact(now)}.json"
        with open(os.path.join(args.out, name), "w") as handle:
            handle.write(json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n")
        written += 1
    if args.bad_files:
        base = f"kvstore-{name_component(args.node)}-"
        bad = {
            f"{base}{count + 1:012d}-{compact(end + 1)}.json": "",
            f"{base}{count + 2:012d}-{compact(end + 2)}.json": '{"schema":"kvstore.snapshot/1","sequence":',
            f"{base}{count + 3:012d}-{compact(end + 3)}.json": '{"schema":"kvstore.snapshot/99"}\n',
            "notes.txt": "not a snapshot\n",
        }
        for name, text in bad.items():
            with open(os.path.join(args.out, name), "w") as handle:
                handle.write(text)
    print(f"wrote {written} snapshots to {args.out}" + (" (+4 bad files)" if args.bad_files else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
