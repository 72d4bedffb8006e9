#!/usr/bin/env python3
"""Crash test for kvstore: acknowledged writes must survive `kill -9`.

Each round:
  1. the server runs (durability `always`) on a free loopback port, on a data
     folder shared by every round;
  2. N writer threads, each with its own persistent HTTP connection, PUT unique
     keys (r{round}-w{writer}-{n}) with values derived from the key (sizes from
     0 bytes to ~64 KiB, every byte value 0..255) and record each 2xx;
  3. after a random delay the server gets SIGKILL; a request that ended without
     a response is not acknowledged;
  4. the server restarts on the same data folder and every key acknowledged in
     this round and every earlier one is read back: it must exist with the exact
     bytes. A key whose PUT was cut off may be absent, but if present it must hold
     exactly the value that was sent (no torn writes).

The restarted server is the one the next round writes to; after the last round it
is stopped with SIGTERM. Python 3 standard library only.

Usage: python3 scripts/crash_test.py --binary .build/debug/kvstore [--rounds 5]
The last line printed is "P passed, F failed" (rounds); exit status 0 only when
every round passed.
"""

import argparse
import http.client
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse

from kvserver import HOST, KVServerProcess



def log(msg):
    print(msg, flush=True)


# Sizes: empty, small, around 256, around a page,
# around LMDB's overflow-page threshold, and a few larger ones.
SIZES = [0, 32, 100, 255, 256, 1000, 2000, 4095, 4096, 4097, 10000, 65536]


def value_for(key):
    """Deterministic, distinct value for a key; includes binary bytes."""
    rng = random.Random(key)
    size = rng.choice(SIZES)
    if size == 0:
        return b""
    # the key first (so values are distinct), then every byte 0..255, then noise
    head = key.encode("utf-8") + b"\x00"
    return (head + bytes(range(256)) + rng.randbytes(size))[:size]


def quote_key(key):
    return "/api/v1/kv/" + urllib.parse.quote(key, safe="")


def make_server(binary, data_dir, work_dir, extra_args):
    """The server under test, durability always; snapshots and the dashboard stay in the work folder."""
    return KVServerProcess(binary, data_dir, work_dir, [
        "--durability", "always",
        "--set", "snapshots.dir=" + os.path.join(work_dir, "snapshots"),
        "--set", "dashboard.dir=" + os.path.join(work_dir, "public")] + extra_args)


class Writer(threading.Thread):
    def __init__(self, round_no, index, port, stop, deadline):
        super().__init__(daemon=True)
        self.round_no = round_no
        self.index = index
        self.port = port
        self.stop = stop
        self.deadline = deadline
        self.acked = []        # keys that got a 2xx
        self.cut = []          # key whose request ended without a response
        self.rejected = []     # (key, status, body) for non-2xx answers
        self.end_reason = ""

    def run(self):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        n = 0
        try:
            while not self.stop.is_set() and time.monotonic() < self.deadline:
                key = "r%d-w%d-%d" % (self.round_no, self.index, n)
                n += 1
                body = value_for(key)
                try:
                    conn.request("PUT", quote_key(key), body=body,
                                 headers={"Content-Type": "application/octet-stream"})
                    resp = conn.getresponse()
                    data = resp.read()
                except (OSError, http.client.HTTPException) as e:
                    self.cut.append(key)
                    self.end_reason = type(e).__name__
                    return
                if 200 <= resp.status < 300:
                    self.acked.append(key)
                else:
                    self.rejected.append((key, resp.status, data[:200]))
                    if len(self.rejected) >= 5:
                        self.end_reason = "too many non-2xx answers"
                        return
            self.end_reason = "stopped"
        finally:
            conn.close()


def verify(port, keys, may_be_absent, deadline, threads=8):
    """GET every key; keys in may_be_absent may be absent but not wrong. Returns a dict."""
    keys = list(keys)
    counters = ("verified", "cut_present", "cut_absent")
    results = {"verified": 0, "cut_present": 0, "cut_absent": 0,
               "missing": [], "mismatched": [], "torn": [], "errors": []}
    lock = threading.Lock()
    cut = set(may_be_absent)
    chunks = [keys[i::threads] for i in range(threads)]

    def worker(chunk):
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        local = {"verified": 0, "cut_present": 0, "cut_absent": 0,
                 "missing": [], "mismatched": [], "torn": [], "errors": []}
        for key in chunk:
            if time.monotonic() > deadline:
                local["errors"].append((key, "overall timeout"))
                continue
            data, status = None, None
            for attempt in range(2):
                try:
                    conn.request("GET", quote_key(key))
                    resp = conn.getresponse()
                    data = resp.read()
                    status = resp.status
                    break
                except (OSError, http.client.HTTPException) as e:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
                    status = "error: %s" % e
            expected = value_for(key)
            if key in cut:
                if status == 404:
                    local["cut_absent"] += 1
                elif status == 200 and data == expected:
                    local["cut_present"] += 1
                elif status == 200:
                    local["torn"].append((key, len(expected), len(data)))
                else:
                    local["errors"].append((key, status))
            elif status == 200 and data == expected:
                local["verified"] += 1
            elif status == 200:
                local["mismatched"].append((key, len(expected), len(data)))
            elif status == 404:
                local["missing"].append(key)
            else:
                local["errors"].append((key, status))
        conn.close()
        with lock:
            for k in local:
                if k in counters:
                    results[k] += local[k]
                else:
                    results[k].extend(local[k])

    ts = [threading.Thread(target=worker, args=(c,), daemon=True) for c in chunks if c]
    for t in ts:
        t.start()
    for t in ts:
        t.join(max(0.0, deadline - time.monotonic()) + 1)
    if any(t.is_alive() for t in ts):
        results["errors"].append(("*", "verification did not finish in time"))
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True, help="kvstore executable")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--writers", type=int, default=16)
    ap.add_argument("--seconds-per-round", type=float, default=2.0,
                    help="upper bound of the random time before SIGKILL (lower bound 0.3 s)")
    ap.add_argument("--timeout", type=float, default=120.0, help="overall time limit, seconds")
    ap.add_argument("--seed", type=int, default=None, help="random seed (printed when not given)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="extra server setting, passed as --set KEY=VALUE")
    args = ap.parse_args()

    binary = os.path.abspath(args.binary)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        log("crash test: no executable at %s (build it first)" % binary)
        log("0 passed, %d failed" % args.rounds)
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    start = time.monotonic()
    deadline = start + args.timeout
    work = tempfile.mkdtemp(prefix="kvstore-crash-")
    data_dir = os.path.join(work, "data")
    os.mkdir(data_dir)
    extra = []
    for s in args.set:
        extra += ["--set", s]
    server = make_server(binary, data_dir, work, extra)
    passed = failed = 0
    all_acked = []        # every key acknowledged so far, all rounds
    done = threading.Event()

    def watchdog():
        if not done.wait(args.timeout + 15):
            log("crash test: overall timeout (%.0f s) exceeded; killing the server" % args.timeout)
            server.kill()
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
            log("%d passed, %d failed" % (passed, args.rounds - passed))
            os._exit(3)

    threading.Thread(target=watchdog, daemon=True).start()

    def on_signal(signum, frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, on_signal)
    log("crash test: binary %s, %d rounds, %d writers, seed %d, data %s"
        % (binary, args.rounds, args.writers, seed, data_dir))
    try:
        ok, msg = server.start()
        if not ok:
            log("crash test: FAIL: the server did not start: %s" % msg)
            failed = args.rounds
            return 1
        for r in range(1, args.rounds + 1):
            if time.monotonic() > deadline:
                log("round %d: FAIL: overall timeout reached before the round" % r)
                failed += args.rounds - r + 1
                break
            problems = []
            stop = threading.Event()
            writers = [Writer(r, w, server.port, stop, deadline) for w in range(args.writers)]
            for w in writers:
                w.start()
            delay = rng.uniform(0.3, max(0.3, args.seconds_per_round))
            time.sleep(delay)
            was_alive = server.alive()
            server.kill()  # SIGKILL: no chance to flush or close anything
            if not was_alive:
                problems.append("the server had died by itself before the kill (status %s)\n%s"
                                % (server.proc.returncode, server.log_tail()))
            stop.set()
            for w in writers:
                w.join(15)
            if any(w.is_alive() for w in writers):
                problems.append("a writer did not finish within 15 s of the kill")
            acked = [k for w in writers for k in w.acked]
            cut = [k for w in writers for k in w.cut]
            rejected = [x for w in writers for x in w.rejected]
            all_acked.extend(acked)
            if rejected:
                problems.append("%d PUTs got a non-2xx answer, e.g. %r" % (len(rejected), rejected[:3]))
            if not acked:
                problems.append("no write was acknowledged before the kill: the round proves nothing")

            ok, msg = server.start()
            if not ok:
                problems.append("restart after kill failed: %s" % msg)
                log("round %d: killed after %.2f s; acknowledged %d this round (%d in all); "
                    "restart FAILED" % (r, delay, len(acked), len(all_acked)))
                for p in problems:
                    log("round %d: FAIL: %s" % (r, p))
                failed += args.rounds - r + 1  # nothing after this can run
                break
            res = verify(server.port, all_acked + cut, cut, deadline)  # cut keys: this round's only
            bad = len(res["missing"]) + len(res["mismatched"])
            log("round %d: killed after %.2f s; acknowledged %d (%d over all rounds); "
                "verified %d; missing %d; mismatched %d; cut-off writes: %d present, %d absent"
                % (r, delay, len(acked), len(all_acked), res["verified"],
                   len(res["missing"]), len(res["mismatched"]), res["cut_present"],
                   res["cut_absent"]))
            if res["missing"]:
                problems.append("LOST %d acknowledged keys, e.g. %s"
                                % (len(res["missing"]), sorted(res["missing"])[:10]))
            if res["mismatched"]:
                problems.append("%d acknowledged keys read back with wrong bytes "
                                "(key, expected len, got len), e.g. %s"
                                % (len(res["mismatched"]), res["mismatched"][:10]))
            if res["torn"]:
                problems.append("%d cut-off writes are present with wrong bytes, e.g. %s"
                                % (len(res["torn"]), res["torn"][:10]))
            if res["errors"]:
                problems.append("%d reads failed, e.g. %s" % (len(res["errors"]), res["errors"][:5]))
            if problems or bad:
                failed += 1
                for p in problems:
                    log("round %d: FAIL: %s" % (r, p))
            else:
                passed += 1
        status = server.stop()
        if server.proc is not None and status != 0:
            log("crash test: note: the server did not exit cleanly on SIGTERM (status %s)\n%s"
                % (status, server.log_tail()))
    except KeyboardInterrupt:
        log("crash test: interrupted")
        failed = args.rounds - passed
    finally:
        done.set()
        server.kill()
        if args.keep:
            log("crash test: kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
        elapsed = time.monotonic() - start
        if failed:
            log("crash test: FAILED (%.1f s); acknowledged writes were lost or the server misbehaved"
                % elapsed)
        else:
            log("crash test: all %d acknowledged keys survived %d kills (%.1f s)"
                % (len(all_acked), passed, elapsed))
        log("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed == args.rounds else 1


if __name__ == "__main__":
    sys.exit(main())
