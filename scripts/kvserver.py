"""One kvstore process for the crash tests: start on a free loopback port, wait for /health,
kill -9, stop with SIGTERM. Its log goes to a file in the work folder. Imported by
scripts/crash_test.py and scripts/snapshot_crash_test.py (not a test by itself)."""

import errno
import http.client
import os
import signal
import socket
import subprocess
import time

HOST = "127.0.0.1"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class KVServerProcess:
    def __init__(self, binary, data_dir, work_dir, args, env=None, cwd=None):
        """`args` are added after --data-dir, --host, --port and --log-level warning; `env`, when
        given, is added to this process's environment for the server; `cwd`, when given, is the
        server's working directory."""
        self.binary, self.data_dir, self.work_dir, self.args = binary, data_dir, work_dir, args
        self.env = env
        self.cwd = cwd
        self.proc = None
        self.port = None
        self.log_path = None
        self.starts = 0

    def start(self, wait_s=20.0):
        """Start and wait until /health answers 200. Returns (ok, message)."""
        last_err = ""
        for _ in range(3):  # a picked port can be taken before the server binds it
            self.starts += 1
            self.port = free_port()
            self.log_path = os.path.join(self.work_dir, "server-%d.log" % self.starts)
            cmd = [self.binary, "--data-dir", self.data_dir, "--host", HOST,
                   "--port", str(self.port), "--log-level", "warning"] + self.args
            # The binary may be being relinked right now (ETXTBSY, or briefly missing): retry.
            for spawn_try in range(60):
                try:
                    with open(self.log_path, "wb") as logf:
                        env = dict(os.environ, **self.env) if self.env else None
                        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf,
                                                     stderr=subprocess.STDOUT, start_new_session=True,
                                                     env=env, cwd=self.cwd)
                    break
                except OSError as e:
                    if e.errno not in (errno.ETXTBSY, errno.ENOENT) or spawn_try == 59:
                        raise
                    time.sleep(0.5)
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    last_err = "server exited with status %s during start-up" % self.proc.returncode
                    break
                try:
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                    conn.request("GET", "/health")
                    resp = conn.getresponse()
                    resp.read()
                    conn.close()
                    if resp.status == 200:
                        return True, "started on port %d (pid %d)" % (self.port, self.proc.pid)
                    last_err = "/health answered %d" % resp.status
                except (OSError, http.client.HTTPException) as e:
                    last_err = "/health: %s" % e
                time.sleep(0.02)
            else:
                self.kill()
                return False, "no 200 from /health within %.0f s (%s)\n%s" % (wait_s, last_err, self.log_tail())
            # exited early: retry only if it looks like the port was taken
            if "address already in use" not in self.log_tail().lower():
                return False, last_err + "\n" + self.log_tail()
        return False, last_err + "\n" + self.log_tail()

    def kill(self):
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.proc:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass

    def stop(self, grace_s=10.0):
        """SIGTERM, then SIGKILL after grace_s. Returns the exit status or None."""
        if not self.proc or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n=20):
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            return "\n".join("    | " + l for l in lines[-n:])
        except OSError:
            return ""
