#!/usr/bin/env python3
"""Snapshot crash test: `kill -9` never leaves a partial snapshot under a final name.

The server runs with `snapshots.interval_seconds` 0.05 on one data folder and one snapshot
folder shared by every life. Each life:
  1. start the server (fixed `node.id`), wait for /health;
  2. a few client threads PUT and GET keys (some KV traffic, so the metric set moves), and
     one takes snapshots with POST /api/v1/snapshots back to back (the kill then often lands
     inside a write, and manual and periodic snapshots race for sequence numbers);
  3. after a random 0.2-1.0 s the server gets SIGKILL;
  4. the snapshot folder is scanned: every final file (`kvstore-*.json`) is non-empty, parses,
     is a complete `kvstore.snapshot/1` document whose sequence, node and time agree with its
     name; the files of this life have sequences above every earlier file; no sequence appears
     twice; no file seen before changed (a file is never overwritten). `.tmp-*` files are
     counted (leftovers of a write cut by the kill are allowed).
At the end two temp files are planted (one of this node, one of another node two minutes
old), the server starts once more, writes at least one snapshot, and is stopped with
SIGTERM: it must exit 0, and no `.tmp-*` file may remain (leftovers from before that start
are removed by it; a clean shutdown leaves none).

If Python's `jsonschema` is importable, every file is also validated against
docs/snapshot.schema.json (otherwise that part is skipped, and the output says so).

Usage: python3 scripts/snapshot_crash_test.py --binary .build/debug/kvstore [--kills 15]
The last line printed is "snapshot-crash-test: N passed, M failed" (checks); exit status 0
only when nothing failed. Python 3 standard library only (jsonschema optional).
"""

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time

from kvserver import HOST, KVServerProcess

NODE = "crash-node"
NAME_RE = re.compile(r"^kvstore-(?P<node>.+)-(?P<seq>\d{12})-(?P<time>\d{8}T\d{6}\.\d{3}Z)\.json$")
REQUIRED = ("schema", "sequence", "node_id", "time", "health", "metrics", "alerts")
SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs",
                           "snapshot.schema.json")


def log(msg):
    print(msg, flush=True)


def load_validator():
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        return None, "python3 module jsonschema not importable: JSON Schema validation skipped"
    try:
        with open(SCHEMA_PATH, encoding="utf-8") as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        return cls(schema), "validating every file against %s" % os.path.normpath(SCHEMA_PATH)
    except Exception as e:  # a broken schema file is a finding, not a crash of the test
        return None, "JSON Schema validation skipped: cannot load %s: %s" % (SCHEMA_PATH, e)


def make_server(binary, data_dir, snap_dir, work_dir):
    """The server under test: snapshots every 50 ms into snap_dir."""
    return KVServerProcess(binary, data_dir, work_dir, [
        "--set", "node.id=" + NODE,
        "--set", "snapshots.dir=" + snap_dir,
        "--set", "snapshots.interval_seconds=0.05",
        "--set", "dashboard.dir=" + os.path.join(work_dir, "public"),
        # One range: at 20 snapshots a second the live dashboard's four default pages (rendered
        # again for every snapshot, and the whole archive loaded at start) keep a debug build busy
        # long enough that SIGTERM waits over 10 s (16 s measured). The test is about the
        # snapshot files; the dashboard's start-up and regeneration cost is its own work.
        "--set", "dashboard.ranges=1h"])


def traffic(port, stop, tag, counts):
    """PUT then GET small keys on one keep-alive connection until stopped or cut off."""
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    n = 0
    try:
        while not stop.is_set():
            key = "%s-%d" % (tag, n % 50)
            n += 1
            try:
                conn.request("PUT", "/api/v1/kv/" + key, body=b"v" * (n % 300))
                r = conn.getresponse()
                r.read()
                conn.request("GET", "/api/v1/kv/" + key)
                g = conn.getresponse()
                g.read()
            except (OSError, http.client.HTTPException):
                return  # the kill cut the connection
            with counts["lock"]:
                counts["ok" if 200 <= r.status < 300 and g.status == 200 else "bad"] += 1
    finally:
        conn.close()


def poster(port, stop, counts):
    """POST /api/v1/snapshots back to back: on top of the periodic writer, so that the kill
    often lands inside a write, and manual and periodic snapshots race for sequence numbers."""
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        while not stop.is_set():
            try:
                conn.request("POST", "/api/v1/snapshots")
                r = conn.getresponse()
                body = r.read()
            except (OSError, http.client.HTTPException):
                return  # the kill cut the connection
            with counts["lock"]:
                if r.status == 201:
                    counts["posted"] += 1
                else:
                    counts["post_bad"].append((r.status, body[:200]))
    finally:
        conn.close()


def check_file(path, validator):
    """Returns (sequence or None, problem or None) for one final snapshot file."""
    name = os.path.basename(path)
    m = NAME_RE.match(name)
    if not m:
        return None, "name does not match kvstore-<node>-<12-digit seq>-<time>.json"
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        return None, "cannot read: %s" % e
    if not raw.strip():
        return None, "EMPTY file (%d bytes)" % len(raw)
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return None, "does not parse (%d bytes): %s" % (len(raw), e)
    if not isinstance(doc, dict):
        return None, "top level is not an object"
    missing = [k for k in REQUIRED if k not in doc]
    if missing:
        return None, "missing top-level keys %s" % missing
    if doc["schema"] != "kvstore.snapshot/1":
        return None, "schema is %r" % doc["schema"]
    seq = int(m.group("seq"))
    if doc["sequence"] != seq:
        return None, "sequence %r in the document, %d in the name" % (doc["sequence"], seq)
    if doc["node_id"] != NODE or m.group("node") != NODE:
        return None, "node %r in the document, %r in the name (expected %r)" % (doc["node_id"], m.group("node"), NODE)
    compact = re.sub(r"[-:]", "", str(doc["time"]))
    if compact != m.group("time"):
        return None, "time %r in the document, %s in the name" % (doc["time"], m.group("time"))
    if not isinstance(doc["health"], dict) or "status" not in doc["health"]:
        return None, "health is not a report"
    if not isinstance(doc["metrics"], list) or not doc["metrics"]:
        return None, "metrics is not a non-empty list"
    if validator is not None:
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            e = errors[0]
            return None, "JSON Schema: %d error(s), first at /%s: %s" % (
                len(errors), "/".join(str(p) for p in e.path), e.message[:200])
    return seq, None


def scan(snap_dir):
    finals, temps = [], []
    for name in os.listdir(snap_dir):
        if name.startswith(".tmp-"):
            temps.append(name)
        elif name.startswith("kvstore-") and name.endswith(".json"):
            finals.append(name)
    return sorted(finals), sorted(temps)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--kills", type=int, default=15)
    ap.add_argument("--min-life", type=float, default=0.2)
    ap.add_argument("--max-life", type=float, default=1.0)
    ap.add_argument("--clients", type=int, default=4, help="KV client threads")
    ap.add_argument("--post-snapshots", type=int, default=1,
                    help="threads taking snapshots with POST /api/v1/snapshots back to back (0: none)")
    ap.add_argument("--timeout", type=float, default=150.0, help="overall time limit, seconds")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    passed = failed = 0

    def result(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
        log("%s %s" % ("ok  " if ok else "FAIL", what))

    binary = os.path.abspath(args.binary)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        log("snapshot-crash-test: no executable at %s (build it first)" % binary)
        log("snapshot-crash-test: 0 passed, 1 failed")
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    validator, vnote = load_validator()
    work = tempfile.mkdtemp(prefix="kvstore-snapcrash-")
    data_dir, snap_dir = os.path.join(work, "data"), os.path.join(work, "snapshots")
    os.mkdir(data_dir)
    os.mkdir(snap_dir)
    server = make_server(binary, data_dir, snap_dir, work)
    done = threading.Event()
    start = time.monotonic()
    deadline = start + args.timeout

    def watchdog():
        if not done.wait(args.timeout + 20):
            log("snapshot-crash-test: overall timeout (%.0f s) exceeded; killing the server" % args.timeout)
            server.kill()
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
            log("snapshot-crash-test: %d passed, %d failed" % (passed, failed + 1))
            os._exit(3)

    threading.Thread(target=watchdog, daemon=True).start()
    def on_sigterm(signum, frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, on_sigterm)

    log("snapshot-crash-test: binary %s, %d kills, lives %.1f-%.1f s, seed %d, folder %s"
        % (binary, args.kills, args.min_life, args.max_life, seed, work))
    log("snapshot-crash-test: " + vnote)

    seen = {}          # name -> (sha256, sequence) of every valid final file seen so far
    bad_seen = set()   # names already reported as bad
    all_seqs = []      # sequences of all lives, in the order of the lives
    max_seq = 0
    try:
        for life in range(1, args.kills + 1):
            if time.monotonic() > deadline:
                result(False, "life %d: overall time limit reached before it started" % life)
                break
            ok, msg = server.start()
            if not ok:
                result(False, "life %d: the server did not start: %s" % (life, msg))
                break
            stop = threading.Event()
            counts = {"ok": 0, "bad": 0, "posted": 0, "post_bad": [], "lock": threading.Lock()}
            clients = [threading.Thread(target=traffic, args=(server.port, stop, "l%dc%d" % (life, c), counts),
                                        daemon=True) for c in range(args.clients)]
            if args.post_snapshots:
                clients += [threading.Thread(target=poster, args=(server.port, stop, counts), daemon=True)
                            for _ in range(args.post_snapshots)]
            for c in clients:
                c.start()
            lifetime = rng.uniform(args.min_life, args.max_life)
            time.sleep(lifetime)
            was_alive = server.alive()
            server.kill()
            stop.set()
            for c in clients:
                c.join(10)

            problems = []
            if not was_alive:
                problems.append("the server had died by itself before the kill (status %s)\n%s"
                                % (server.proc.returncode, server.log_tail()))
            if counts["bad"]:
                problems.append("%d KV request pairs got a non-2xx answer" % counts["bad"])
            if counts["post_bad"]:
                problems.append("%d POST /api/v1/snapshots got a non-201 answer, e.g. %r"
                                % (len(counts["post_bad"]), counts["post_bad"][:2]))
            finals, temps = scan(snap_dir)
            new_seqs = []
            for name in finals:
                path = os.path.join(snap_dir, name)
                if name in seen:
                    try:
                        if digest(path) != seen[name][0]:
                            problems.append("%s changed after it was written (overwritten)" % name)
                    except OSError as e:
                        problems.append("%s: cannot read: %s" % (name, e))
                    continue
                seq, problem = check_file(path, validator)
                if problem:
                    if name not in bad_seen:
                        bad_seen.add(name)
                        problems.append("%s: %s" % (name, problem))
                    continue
                seen[name] = (digest(path), seq)
                new_seqs.append(seq)
            new_seqs.sort()
            below = [s for s in new_seqs if s <= max_seq]
            if below:
                problems.append("sequences %s of this life are not above %d, the highest of earlier lives"
                                % (below[:10], max_seq))
            dups = sorted({s for s in new_seqs if new_seqs.count(s) > 1})
            if dups:
                problems.append("sequences %s appear twice in this life" % dups[:10])
            all_seqs.extend(new_seqs)
            log("life %2d: killed after %.2f s; %d new snapshots (seq %s, %d by POST); %d KV pairs ok; "
                "temp files now %d"
                % (life, lifetime, len(new_seqs),
                   "%d-%d" % (new_seqs[0], new_seqs[-1]) if new_seqs else "none", counts["posted"],
                   counts["ok"], len(temps)))
            if new_seqs:
                max_seq = max(max_seq, new_seqs[-1])
            result(not problems, "life %d: every new final file is a complete snapshot, sequences increase" % life
                   + "".join("\n      " + p for p in problems))

        # Over the whole run.
        finals, temps_before = scan(snap_dir)
        vanished = sorted(set(seen) - set(finals))
        result(not vanished, "no snapshot file disappeared (retention bounds are not reached)"
               + ("; vanished: %s" % vanished[:5] if vanished else ""))
        result(len(all_seqs) == len(set(all_seqs)) and all_seqs == sorted(all_seqs),
               "%d snapshots over %d lives: no sequence twice, strictly increasing across restarts"
               % (len(all_seqs), args.kills))
        result(len(all_seqs) >= args.kills,
               "the lives wrote snapshots at all (%d in all)" % len(all_seqs))

        # Final clean start: leftovers are removed, a SIGTERM leaves nothing half-written.
        log("before the final start: %d temp file(s) left by the kills%s"
            % (len(temps_before), (": " + ", ".join(temps_before[:3]) + (" ..." if len(temps_before) > 3 else ""))
               if temps_before else ""))
        # Plant two leftovers the kills may not have produced (a write is a few ms of every
        # 50): one of this node (removed at start-up) and one of another node, two minutes old
        # (removed as older than 60 s).
        planted = [".tmp-kvstore-%s-000000999999-20260101T000000.000Z.json-0123456789abcdef" % NODE,
                   ".tmp-kvstore-other-node-000000000001-20260101T000000.000Z.json-fedcba9876543210"]
        for i, t in enumerate(planted):
            with open(os.path.join(snap_dir, t), "wb") as f:
                f.write(b'{"schema":"kvstore.snapshot/1","sequ')  # a cut-off write
            if i == 1:
                old_time = time.time() - 120
                os.utime(os.path.join(snap_dir, t), (old_time, old_time))
        temps_before = sorted(set(temps_before) | set(planted))
        log("planted 2 temp files (this node's, fresh; another node's, 2 minutes old)")
        time.sleep(0.05)
        final_start_wall = time.time()
        ok, msg = server.start()
        if not ok:
            result(False, "final start: the server did not start: %s" % msg)
        else:
            # wait for at least one snapshot of this life (it removes the node's temp files first)
            wait_until = time.monotonic() + 10
            while time.monotonic() < wait_until:
                f, _ = scan(snap_dir)
                if set(f) - set(finals):
                    break
                time.sleep(0.05)
            f, _ = scan(snap_dir)
            result(bool(set(f) - set(finals)), "final start writes snapshots again")
            stop_started = time.monotonic()
            status = server.stop()
            log("final SIGTERM: the server exited after %.1f s" % (time.monotonic() - stop_started))
            result(status == 0, "final SIGTERM: clean exit (status %s)%s"
                   % (status, "" if status == 0 else "\n" + server.log_tail()))
            finals2, temps_after = scan(snap_dir)
            old = []
            for t in temps_after:
                try:
                    if os.stat(os.path.join(snap_dir, t)).st_mtime < final_start_wall:
                        old.append(t)
                except FileNotFoundError:
                    pass
            leftover = [t for t in temps_before if t in temps_after]
            result(not old and not leftover,
                   "temp files from before the final start are removed by it (%d before, %d of them remain)"
                   % (len(temps_before), len(set(old) | set(leftover))))
            result(not temps_after, "no temp file after a clean shutdown%s"
                   % ("; found: %s" % temps_after[:5] if temps_after else ""))
            problems = []
            for name in finals2:
                if name in seen:
                    continue
                seq, problem = check_file(os.path.join(snap_dir, name), validator)
                if problem:
                    problems.append("%s: %s" % (name, problem))
                elif seq <= max_seq:
                    problems.append("%s: sequence %d not above %d" % (name, seq, max_seq))
            result(not problems, "final life's files are complete and continue the sequence"
                   + "".join("\n      " + p for p in problems[:10]))
    except KeyboardInterrupt:
        log("snapshot-crash-test: interrupted")
        failed += 1
    except Exception as e:  # the summary line must still come last
        import traceback
        traceback.print_exc(file=sys.stdout)
        log("FAIL the test itself stopped: %s: %s" % (type(e).__name__, e))
        failed += 1
    finally:
        done.set()
        server.kill()
        if args.keep:
            log("snapshot-crash-test: kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
        log("snapshot-crash-test: %.1f s" % (time.monotonic() - start))
        log("snapshot-crash-test: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
