#!/usr/bin/env python3
"""Cluster test for kvstore's `postgres` engine: stateless nodes sharing one PostgreSQL.

Run by scripts/check-cluster.sh (for `make test`); it starts every PostgreSQL cluster it needs
with scripts/postgres.sh (ports in 55420-55439, under $KVSTORE_PG_ROOT) and every kvstore node
itself, and stops and destroys them all at the end, also when a check fails or it is
interrupted. Checks (one line each, PASS or FAIL, then "P passed, F failed"):

  1. three nodes on one primary: a PUT on n1 reads back byte-exact on n2 and n3; a CAS on n2
     with n1's ETag succeeds and a second one with the same ETag from n3 gets 412; a watch on
     n3 after the current revision wakes for a write on n1 (key, value, revision); a
     transaction on one node sees another node's commit (and a transaction's write is seen
     by a third node);
  2. 8 threads on the 3 nodes increment one key with GET + If-Match PUT for ~5 s: the final
     value is the number of 2xx PUTs;
  3. kill -9 of a node while 8 writers write distinct keys through all nodes: every
     acknowledged write reads back from both survivors; /api/v1/cluster shows the killed node
     `missing` within ~5 s, and a node stopped with SIGTERM `left`;
  4. `postgres.sh stop` of the database with the nodes running: GET and PUT get
     503 storage_unavailable within statement_timeout + 1 s, /livez stays 200, /readyz fails
     within ~10 s; after `postgres.sh start` writes succeed on every node within ~15 s (no node
     restarted) and /readyz is 200 again;
  5. failover: a primary and its synchronous standby, 3 nodes with both hosts, 16 writers;
     at a seeded random moment `kill9` of the primary and `promote` of the standby; every
     acknowledged write reads back through every node, new writes succeed on every node
     without restarting any; prints the counts and how long writes were unavailable.

Python 3 standard library only.
Usage: python3 scripts/cluster_test.py --binary .build/debug/kvstore [--seed N] [--work-dir DIR]
"""

import argparse
import base64
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kvserver import HOST, KVServerProcess  # noqa: E402

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
POSTGRES_SH = os.path.join(SCRIPTS, "postgres.sh")
# ours: 55420-55439 without 55432/55433, the failover pair people start by hand (docs/cluster.md);
# 55410 is make test's unit-test cluster, 5432 Debian's own
PORT_RANGE = [p for p in range(55420, 55440) if p not in (55432, 55433)]

STATEMENT_TIMEOUT_S = 2.0
CONNECT_TIMEOUT_S = 1.0
HEARTBEAT_S = 1.0
HEALTH_INTERVAL_S = 1.0
CLIENT_TIMEOUT_S = 10.0              # an HTTP request that takes longer is a hang

# kvstore refuses unknown KVSTORE_* variables, so postgres.sh's own settings are taken out of
# the environment the nodes inherit and handed to postgres.sh explicitly.
PG_ENV = {k: os.environ.pop(k) for k in ("KVSTORE_PG_ROOT", "KVSTORE_PG_WAIT", "KVSTORE_PG_BINDIR")
          if k in os.environ}

T0 = time.monotonic()


def log(msg):
    print(msg, flush=True)


def note(msg):
    log("      %s" % msg)


def now():
    return time.monotonic()


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.lock = threading.Lock()

    def check(self, ok, name, detail=""):
        with self.lock:
            if ok:
                self.passed += 1
            else:
                self.failed += 1
        log("%s %s%s" % ("PASS" if ok else "FAIL", name, (": " + detail) if detail else ""))
        return ok


RESULTS = Results()


# ---- PostgreSQL (scripts/postgres.sh) --------------------------------------------------------
class PG:
    def __init__(self):
        self.clusters = []        # names we started (destroyed at the end)

    def run(self, *args, check=True, timeout=180):
        env = dict(os.environ, **PG_ENV)
        t = now()
        p = subprocess.run([POSTGRES_SH] + list(args), env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, text=True)
        if check and p.returncode != 0:
            raise RuntimeError("postgres.sh %s failed (%d): %s" % (" ".join(args), p.returncode,
                                                                    (p.stderr or p.stdout).strip()))
        return p, now() - t

    def start(self, name, port):
        if name not in self.clusters:
            self.clusters.append(name)
        return self.run("start", name, str(port))[1]

    def start_standby(self, name, port, primary):
        if name not in self.clusters:
            self.clusters.append(name)
        return self.run("start-standby", name, str(port), primary)[1]

    def destroy_all(self):
        for name in reversed(self.clusters):
            try:
                p, _ = self.run("destroy", name, check=False, timeout=120)
                if p.returncode != 0:
                    log("warning: postgres.sh destroy %s: %s" % (name, p.stderr.strip()))
            except Exception as e:  # noqa: BLE001 - cleanup goes on
                log("warning: postgres.sh destroy %s: %s" % (name, e))
        self.clusters = []


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
            return True
        except OSError:
            return False


def pick_ports(n, rng):
    candidates = [p for p in PORT_RANGE if port_free(p)]
    if len(candidates) < n:
        raise RuntimeError("fewer than %d free ports in %d-%d" % (n, PORT_RANGE[0], PORT_RANGE[-1]))
    rng.shuffle(candidates)
    return candidates[:n]


# ---- HTTP -------------------------------------------------------------------------------------
class Client:
    """One persistent connection to one node; a failed request closes it (the next reconnects)."""

    def __init__(self, port, timeout=CLIENT_TIMEOUT_S):
        self.port, self.timeout, self.conn = port, timeout, None

    def request(self, method, path, body=None, headers=None, timeout=None):
        """(status or None, headers (lower-case names), body bytes or error text, seconds)."""
        t = now()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout or self.timeout)
            elif timeout:
                self.conn.timeout = timeout
                if self.conn.sock:
                    self.conn.sock.settimeout(timeout)
            self.conn.request(method, path, body=body, headers=headers or {})
            resp = self.conn.getresponse()
            data = resp.read()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
            if resp.getheader("connection", "").lower() == "close":
                self.close()
            return resp.status, hdrs, data, now() - t
        except (OSError, http.client.HTTPException) as e:
            self.close()
            return None, {}, "%s: %s" % (type(e).__name__, e), now() - t

    def close(self):
        if self.conn:
            try:
                self.conn.close()
            except OSError:
                pass
        self.conn = None


def kv_path(key):
    return "/api/v1/kv/" + urllib.parse.quote(key, safe="")


def error_code(body):
    try:
        return json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def value_for(key):
    """Deterministic, distinct value for a key, with binary bytes (0 to ~2 KiB)."""
    rng = random.Random(key)
    size = rng.choice([0, 1, 17, 255, 256, 1000, 2048])
    head = key.encode("utf-8") + b"\x00"
    return (head + bytes(range(256)) + rng.randbytes(size))[:size]


def wait_until(deadline_s, fn, interval=0.05):
    """Poll fn() until it returns a truthy value or deadline_s passes: (value, seconds waited)."""
    t = now()
    end = t + deadline_s
    while True:
        v = fn()
        if v:
            return v, now() - t
        if now() >= end:
            return None, now() - t
        time.sleep(interval)


# ---- kvstore nodes ------------------------------------------------------------------------------
class Node:
    def __init__(self, binary, work, node_id, hosts):
        self.id = node_id
        self.dir = os.path.join(work, "nodes", node_id)
        os.makedirs(self.dir, exist_ok=True)
        args = ["--set", "node.id=" + node_id,
                "--set", "storage.engine=postgres",
                "--set", "storage.postgres.hosts=" + ",".join("%s:%d" % (HOST, p) for p in hosts),
                "--set", "storage.postgres.tls=disable",
                "--set", "storage.postgres.password=kvstore",
                "--set", "storage.postgres.statement_timeout_seconds=%g" % STATEMENT_TIMEOUT_S,
                "--set", "storage.postgres.connect_timeout_seconds=%g" % CONNECT_TIMEOUT_S,
                "--set", "cluster.heartbeat_interval_seconds=%g" % HEARTBEAT_S,
                "--set", "health.interval_seconds=%g" % HEALTH_INTERVAL_S,
                "--set", "snapshots.dir=" + os.path.join(self.dir, "snapshots"),
                "--set", "dashboard.dir=" + os.path.join(self.dir, "public")]
        self.snapshots = os.path.join(self.dir, "snapshots")
        self.proc = KVServerProcess(binary, os.path.join(self.dir, "data"), self.dir, args, cwd=self.dir)

    @property
    def port(self):
        return self.proc.port

    def start(self):
        ok, msg = self.proc.start(wait_s=30)
        if not ok:
            raise RuntimeError("node %s did not start: %s" % (self.id, msg))
        record_pid(self.proc.proc.pid)
        # ready: its storage check passed (the schema is migrated, the database reachable)
        c = Client(self.port, timeout=3)
        got, _ = wait_until(30, lambda: c.request("GET", "/readyz")[0] == 200, 0.1)
        c.close()
        if not got:
            raise RuntimeError("node %s: /readyz not 200 within 30 s\n%s" % (self.id, self.proc.log_tail()))

    def client(self):
        return Client(self.port)


PIDS_FILE = None


def record_pid(pid):
    """The wrapper kills what is listed here if this process dies before its own cleanup."""
    if PIDS_FILE:
        with open(PIDS_FILE, "a") as f:
            f.write("%d\n" % pid)


def members(node):
    status, _, body, _ = node.client().request("GET", "/api/v1/cluster", timeout=5)
    if status != 200:
        return None
    try:
        return {m["node"]: m for m in json.loads(body)["members"]}
    except (ValueError, KeyError, TypeError):
        return None


def member_state(node, node_id):
    m = members(node)
    return m.get(node_id, {}).get("state") if m else None


# ---- writers ------------------------------------------------------------------------------------
class Writer(threading.Thread):
    """PUTs distinct keys PREFIX/w{i}/{n}, rotating over the nodes' ports; records every 2xx."""

    def __init__(self, index, prefix, nodes, stop):
        super().__init__(daemon=True)
        self.index, self.prefix, self.stop = index, prefix, stop
        self.ports = [n.port for n in nodes]
        self.clients = [Client(p, timeout=CLIENT_TIMEOUT_S) for p in self.ports]
        self.acked = {}            # key -> value
        self.ack_times = []        # (monotonic time of the answer, node index)
        self.failed = 0
        self.errors = {}           # status/code -> count
        self.samples = {}          # status/code other than 503 -> the first answer's body
        self.slowest = 0.0

    def run(self):
        n = 0
        while not self.stop.is_set():
            node = (n + self.index) % len(self.clients)
            key = "%s/w%d/%d" % (self.prefix, self.index, n)
            value = value_for(key)
            n += 1
            status, _, body, secs = self.clients[node].request("PUT", kv_path(key), body=value)
            self.slowest = max(self.slowest, secs)
            if status is not None and 200 <= status < 300:
                self.acked[key] = value
                self.ack_times.append((now(), node))
            else:
                self.failed += 1
                what = "%s %s" % (status, error_code(body)) if status else body.split(":")[0]
                self.errors[what] = self.errors.get(what, 0) + 1
                if status is not None and status != 503 and what not in self.samples:
                    self.samples[what] = body[:400].decode("utf-8", "replace").strip()
                if status is None:
                    time.sleep(0.01)   # a refused connection fails at once: do not spin
        for c in self.clients:
            c.close()


def run_writers(count, prefix, nodes):
    stop = threading.Event()
    writers = [Writer(i, prefix, nodes, stop) for i in range(count)]
    for w in writers:
        w.start()
    return stop, writers


def join_writers(stop, writers):
    stop.set()
    hung = []
    for w in writers:
        w.join(CLIENT_TIMEOUT_S + 5)
        if w.is_alive():
            hung.append(w.index)
    return hung


def read_back(acked, nodes, threads=8):
    """Every key in `acked` through every node: list of (node id, key, problem)."""
    items = sorted(acked.items())
    problems = []
    lock = threading.Lock()

    def work(node, chunk):
        c = node.client()
        for key, value in chunk:
            status, _, body, _ = c.request("GET", kv_path(key))
            if status != 200 or body != value:
                got = ("%d bytes" % len(body)) if status == 200 else (body if status is None else "%s %s" % (status, error_code(body)))
                with lock:
                    problems.append((node.id, key, "status %s, %s" % (status, got)))
        c.close()

    ts = []
    for node in nodes:
        per = max(1, len(items) // threads + 1)
        for i in range(0, len(items), per):
            t = threading.Thread(target=work, args=(node, items[i:i + per]), daemon=True)
            t.start()
            ts.append(t)
    for t in ts:
        t.join(300)
    return problems


def summarize_errors(writers):
    total, samples = {}, {}
    for w in writers:
        for k, v in w.errors.items():
            total[k] = total.get(k, 0) + v
        for k, v in w.samples.items():
            samples.setdefault(k, v)
    text = ", ".join("%s x%d" % kv for kv in sorted(total.items(), key=lambda kv: -kv[1])) or "none"
    for k, v in sorted(samples.items()):
        text += "\n        first %s answer: %s" % (k, v)
    return text


def watchers(node):
    """The node's kvstore_watchers gauge, or None."""
    st, _, mb, _ = node.client().request("GET", "/metrics", timeout=5)
    if st != 200:
        return None
    for line in mb.decode("utf-8", "replace").splitlines():
        if line.startswith("kvstore_watchers ") or line.startswith("kvstore_watchers{"):
            return float(line.rsplit(" ", 1)[1])
    return None


def watch_wakes(watch_node, write_node, prefix):
    """A long poll on watch_node after its current revision, open (kvstore_watchers went up)
    before a PUT on write_node under prefix: it must answer with exactly that put (key, value,
    mod_revision) well before its 5 s timeout. (ok, detail, revision watched after, ms after the PUT)."""
    cw, cp = watch_node.client(), write_node.client()
    s, _, lb, _ = cw.request("GET", "/api/v1/kv?prefix=" + urllib.parse.quote(prefix, safe="") + "&limit=1")
    cw.close()
    rev = json.loads(lb)["revision"] if s == 200 else None
    if rev is None:
        return False, "listing on %s answered %s %r" % (watch_node.id, s, lb[:200]), rev, None
    base = watchers(watch_node) or 0
    out = {}

    def watch():
        wc = watch_node.client()
        out["r"] = wc.request("GET", "/api/v1/watch?prefix=%s&after=%s&timeout=5s" % (
            urllib.parse.quote(prefix, safe=""), rev), timeout=15)
        out["t"] = now()
        wc.close()

    wt = threading.Thread(target=watch, daemon=True)
    wt.start()
    open_, _ = wait_until(5, lambda: (watchers(watch_node) or 0) >= base + 1 or "r" in out, 0.05)
    open_ = bool(open_) and "r" not in out
    wkey, wvalue = prefix + "k1", b"watched \x00\xff value " + watch_node.id.encode()
    t_put = now()
    sp, _, bp, _ = cp.request("PUT", kv_path(wkey), body=wvalue)
    cp.close()
    put_rev = json.loads(bp).get("revision") if sp in (200, 201) else None
    wt.join(20)
    if "r" not in out or out["r"][0] != 200:
        return False, "watch answered %s; PUT %s %r" % (out.get("r", (None,))[:3], sp, bp[:200]), rev, None
    ev = json.loads(out["r"][2])
    events = ev.get("events", [])
    e0 = events[0] if events else {}
    ms = (out["t"] - t_put) * 1000
    ok = (open_ and len(events) == 1 and e0.get("key") == wkey and e0.get("type") == "put"
          and e0.get("mod_revision") == put_rev and put_rev is not None
          and base64.b64decode(e0.get("value", "")) == wvalue and ms < 3000)
    detail = "events %s, revision %s, PUT %s revision %s, answered %.0f ms after the PUT, open before the PUT: %s" % (
        events, ev.get("revision"), sp, put_rev, ms, open_)
    return ok, detail, rev, ms


# ---- checks -------------------------------------------------------------------------------------
def check_basic(nodes):
    a, b, c = nodes
    ca, cb, cc = a.client(), b.client(), c.client()

    # 1a: byte-exact read-back on the other nodes
    key = "c1/bytes/\u00e9t\u00e9 a%2Fb"
    value = bytes(range(256)) * 3 + b"\x00\r\n" + os.urandom(1000)
    status, hdrs, body, _ = ca.request("PUT", kv_path(key), body=value)
    reads = []
    for node, cl in ((b, cb), (c, cc)):
        s, h, got, _ = cl.request("GET", kv_path(key))
        reads.append((node.id, s, got == value, h.get("etag")))
    ok = status in (200, 201) and all(s == 200 and same for _, s, same, _ in reads)
    RESULTS.check(ok, "1a PUT on %s (%d bytes, binary) reads back byte-exact on %s and %s" % (a.id, len(value), b.id, c.id),
                  "" if ok else "PUT %s; reads %s" % (status, reads))

    # 1b: CAS with n1's ETag: once on n2 (2xx), again on n3 (412)
    ckey = "c1/cas"
    s0, _, _, _ = ca.request("PUT", kv_path(ckey), body=b"v0")
    s1, h1, _, _ = ca.request("GET", kv_path(ckey))
    etag = h1.get("etag")
    s2, h2, b2, _ = cb.request("PUT", kv_path(ckey), body=b"v1", headers={"If-Match": etag or '"0"'})
    s3, _, b3, _ = cc.request("PUT", kv_path(ckey), body=b"v2", headers={"If-Match": etag or '"0"'})
    s4, _, final, _ = ca.request("GET", kv_path(ckey))
    ok = (s0 in (200, 201) and s1 == 200 and etag and s2 == 200 and s3 == 412
          and error_code(b3) == "precondition_failed" and s4 == 200 and final == b"v1")
    RESULTS.check(ok, "1b CAS with %s's ETag %s: %s -> %s, then %s -> %s, value %r" % (
        a.id, etag, b.id, s2, c.id, s3, final),
        "" if ok else "PUT %s, GET %s, CAS1 %s %r, CAS2 %s %r, final %s %r" % (s0, s1, s2, b2[:200], s3, b3[:200], s4, final))

    # 1c: a long poll on n3 after the current revision wakes for a write on n1
    ok, detail, rev, ms = watch_wakes(c, a, "c1/watch/")
    RESULTS.check(ok, "1c watch on %s (after revision %s) wakes for a PUT on %s with key, value and revision" % (
        c.id, rev, a.id), "" if ok else detail)
    if ok:
        note("watch answered %.0f ms after the PUT on %s was sent" % (ms, a.id))

    # 1d: a transaction on n2 sees n1's commit; its own write is seen on n3
    tkey = "c1/txn"
    sp, _, bp, _ = ca.request("PUT", kv_path(tkey), body=b"from-a")
    trev = json.loads(bp).get("revision") if sp in (200, 201) else -1
    txn = {"compare": [{"key": tkey, "mod_revision": trev}, {"key": tkey, "value": base64.b64encode(b"from-a").decode()}],
           "success": [{"op": "get", "key": tkey}, {"op": "put", "key": tkey, "value": base64.b64encode(b"from-b-txn").decode()}],
           "failure": [{"op": "get", "key": tkey}]}
    st, _, tb, _ = cb.request("POST", "/api/v1/txn", body=json.dumps(txn).encode(),
                              headers={"Content-Type": "application/json"})
    ans = json.loads(tb) if st == 200 else {}
    res = ans.get("results", [])
    sg, hg, gb, _ = cc.request("GET", kv_path(tkey))
    ok = (st == 200 and ans.get("succeeded") is True and len(res) == 2
          and base64.b64decode(res[0].get("value", "")) == b"from-a" and res[0].get("mod_revision") == trev
          and res[1].get("mod_revision", 0) > trev and sg == 200 and gb == b"from-b-txn"
          and hg.get("etag") == '"%s"' % res[1].get("mod_revision"))
    RESULTS.check(ok, "1d txn on %s sees %s's commit (compare mod_revision %s and value hold) and its write reads back on %s" % (
        b.id, a.id, trev, c.id), "" if ok else "txn %s %s; GET on %s %s %r %s" % (st, tb[:400], c.id, sg, gb[:100], hg.get("etag")))
    for cl in (ca, cb, cc):
        cl.close()


def check_cas_counter(nodes, seconds=5.0, threads=8):
    key = "c2/counter"
    s, _, _, _ = nodes[0].client().request("PUT", kv_path(key), body=b"0")
    stats = {"ok": 0, "conflict": 0, "ambiguous": 0, "other": 0}
    lock = threading.Lock()
    end = now() + seconds

    def worker(i):
        cl = nodes[i % len(nodes)].client()
        mine = {"ok": 0, "conflict": 0, "ambiguous": 0, "other": 0}
        while now() < end:
            gs, gh, gb, _ = cl.request("GET", kv_path(key))
            if gs != 200:
                mine["other"] += 1
                continue
            ps, _, pb, _ = cl.request("PUT", kv_path(key), body=str(int(gb) + 1).encode(),
                                      headers={"If-Match": gh.get("etag", "")})
            if ps is not None and 200 <= ps < 300:
                mine["ok"] += 1
            elif ps == 412:
                mine["conflict"] += 1
            else:
                mine["ambiguous"] += 1   # no answer or 5xx: it may or may not have committed
        cl.close()
        with lock:
            for k, v in mine.items():
                stats[k] += v

    ts = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(seconds + CLIENT_TIMEOUT_S * 2 + 5)
    hung = sum(t.is_alive() for t in ts)
    fs, _, fb, _ = nodes[1].client().request("GET", kv_path(key))
    final = int(fb) if fs == 200 else None
    ok = s in (200, 201) and not hung and stats["ambiguous"] == 0 and final == stats["ok"] and stats["ok"] > 0
    RESULTS.check(ok, "2 %d threads on %d nodes, GET + If-Match PUT for %.0f s: final value %s == %d acknowledged increments (%d 412 retries)" % (
        threads, len(nodes), seconds, final, stats["ok"], stats["conflict"]),
        "" if ok else "stats %s, final %s %r, hung threads %d" % (stats, fs, fb[:100], hung))


def check_kill_node(binary, work, nodes, hosts, rng):
    a, b, c = nodes
    stop, writers = run_writers(8, "c3", nodes)
    delay = rng.uniform(1.0, 2.0)
    # let writes flow on every node first (bounded), then the kill at the seeded moment
    wait_until(10, lambda: sum(len(w.acked) for w in writers) >= 50, 0.05)
    time.sleep(delay)  # the seeded random moment of the kill, not a wait for a condition
    t_kill = now()
    c.proc.kill()
    acked_at_kill = sum(len(w.acked) for w in writers)
    # writers keep going on the survivors until each survivor acknowledged writes after the kill
    def survivors_write():   # at least 10 acknowledged writes on each survivor after the kill
        seen = {0: 0, 1: 0, 2: 0}
        for w in writers:
            for t, idx in w.ack_times[-40:]:
                if t > t_kill + 0.2:
                    seen[idx] += 1
        return seen[0] >= 10 and seen[1] >= 10
    wait_until(15, survivors_write, 0.05)
    hung = join_writers(stop, writers)
    acked = {}
    for w in writers:
        acked.update(w.acked)
    failed = sum(w.failed for w in writers)
    problems = read_back(acked, [a, b])
    ok = not hung and not problems and len(acked) > acked_at_kill > 0
    RESULTS.check(ok, "3a kill -9 of %s during 8 writers: %d acknowledged writes (%d before the kill, %d failed) all read back byte-exact on %s and %s" % (
        c.id, len(acked), acked_at_kill, failed, a.id, b.id),
        "" if ok else "hung writers %s; %d problems, first: %s" % (hung, len(problems), problems[:5]))
    note("writer errors: %s; slowest request %.2f s" % (summarize_errors(writers), max(w.slowest for w in writers)))

    state, waited = wait_until(10, lambda: member_state(a, c.id) == "missing" and "missing", 0.1)
    since_kill = now() - t_kill
    ok = state == "missing" and since_kill <= 6.0
    RESULTS.check(ok, "3b /api/v1/cluster on %s shows the killed %s missing %.1f s after the kill (heartbeat %g s)" % (
        a.id, c.id, since_kill, HEARTBEAT_S), "" if ok else "state %s, members %s" % (member_state(a, c.id), members(a)))

    # a fourth node joins, is seen alive, stops cleanly (SIGTERM) and is seen `left`
    d = Node(binary, work, "n4", hosts)
    d.start()
    alive, _ = wait_until(10, lambda: member_state(b, d.id) == "alive", 0.1)
    t_term = now()
    rc = d.proc.stop(grace_s=15)
    left, _ = wait_until(10, lambda: member_state(b, d.id) == "left", 0.1)
    since_term = now() - t_term
    ok = bool(alive) and rc == 0 and bool(left) and member_state(b, c.id) == "missing" and member_state(b, a.id) == "alive"
    RESULTS.check(ok, "3c %s joins (alive), SIGTERM (exit %s), /api/v1/cluster on %s shows it left %.1f s later; %s still missing" % (
        d.id, rc, b.id, since_term, c.id), "" if ok else "members %s\n%s" % (members(b), d.proc.log_tail()))

    # the killed node comes back for the next checks
    c.start()
    back, _ = wait_until(10, lambda: member_state(a, c.id) == "alive", 0.1)
    RESULTS.check(bool(back), "3d %s restarted after kill -9 is alive again on %s" % (c.id, a.id),
                  "" if back else "members %s" % members(a))


def check_db_outage(pg, name, port, nodes):
    # something to read during and after the outage
    c0 = nodes[0].client()
    s, _, _, _ = c0.request("PUT", kv_path("c4/before"), body=b"before the outage")
    c0.close()
    _, stop_s = pg.run("stop", name)
    t_stop = now()
    limit = STATEMENT_TIMEOUT_S + 1.0
    answers, bodies = [], []
    for node in nodes:
        cl = node.client()
        gs, _, gb, gt = cl.request("GET", kv_path("c4/before"))
        ps, _, pb, pt = cl.request("PUT", kv_path("c4/during-" + node.id), body=b"x")
        ls, _, _, _ = cl.request("GET", "/livez")
        cl.close()
        answers.append((node.id, gs, error_code(gb), gt, ps, error_code(pb), pt, ls))
        for what, st, b in (("GET", gs, gb), ("PUT", ps, pb)):
            if st != 503 or error_code(b) != "storage_unavailable":
                bodies.append("%s %s on %s: %s %s" % (what, "c4/before" if what == "GET" else "c4/during-" + node.id,
                                                      node.id, st, b if st is None else b[:600].decode("utf-8", "replace")))
    worst = max(max(x[3], x[6]) for x in answers)
    ok = all(x[1] == 503 and x[2] == "storage_unavailable" and x[4] == 503 and x[5] == "storage_unavailable"
             and x[3] <= limit and x[6] <= limit for x in answers)
    RESULTS.check(ok, "4a database stopped: GET and PUT on every node get 503 storage_unavailable, slowest %.3f s (limit %.1f s)" % (
        worst, limit), "" if ok else "answers (node, GET status, code, s, PUT status, code, s, livez) %s\n      %s" % (
            [(x[0], x[1], x[2], round(x[3], 3), x[4], x[5], round(x[6], 3), x[7]) for x in answers], "\n      ".join(bodies)))

    def all_not_ready():
        res = []
        for node in nodes:
            st, _, _, _ = node.client().request("GET", "/readyz", timeout=5)
            res.append(st)
        return all(st is not None and st != 200 for st in res) and res

    not_ready, _ = wait_until(12, all_not_ready, 0.2)
    since_stop = now() - t_stop
    ok = bool(not_ready) and since_stop <= 10.5
    RESULTS.check(ok, "4b /readyz non-200 on every node %.1f s after the stop (statuses %s, limit 10 s)" % (since_stop, not_ready),
                  "" if ok else "not every node turned unready in time")

    # the outage continues: requests keep failing fast, /livez keeps answering 200
    answers = []
    for node in nodes:
        cl = node.client()
        ls, _, _, lt = cl.request("GET", "/livez")
        ps, _, pb, pt = cl.request("PUT", kv_path("c4/later-" + node.id), body=b"x")
        cl.close()
        answers.append((node.id, ls, lt, ps, error_code(pb), pt))
    ok = all(x[1] == 200 and x[3] == 503 and x[4] == "storage_unavailable" and x[5] <= limit for x in answers)
    RESULTS.check(ok, "4c %.0f s into the outage: /livez 200 and PUT 503 storage_unavailable within %.1f s on every node (slowest PUT %.3f s)" % (
        now() - t_stop, limit, max(x[5] for x in answers)), "" if ok else "answers (node, livez, s, PUT, code, s) %s" % answers)

    _, start_s = pg.run("start", name, str(port))
    t_start = now()
    recovered = {}

    def all_write():
        for node in nodes:
            if node.id in recovered:
                continue
            st, _, _, _ = node.client().request("PUT", kv_path("c4/after-" + node.id), body=b"after", timeout=5)
            if st in (200, 201):
                recovered[node.id] = now() - t_start
        return len(recovered) == len(nodes)

    done, _ = wait_until(15, all_write, 0.1)
    alive = all(n.proc.alive() for n in nodes)
    ok = bool(done) and alive
    RESULTS.check(ok, "4d database started again (%.1f s): writes succeed on every node without a restart, %s" % (
        start_s, ", ".join("%s after %.2f s" % kv for kv in sorted(recovered.items()))),
        "" if ok else "recovered %s; processes alive %s\n%s" % (recovered, alive, "\n".join(n.proc.log_tail(10) for n in nodes)))

    def all_ready():
        return all(n.client().request("GET", "/readyz", timeout=5)[0] == 200 for n in nodes)

    ready, waited = wait_until(15, all_ready, 0.2)
    c0 = nodes[2].client()
    rs, _, rb, _ = c0.request("GET", kv_path("c4/before"))
    c0.close()
    ok = bool(ready) and rs == 200 and rb == b"before the outage"
    RESULTS.check(ok, "4e /readyz 200 on every node %.1f s after the database start; data written before the outage reads back" % (
        now() - t_start), "" if ok else "ready %s, GET %s %r" % (ready, rs, rb[:100]))

    ok, detail, rev, ms = watch_wakes(nodes[1], nodes[0], "c4/watch/")
    RESULTS.check(ok, "4f after the restart a watch on %s wakes for a PUT on %s%s" % (
        nodes[1].id, nodes[0].id, " (%.0f ms)" % ms if ok else ""), "" if ok else detail)


def check_failover(binary, work, pg, rng, seed):
    p1, p2 = pick_ports(2, rng)
    pg.start("cc-fo-primary", p1)
    pg.start_standby("cc-fo-standby", p2, "cc-fo-primary")
    nodes = [Node(binary, work, "fo%d" % i, [p1, p2]) for i in (1, 2, 3)]
    started = []
    try:
        for n in nodes:
            n.start()
            started.append(n)
        stop, writers = run_writers(16, "c5", nodes)
        wait_until(15, lambda: sum(len(w.acked) for w in writers) >= 100, 0.05)
        delay = rng.uniform(0.5, 2.5)
        note("failover: primary 127.0.0.1:%d, standby 127.0.0.1:%d, seed %d, kill -9 of the primary %.2f s into steady writes" % (
            p1, p2, seed, delay))
        time.sleep(delay)  # the seeded random moment of the crash, not a wait for a condition
        t_kill = now()
        pg.run("kill9", "cc-fo-primary")
        t_killed = now()
        pg.run("promote", "cc-fo-standby")
        t_promoted = now()
        acked_before = sum(len(w.acked) for w in writers)

        first_after = {}

        def every_node_writes():
            for w in writers:
                for t, idx in w.ack_times[-50:]:
                    if t > t_promoted and (idx not in first_after or t < first_after[idx]):
                        first_after[idx] = t
            return len(first_after) == len(nodes)

        done, _ = wait_until(30, every_node_writes, 0.05)
        # keep writing a moment after recovery (bounded by acknowledged writes, not time)
        target = sum(len(w.acked) for w in writers) + 200
        wait_until(10, lambda: sum(len(w.acked) for w in writers) >= target, 0.05)
        hung = join_writers(stop, writers)

        acked = {}
        times = []
        for w in writers:
            acked.update(w.acked)
            times.extend(t for t, _ in w.ack_times)
        failed = sum(w.failed for w in writers)
        times.sort()
        # the unavailability window: the longest stretch without any acknowledged write that
        # overlaps the crash (from the last acknowledged write before it to the next one)
        window, gap_from = None, None
        for t1, t2 in zip(times, times[1:]):
            if t2 >= t_kill and (window is None or t2 - t1 > window):
                window, gap_from = t2 - t1, t1
        every = (max(first_after.values()) - t_kill) if done else None
        note("failover timing: kill9 took %.2f s (until the port refused and the backends were gone), promote %.2f s; "
             "writes unavailable for %s (no acknowledged write from %+.2f s to %+.2f s around the kill), "
             "every node writing again %s after the kill (%s after the promote)" % (
                 t_killed - t_kill, t_promoted - t_killed,
                 "%.2f s" % window if window is not None else "good",
                 (gap_from - t_kill) if gap_from is not None else 0, (gap_from + window - t_kill) if gap_from is not None else 0,
                 "%.2f s" % every if every is not None else "never",
                 "%.2f s" % (max(first_after.values()) - t_promoted) if done else "never"))
        note("writer errors during the switch: %s; slowest request %.2f s" % (
            summarize_errors(writers), max(w.slowest for w in writers)))
        RESULTS.check(bool(done) and not hung,
                      "5a after kill -9 of the primary and promote of the standby, writes succeed again through every node without a restart (%s after the kill)" % (
                          "%.2f s" % every if every is not None else "not within 30 s after the promote"),
                      "" if done and not hung else "nodes writing again: %s; hung writers %s; slowest request %.1f s\n%s" % (
                          sorted(first_after), hung, max(w.slowest for w in writers),
                          "\n".join(n.id + ":\n" + n.proc.log_tail(15) for n in nodes)))

        problems = read_back(acked, nodes)
        lost = len({k for _, k, _ in problems})
        ok = not problems and len(acked) > acked_before > 0
        RESULTS.check(ok, "5b every acknowledged write reads back through every node: acknowledged %d (%d before the kill), failed %d, lost %d" % (
            len(acked), acked_before, failed, lost), "" if ok else "%d problems, first: %s" % (len(problems), problems[:5]))

        results = []
        for n in nodes:
            key = "c5/after/" + n.id
            st, _, _, _ = n.client().request("PUT", kv_path(key), body=b"new " + n.id.encode())
            reads = [m.client().request("GET", kv_path(key))[:3:2] for m in nodes]
            results.append((n.id, st, all(r == (200, b"new " + n.id.encode()) for r in reads)))
        ok = all(st in (200, 201) and r for _, st, r in results) and all(n.proc.alive() for n in nodes)
        RESULTS.check(ok, "5c new writes on every node after the failover (%s) read back on every node, no node restarted" % (
            ", ".join("%s %s" % (i, st) for i, st, _ in results)), "" if ok else "results %s" % results)

        ok, detail, rev, ms = watch_wakes(nodes[2], nodes[0], "c5/watch/")
        RESULTS.check(ok, "5d after the failover a watch on %s wakes for a PUT on %s%s" % (
            nodes[2].id, nodes[0].id, " (%.0f ms)" % ms if ok else ""), "" if ok else detail)
    finally:
        for n in started:
            n.proc.stop(grace_s=10)


# ---- 6: the fleet page ------------------------------------------------------------------------------
def check_fleet_page(binary, work, nodes):
    """Each of the 3 nodes takes two snapshots (POST /api/v1/snapshots) into its own
    snapshots.dir; kvstore-dashboard (beside the server binary) turns the three archives into the
    fleet page, which xmllint must accept, with one row and one linked page per node."""
    dashboard = os.path.join(os.path.dirname(binary), "kvstore-dashboard")
    if not os.access(dashboard, os.X_OK):
        RESULTS.check(False, "6 fleet page", "no kvstore-dashboard beside %s (swift build --product kvstore-dashboard)" % binary)
        return
    for n in nodes:
        c = n.client()
        for _ in range(2):
            status, _, body, _ = c.request("POST", "/api/v1/snapshots")
            if status != 201 and status != 200:
                RESULTS.check(False, "6 fleet page", "POST /api/v1/snapshots on %s: %s %r" % (n.id, status, body[:200]))
                return
        c.close()
    out = os.path.join(work, "fleet")
    command = [dashboard, "generate", "--out", out] + sum((["--snapshots", n.snapshots] for n in nodes), [])
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        RESULTS.check(False, "6 fleet page", "kvstore-dashboard generate exited %d: %s" % (run.returncode, run.stderr.strip()[-400:]))
        return
    pages = [os.path.join(out, "index.html")] + [os.path.join(out, "nodes", n.id, "index.html") for n in nodes]
    missing = [p for p in pages if not os.path.isfile(p)]
    files = []
    for root, _, names in os.walk(out):
        files += [os.path.join(root, f) for f in names if f.endswith((".html", ".svg"))]
    lint = subprocess.run(["xmllint", "--noout", "--nonet"] + files, capture_output=True, text=True, timeout=60)
    with open(pages[0], encoding="utf-8") as f:
        overview = f.read()
    unlinked = [n.id for n in nodes if 'href="nodes/%s/index.html"' % n.id not in overview]
    ok = not missing and lint.returncode == 0 and not unlinked
    RESULTS.check(ok, "6 fleet page from the 3 nodes' archives: %d files well-formed (xmllint), a linked page per node" % len(files),
                  "" if ok else "missing %s; xmllint: %s; not linked: %s" % (missing, lint.stderr.strip()[-300:], unlinked))


def print_node_logs(work, lines=25):
    """The end of every node's log (warnings and errors only: nodes run at log level warning)."""
    base = os.path.join(work, "nodes")
    if not os.path.isdir(base):
        return
    for node_id in sorted(os.listdir(base)):
        for name in sorted(f for f in os.listdir(os.path.join(base, node_id)) if f.startswith("server-")):
            path = os.path.join(base, node_id, name)
            with open(path, "rb") as f:
                tail = f.read().decode("utf-8", "replace").splitlines()[-lines:]
            log("---- %s/%s (last %d lines)" % (node_id, name, len(tail)))
            for line in tail:
                log("    | " + line)


# ---- main -------------------------------------------------------------------------------------------
def main():
    global PIDS_FILE
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--work-dir", default=None, help="folder for the nodes (default: a new temporary one, removed at the end)")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        log("no executable at %s" % binary)
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    rng = random.Random(seed)
    own_work = args.work_dir is None
    work = args.work_dir or tempfile.mkdtemp(prefix="kvstore-cluster.")
    os.makedirs(work, exist_ok=True)
    PIDS_FILE = os.path.join(work, "pids")
    if "KVSTORE_PG_ROOT" not in PG_ENV:
        PG_ENV["KVSTORE_PG_ROOT"] = os.path.join(work, "pg")
    PG_ENV.setdefault("KVSTORE_PG_WAIT", "30")
    os.makedirs(PG_ENV["KVSTORE_PG_ROOT"], exist_ok=True)
    for d in (work, PG_ENV["KVSTORE_PG_ROOT"]):
        os.chmod(d, 0o755)   # the postgres user must reach its cluster folders
    log("cluster test: seed %d, work folder %s, PostgreSQL clusters under %s" % (seed, work, PG_ENV["KVSTORE_PG_ROOT"]))

    def on_signal(signum, _frame):
        log("FAIL interrupted by signal %d: cleaning up" % signum)
        RESULTS.failed += 1
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    pg = PG()
    nodes = []
    try:
        (port,) = pick_ports(1, rng)
        pg.start("cc-main", port)
        nodes = [Node(binary, work, "n%d" % i, [port]) for i in (1, 2, 3)]
        for n in nodes:
            n.start()
        note("PostgreSQL cc-main on 127.0.0.1:%d; nodes %s" % (port, ", ".join("%s :%d" % (n.id, n.port) for n in nodes)))
        steps = [("1", lambda: check_basic(nodes)),
                 ("2", lambda: check_cas_counter(nodes)),
                 ("3", lambda: check_kill_node(binary, work, nodes, [port], rng)),
                 ("4", lambda: check_db_outage(pg, "cc-main", port, nodes)),
                 ("6", lambda: check_fleet_page(binary, work, nodes))]
        for label, fn in steps:
            try:
                fn()
            except Exception as e:  # noqa: BLE001 - one broken check must not skip the report
                RESULTS.check(False, "%s (aborted)" % label, "%s: %s" % (type(e).__name__, e))
        for n in nodes:
            n.proc.stop(grace_s=10)
        pg.run("destroy", "cc-main", check=False)
        pg.clusters.remove("cc-main")
        try:
            check_failover(binary, work, pg, rng, seed)
        except Exception as e:  # noqa: BLE001
            RESULTS.check(False, "5 (aborted)", "%s: %s" % (type(e).__name__, e))
    except Exception as e:  # noqa: BLE001
        RESULTS.check(False, "set-up", "%s: %s" % (type(e).__name__, e))
    finally:
        for n in nodes:
            n.proc.stop(grace_s=10)
        pg.destroy_all()
        if RESULTS.failed:
            print_node_logs(work)
        if own_work:
            shutil.rmtree(work, ignore_errors=True)
        log("%d passed, %d failed (%.0f s, seed %d)" % (RESULTS.passed, RESULTS.failed, now() - T0, seed))
    return 0 if RESULTS.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
