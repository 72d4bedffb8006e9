#!/usr/bin/env python3
"""Storage faults: an I/O error on commit or fsync, or a failed map resize, makes the store
read-only until restart, loudly and without a crash.

The real LMDB under the real server, with scripts/powercut/powercut.c loaded (LD_PRELOAD) to
make fsync/fdatasync of data.mdb fail with EIO, or mmap of it fail with ENOMEM, while a trigger
file exists. Checked:
  - always mode, fsync fails: the PUT in flight and every later write get 503
    storage_read_only; reads and listings keep working; /readyz fails with the error text,
    /livez stays 200; kvstore_storage_read_only is 1; exactly one error log line; still
    read-only after the disk recovers; after a restart writes work and nothing was lost;
  - batched mode: the periodic sync's error is not dropped: writes turn 503 storage_read_only;
  - the map resize fails (mmap ENOMEM while growing): writes get 503 storage_read_only, reads
    get 503 storage_unavailable (never a crash: LMDB has no map left), the process stays up;
  - statistics read while the map is being resized (each mmap slowed to 300 ms) never touch
    the unmapped meta pages: every /api/v1/stats answers 200 and the server stays up.

Usage: python3 scripts/check_storage_faults.py --binary .build/debug/kvstore
Prints one line per check and "P passed, F failed"; exit status 0 only when all passed.
"""

import argparse
import http.client
import json
import os
import shutil
import sys
import tempfile
import threading
import time

from kvserver import HOST, KVServerProcess
from power_cut_test import build_library

results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print("%s %s%s" % ("ok  " if ok else "FAIL", name, "" if ok else ": " + detail), flush=True)


def request(port, method, path, body=None):
    """(status, body); (0, reason) when the connection failed (a crashed server)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request(method, path, body=body)
        resp = conn.getresponse()
        return resp.status, resp.read()
    except (OSError, http.client.HTTPException) as e:
        return 0, ("no answer: %s" % e).encode()
    finally:
        conn.close()


def error_code(body):
    try:
        return json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def wait_for(predicate, seconds=15.0):
    """Polls `predicate` until it returns a true value or `seconds` pass; returns the last value."""
    deadline = time.monotonic() + seconds
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(0.05)
        value = predicate()
    return value


def metric(port, name):
    _, body = request(port, "GET", "/api/v1/metrics")
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def log_lines(server, text):
    with open(server.log_path, "rb") as f:
        return [l for l in f.read().decode("utf-8", "replace").splitlines() if text in l]


def server_for(binary, work, name, library, fault, extra):
    """A server on its own data folder with the library loaded; `fault` adds POWERCUT_* settings."""
    data = os.path.join(work, name)
    os.makedirs(data, exist_ok=True)
    env = dict({"LD_PRELOAD": library, "POWERCUT_FILE": os.path.realpath(data) + "/data.mdb"}, **fault)
    settings = ["--set", "snapshots.dir=" + os.path.join(work, name + "-snapshots"),
                "--set", "dashboard.dir=" + os.path.join(work, name + "-public"),
                "--set", "health.interval_seconds=0.2", "--set", "health.failure_threshold=1"] + extra
    return KVServerProcess(binary, data, work, settings, env=env), data, settings


def fsync_failure(binary, work, library):
    trigger = os.path.join(work, "fail-fsync")
    server, data, settings = server_for(binary, work, "always", library, {"POWERCUT_FAIL_FSYNC_IF": trigger},
                                        ["--durability", "always"])
    ok, msg = server.start()
    check("always: server starts with the library loaded", ok, msg)
    if not ok:
        return
    port = server.port
    check("always: PUT before the fault is 201", request(port, "PUT", "/api/v1/kv/kept", b"v1")[0] == 201)
    open(trigger, "w").close()
    status, body = request(port, "PUT", "/api/v1/kv/lost", b"v2")
    check("always: the PUT whose fsync fails gets 503 storage_read_only",
          status == 503 and error_code(body) == "storage_read_only", "%s %s" % (status, body[:200]))
    check("always: the error names the cause", b"Input/output error" in body, body[:200].decode())
    os.remove(trigger)  # the disk "recovers": the store must stay read-only until restart
    status, body = request(port, "PUT", "/api/v1/kv/later", b"v3")
    check("always: later PUTs get 503 storage_read_only", status == 503 and error_code(body) == "storage_read_only",
          "%s %s" % (status, body[:200]))
    status, body = request(port, "DELETE", "/api/v1/kv/kept")
    check("always: DELETE gets 503 storage_read_only", status == 503 and error_code(body) == "storage_read_only",
          "%s %s" % (status, body[:200]))
    check("always: reads keep working", request(port, "GET", "/api/v1/kv/kept") == (200, b"v1"))
    status, body = request(port, "GET", "/api/v1/kv?prefix=k")
    check("always: listings keep working", status == 200 and b'"kept"' in body, "%s %s" % (status, body[:200]))
    ready = wait_for(lambda: request(port, "GET", "/readyz?verbose")[0] == 503)
    _, verbose = request(port, "GET", "/readyz?verbose")
    check("always: /readyz fails", ready, verbose.decode())
    check("always: /readyz names the read-only store", b"read-only" in verbose, verbose.decode())
    check("always: /livez stays 200", request(port, "GET", "/livez")[0] == 200)
    _, report = request(port, "GET", "/api/v1/health")
    storage = json.loads(report)["checks"].get("storage", {})
    check("always: the storage check is unhealthy with the error text",
          storage.get("status") == "unhealthy" and "Input/output error" in storage.get("message", ""), str(storage))
    check("always: kvstore_storage_read_only is 1", metric(port, "kvstore_storage_read_only") == 1.0)
    lines = log_lines(server, "storage is read-only until restart")
    check("always: exactly one error log line", len(lines) == 1 and "error" in lines[0], "%r" % lines)
    server.stop()
    restarted = KVServerProcess(binary, data, work, settings)
    ok, msg = restarted.start()
    check("always: restarts on the same data", ok, msg)
    if ok:
        check("always: after restart PUT works", request(restarted.port, "PUT", "/api/v1/kv/later", b"v3")[0] == 201)
        check("always: the acknowledged key survived", request(restarted.port, "GET", "/api/v1/kv/kept") == (200, b"v1"))
        check("always: kvstore_storage_read_only is 0 again", metric(restarted.port, "kvstore_storage_read_only") == 0.0)
        restarted.stop()


def batched_sync_failure(binary, work, library):
    trigger = os.path.join(work, "fail-sync-batched")
    server, _, _ = server_for(binary, work, "batched", library, {"POWERCUT_FAIL_FSYNC_IF": trigger},
                              ["--durability", "batched", "--set", "storage.sync_interval=0.2"])
    ok, msg = server.start()
    check("batched: server starts", ok, msg)
    if not ok:
        return
    port = server.port
    open(trigger, "w").close()
    check("batched: a PUT is acknowledged before its sync", request(port, "PUT", "/api/v1/kv/a", b"1")[0] == 201)
    refused = wait_for(lambda: error_code(request(port, "PUT", "/api/v1/kv/b", b"2")[1]) == "storage_read_only")
    check("batched: a failed periodic sync makes writes 503 storage_read_only", refused)
    check("batched: one error log line", len(log_lines(server, "storage is read-only until restart")) == 1)
    server.stop()


def resize_failure(binary, work, library):
    trigger = os.path.join(work, "fail-mmap")
    server, _, _ = server_for(binary, work, "resize", library, {"POWERCUT_FAIL_MMAP_IF": trigger},
                              ["--durability", "none", "--set", "storage.quota_bytes=512MiB"])
    ok, msg = server.start()
    check("resize: server starts", ok, msg)
    if not ok:
        return
    port = server.port
    check("resize: PUT before the fault is 201", request(port, "PUT", "/api/v1/kv/first", b"x")[0] == 201)
    open(trigger, "w").close()
    value = b"v" * (1 << 20)
    statuses = []
    for n in range(120):  # the 64 MiB map grows past 48 MiB in use
        status, body = request(port, "PUT", "/api/v1/kv/big-%d" % n, value)
        statuses.append(status)
        if status != 201:
            break
    check("resize: writes get 503 storage_read_only once the resize failed",
          statuses[-1] == 503 and error_code(body) == "storage_read_only", "%s %s" % (statuses[-3:], body[:200]))
    status, body = request(port, "GET", "/api/v1/kv/first")
    check("resize: reads get 503 storage_unavailable, not a crash",
          status == 503 and error_code(body) == "storage_unavailable", "%s %s" % (status, body[:200]))
    check("resize: metrics still answer", request(port, "GET", "/api/v1/metrics")[0] == 200)
    check("resize: the process is still up", server.alive())
    check("resize: /livez fails (nothing can be read)",
          wait_for(lambda: request(port, "GET", "/livez")[0] == 503))
    server.stop()


def statistics_during_resize(binary, work, library):
    """Stats, metrics and health read LMDB's meta pages; a resize unmaps them (here for 300 ms)."""
    server, _, _ = server_for(binary, work, "resize-race", library, {"POWERCUT_MMAP_DELAY_US": "300000"},
                              ["--durability", "none", "--set", "storage.quota_bytes=512MiB"])
    ok, msg = server.start()
    check("resize race: server starts", ok, msg)
    if not ok:
        return
    port = server.port
    stop = threading.Event()
    answers = []

    def poll():
        while not stop.is_set():
            answers.append(request(port, "GET", "/api/v1/stats")[0])

    pollers = [threading.Thread(target=poll, daemon=True) for _ in range(2)]
    for t in pollers:
        t.start()
    value = b"r" * (1 << 20)
    before = json.loads(request(port, "GET", "/api/v1/stats")[1])["map_size_bytes"]
    statuses = [request(port, "PUT", "/api/v1/kv/grow-%d" % n, value)[0] for n in range(56)]
    stop.set()
    for t in pollers:
        t.join(15)
    status, body = request(port, "GET", "/api/v1/stats")
    after = json.loads(body)["map_size_bytes"] if status == 200 else 0
    check("resize race: the map grew while stats were read", after > before, "%d -> %d" % (before, after))
    check("resize race: every PUT was stored", statuses == [201] * 56, str(sorted(set(statuses))))
    check("resize race: every stats read answered 200 (none crashed the server)",
          answers and set(answers) == {200}, "%d answers, statuses %s" % (len(answers), sorted(set(answers))))
    check("resize race: the process is still up", server.alive())
    server.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="kvstore-faults-")
    try:
        library = build_library(work)
        binary = os.path.abspath(args.binary)
        fsync_failure(binary, work, library)
        batched_sync_failure(binary, work, library)
        resize_failure(binary, work, library)
        statistics_during_resize(binary, work, library)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (results["passed"], results["failed"]), flush=True)
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
