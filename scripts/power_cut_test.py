#!/usr/bin/env python3
"""Power-cut test for kvstore: every write that got a 2xx survives losing the page cache.

`kill -9` keeps the OS page cache, so it cannot tell a write that was fsynced from one that
was not. This test simulates a power cut instead (as SQLite's crash tests and ALICE do):
scripts/powercut/powercut.c, loaded with LD_PRELOAD, records every write to `data.mdb` and
every completed fsync/fdatasync of it. Each round:
  1. the server (durability `always`) runs on one data folder with the library loaded and a
     slower disk (each fsync sleeps POWERCUT_SYNC_DELAY_US);
  2. writers PUT unique keys, DELETE some of their own acknowledged keys, and DELETE keys
     that never existed (batches made only of those dirty no page: the case that acknowledged
     unsynced writes in the old writer); every 2xx and 404 is recorded;
  3. the server dies at a random moment: half the rounds inside a random fsync (the library
     kills the process before the fsync completes), the others by SIGKILL after a random delay;
  4. `data.mdb` is rebuilt from the file as it was before the round plus only the writes that
     a completed barrier made durable (writes through an O_DSYNC descriptor count on their
     own); the lock file is removed;
  5. the server starts on the rebuilt folder without the library (LMDB must open it), and
     every PUT acknowledged in this round (and a sample of earlier rounds) must read back with
     its exact bytes, every acknowledged DELETE must be gone, and a cut-off write may be absent
     but never torn.

Usage: python3 scripts/power_cut_test.py --binary .build/debug/kvstore [--rounds 50]
The last line printed is "P passed, F failed" (rounds); exit status 0 only when every round
passed. Python 3 standard library and a C compiler (cc) only.
"""

import argparse
import http.client
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time

from crash_test import quote_key, value_for, verify
from kvserver import HOST, KVServerProcess

HEADER = struct.Struct("<IIQQ")
MAGIC = 0x50435554
WRITE, BARRIER, SYNC_WRITE = 1, 2, 3


def log(msg):
    print(msg, flush=True)


def build_library(work):
    """Compiles powercut.so into the work folder; returns its path or raises."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "powercut", "powercut.c")
    library = os.path.join(work, "powercut.so")
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not compiler:
        raise RuntimeError("no C compiler (cc, gcc or clang) on PATH")
    subprocess.run([compiler, "-O2", "-Wall", "-shared", "-fPIC", "-o", library, source, "-ldl"],
                   check=True)
    return library


def read_journal(path):
    """The complete records of a journal, in order: (type, offset, data)."""
    with open(path, "rb") as f:
        raw = f.read()
    records, position = [], 0
    while position + HEADER.size <= len(raw):
        magic, kind, offset, length = HEADER.unpack_from(raw, position)
        if magic != MAGIC:
            raise ValueError("journal %s: bad record at byte %d" % (path, position))
        end = position + HEADER.size + (length if kind != BARRIER else 0)
        if end > len(raw):
            break  # the last record was cut short by the kill: it never completed
        records.append((kind, offset, raw[position + HEADER.size:end]))
        position = end
    return records


def rebuild(base, records):
    """The file a power cut leaves: base, plus writes up to the last completed barrier, plus
    O_DSYNC writes (durable when they returned). Returns (bytes, counts)."""
    last_barrier = max((i for i, r in enumerate(records) if r[0] == BARRIER), default=-1)
    image = bytearray(base)
    applied = dropped = 0
    for i, (kind, offset, data) in enumerate(records):
        if kind == BARRIER:
            continue
        if i < last_barrier or kind == SYNC_WRITE:
            if len(image) < offset + len(data):
                image.extend(b"\0" * (offset + len(data) - len(image)))
            image[offset:offset + len(data)] = data
            applied += 1
        else:
            dropped += 1
    barriers = sum(1 for r in records if r[0] == BARRIER)
    return bytes(image), {"applied": applied, "dropped": dropped, "barriers": barriers}


class Client(threading.Thread):
    """One connection. `kind` is "writer" (PUTs, and DELETEs of its own keys) or "missing"
    (DELETEs of keys that never existed, which must answer 404)."""

    def __init__(self, round_no, index, kind, port, stop, deadline, seed):
        super().__init__(daemon=True)
        self.round_no, self.index, self.kind = round_no, index, kind
        self.port, self.stop, self.deadline = port, stop, deadline
        self.rng = random.Random(seed)
        self.acked, self.deleted, self.cut = [], [], []
        self.missing_acked = 0
        self.rejected = []

    def request(self, conn, method, key, body=None):
        conn.request(method, quote_key(key), body=body,
                     headers={"Content-Type": "application/octet-stream"} if body is not None else {})
        resp = conn.getresponse()
        return resp.status, resp.read()

    def run(self):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        n = 0
        try:
            while not self.stop.is_set() and time.monotonic() < self.deadline:
                n += 1
                if self.kind == "missing":
                    key = "never-r%d-c%d-%d" % (self.round_no, self.index, n)
                    method, body = "DELETE", None
                elif self.acked and self.rng.random() < 0.1:
                    key = self.acked.pop(self.rng.randrange(len(self.acked)))
                    method, body = "DELETE", None
                else:
                    key = "p-r%d-c%d-%d" % (self.round_no, self.index, n)
                    method, body = "PUT", value_for(key)
                try:
                    status, data = self.request(conn, method, key, body)
                except (OSError, http.client.HTTPException):
                    self.cut.append(key)
                    return
                if method == "PUT" and status in (200, 201):
                    self.acked.append(key)
                elif method == "DELETE" and status == 204 and self.kind == "writer":
                    self.deleted.append(key)
                elif method == "DELETE" and status == 404 and self.kind == "missing":
                    self.missing_acked += 1
                else:
                    self.rejected.append((method, key, status, data[:200]))
                    if method == "DELETE" and self.kind == "writer":
                        self.cut.append(key)  # its state is unknown now
                    if len(self.rejected) >= 5:
                        return
        finally:
            conn.close()


def check_deleted(port, keys):
    """Keys whose DELETE was acknowledged must be absent. Returns the ones still present."""
    present = []
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    for key in keys:
        conn.request("GET", quote_key(key))
        resp = conn.getresponse()
        resp.read()
        if resp.status != 404:
            present.append((key, resp.status))
    conn.close()
    return present


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True, help="kvstore executable")
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--writers", type=int, default=4, help="connections that PUT and DELETE their keys")
    ap.add_argument("--missing", type=int, default=8, help="connections that DELETE absent keys")
    ap.add_argument("--seconds-per-round", type=float, default=1.5,
                    help="upper bound of the random time before SIGKILL (lower bound 0.2 s)")
    ap.add_argument("--sync-delay-us", type=int, default=3000, help="extra time each fsync takes")
    ap.add_argument("--timeout", type=float, default=600.0, help="overall time limit, seconds")
    ap.add_argument("--seed", type=int, default=None, help="random seed (printed when not given)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    binary = os.path.abspath(args.binary)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        log("power-cut test: no executable at %s (build it first)" % binary)
        log("0 passed, %d failed" % args.rounds)
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    start = time.monotonic()
    deadline = start + args.timeout
    work = tempfile.mkdtemp(prefix="kvstore-powercut-")
    data_dir = os.path.join(work, "data")
    os.mkdir(data_dir)
    data_file = os.path.join(data_dir, "data.mdb")
    journal = os.path.join(work, "journal.bin")
    settings = ["--durability", "always",
                "--set", "snapshots.dir=" + os.path.join(work, "snapshots"),
                "--set", "dashboard.dir=" + os.path.join(work, "public")]
    passed = failed = 0
    earlier_acked = []
    totals = {"acked": 0, "deleted": 0, "missing": 0, "verified": 0, "barriers": 0, "dropped": 0}
    server = None
    log("power-cut test: binary %s, %d rounds, %d writers + %d absent-key deleters, seed %d"
        % (binary, args.rounds, args.writers, args.missing, seed))
    try:
        library = build_library(work)
        for r in range(1, args.rounds + 1):
            if time.monotonic() > deadline:
                log("round %d: FAIL: overall timeout reached before the round" % r)
                failed += args.rounds - r + 1
                break
            problems = []
            base = open(data_file, "rb").read() if os.path.exists(data_file) else b""
            if os.path.exists(journal):
                os.remove(journal)
            in_fsync = r % 2 == 0
            env = {"LD_PRELOAD": library, "POWERCUT_FILE": os.path.realpath(data_dir) + "/data.mdb",
                   "POWERCUT_JOURNAL": journal, "POWERCUT_SYNC_DELAY_US": str(args.sync_delay_us)}
            if in_fsync:
                env["POWERCUT_KILL_AT_BARRIER"] = str(rng.randint(10, 150))
            server = KVServerProcess(binary, data_dir, work, settings, env=env)
            ok, msg = server.start()
            if not ok:
                log("round %d: FAIL: the server did not start with the library loaded: %s" % (r, msg))
                failed += 1
                server.kill()
                continue
            stop = threading.Event()
            clients = [Client(r, i, "writer" if i < args.writers else "missing", server.port, stop,
                              deadline, rng.random()) for i in range(args.writers + args.missing)]
            for c in clients:
                c.start()
            delay = rng.uniform(0.2, max(0.2, args.seconds_per_round))
            died_by_itself = _wait_quiet(server, delay)
            server.kill()
            how = ("inside fsync %s" % env["POWERCUT_KILL_AT_BARRIER"]) if died_by_itself \
                else "SIGKILL after %.2f s" % delay
            stop.set()
            for c in clients:
                c.join(15)
            acked = [k for c in clients for k in c.acked]
            deleted = [k for c in clients for k in c.deleted]
            cut = [k for c in clients for k in c.cut]
            missing_acked = sum(c.missing_acked for c in clients)
            rejected = [x for c in clients for x in c.rejected]
            if rejected:
                problems.append("%d requests got an unexpected answer, e.g. %r" % (len(rejected), rejected[:3]))

            image, counts = rebuild(base, read_journal(journal))
            with open(data_file, "wb") as f:
                f.write(image)
            lock_file = os.path.join(data_dir, "lock.mdb")
            if os.path.exists(lock_file):
                os.remove(lock_file)

            server = KVServerProcess(binary, data_dir, work, settings)
            ok, msg = server.start()
            if not ok:
                log("round %d: FAIL: the server did not open the rebuilt data file: %s" % (r, msg))
                failed += args.rounds - r + 1
                break
            sample = rng.sample(earlier_acked, min(300, len(earlier_acked)))
            res = verify(server.port, acked + sample + cut, cut, deadline)
            still_present = check_deleted(server.port, deleted)
            server.stop()
            if res["missing"]:
                problems.append("LOST %d acknowledged PUTs, e.g. %s" % (len(res["missing"]), sorted(res["missing"])[:5]))
            if res["mismatched"] or res["torn"]:
                problems.append("wrong bytes: %s %s" % (res["mismatched"][:5], res["torn"][:5]))
            if res["errors"]:
                problems.append("%d reads failed, e.g. %s" % (len(res["errors"]), res["errors"][:5]))
            if still_present:
                problems.append("%d acknowledged DELETEs came back, e.g. %s" % (len(still_present), still_present[:5]))
            if not acked:
                problems.append("no PUT was acknowledged before the cut: the round proves nothing")
            log("round %d: cut %s; %d barriers, %d writes dropped; acknowledged %d PUTs, %d DELETEs, "
                "%d absent-key DELETEs; verified %d (%d from earlier rounds), lost %d"
                % (r, how, counts["barriers"], counts["dropped"], len(acked), len(deleted), missing_acked,
                   res["verified"], len(sample), len(res["missing"])))
            earlier_acked.extend(acked)
            gone = set(deleted) | set(res["missing"])  # a lost key is reported once, in its round
            earlier_acked = [k for k in earlier_acked if k not in gone]
            for key, value in (("acked", len(acked)), ("deleted", len(deleted)), ("missing", missing_acked),
                               ("verified", res["verified"]), ("barriers", counts["barriers"]),
                               ("dropped", counts["dropped"])):
                totals[key] += value
            if problems:
                failed += 1
                for p in problems:
                    log("round %d: FAIL: %s" % (r, p))
            else:
                passed += 1
    except KeyboardInterrupt:
        log("power-cut test: interrupted")
        failed = args.rounds - passed
    finally:
        if server:
            server.kill()
        if args.keep:
            log("power-cut test: kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
        log("power-cut test: %.1f s; %d PUTs and %d DELETEs acknowledged, %d absent-key DELETEs, "
            "%d reads verified, %d barriers, %d unsynced writes dropped"
            % (time.monotonic() - start, totals["acked"], totals["deleted"], totals["missing"],
               totals["verified"], totals["barriers"], totals["dropped"]))
        log("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed == args.rounds else 1


def _wait_quiet(server, seconds):
    """True when the server exited by itself within `seconds` (the library killed it mid-fsync)."""
    try:
        server.proc.wait(timeout=seconds)
        return True
    except subprocess.TimeoutExpired:
        return False


if __name__ == "__main__":
    sys.exit(main())
