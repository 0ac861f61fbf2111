"""Test harness for `ppko serve`: starts servers on 127.0.0.1 with a random free port, talks to
them over HTTP (http.client), bounds every request in time and all requests in count, and always
stops what it started — on success, on a failed check, and when the harness itself is killed
(each server gets SIGKILL from the kernel when its parent dies: PR_SET_PDEATHSIG).

Databases: SQLite files in the work folder, or databases made in the test cluster of
tests/pg/pg_start.sh (its URL in the file named by PPKO_TEST_PG_URL_FILE)."""

import ctypes
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse

REQUEST_TIMEOUT = 30          # seconds per request
MAX_REQUESTS = 20000          # per run: a runaway loop fails instead of running on
START_TIMEOUT = 60            # seconds for a server to accept connections

_requests = 0
_servers = []


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def check_equal(got, want, what):
    if got != want:
        raise Failure(f"{what}: got {got!r}, want {want!r}")


def _die_with_parent():
    # Linux: the server gets SIGKILL when the harness dies, whatever kills it.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Database:
    """One test database: an SQLite file or a PostgreSQL database of its own."""

    def __init__(self, backend, workdir, name):
        self.backend = backend
        if backend == "sqlite":
            self.path = os.path.join(workdir, name + ".sqlite")
            for suffix in ("", "-journal"):
                if os.path.exists(self.path + suffix):
                    os.remove(self.path + suffix)
            self.location = self.path
        else:
            url_file = os.environ.get("PPKO_TEST_PG_URL_FILE", "")
            base = open(url_file).read().strip() if url_file and os.path.exists(url_file) else ""
            check(base, "no PostgreSQL test cluster: PPKO_TEST_PG_URL_FILE (tests/pg/pg_start.sh)")
            db = "ppko_http_" + name
            self.admin_url = base
            self.psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)', base)
            self.psql(f'CREATE DATABASE "{db}"', base)
            parts = urllib.parse.urlsplit(base)
            self.location = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + db, parts.query, ""))

    def psql(self, sql, url=None):
        out = subprocess.run(["psql", url or self.location, "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", sql],
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise Failure(f"psql: {out.stderr.strip()}")
        return [line.split("|") for line in out.stdout.splitlines()]

    def sql(self, statement):
        """Runs one statement; returns its rows (lists of text)."""
        if self.backend == "sqlite":
            con = sqlite3.connect(self.path, timeout=30)
            try:
                rows = [[("" if v is None else str(v)) for v in r] for r in con.execute(statement).fetchall()]
                con.commit()
                return rows
            finally:
                con.close()
        return self.psql(statement)


class Server:
    def __init__(self, ppko, db, workdir, name, args=(), env=None):
        self.name = name
        self.port_file = os.path.join(workdir, name + ".port")
        self.log = os.path.join(workdir, name + ".access.log")
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        for f in (self.port_file, self.log):
            if os.path.exists(f):
                os.remove(f)
        cmd = [ppko, "serve", "--listen", "127.0.0.1:0", "--port-file", self.port_file, "--db", db.location,
               "--access-log", self.log, "--threads", "16", *args]
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.stderr, env=full_env,
                                     preexec_fn=_die_with_parent)
        _servers.append(self)
        deadline = time.monotonic() + START_TIMEOUT
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None:
                raise Failure(f"server {name} exited with {self.proc.returncode}: {self.stderr_text()}")
            check(time.monotonic() < deadline, f"server {name} did not start in {START_TIMEOUT} s")
            time.sleep(0.05)
        self.port = int(open(self.port_file).read())

    def stderr_text(self):
        if not self.stderr.closed:
            self.stderr.flush()
        return open(self.stderr_path).read()

    def wait_for_stderr(self, text, timeout=30):
        deadline = time.monotonic() + timeout
        while text not in self.stderr_text():
            check(self.proc.poll() is None, f"server {self.name} exited while waiting for {text!r}")
            check(time.monotonic() < deadline, f"server {self.name} never printed {text!r}")
            time.sleep(0.02)

    def access_log(self):
        return open(self.log).read().splitlines() if os.path.exists(self.log) else []

    def stop(self, timeout=30):
        """SIGTERM, then the exit code (SIGKILL after `timeout`)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.dump_stacks()
                self.proc.kill()
                self.proc.wait()
                raise Failure(f"server {self.name} did not stop within {timeout} s of SIGTERM")
        self.stderr.close()
        return self.proc.returncode

    def dump_stacks(self):
        """Every thread's stack, to standard output, when gdb is there (to see why it hangs)."""
        try:
            out = subprocess.run(["gdb", "-p", str(self.proc.pid), "-batch", "-ex", "thread apply all bt 30"],
                                 capture_output=True, text=True, timeout=60)
            print(f"--- stacks of server {self.name}:\n{out.stdout[-20000:]}", flush=True)
        except (OSError, subprocess.TimeoutExpired):
            pass

    def kill9(self):
        self.proc.kill()
        self.proc.wait()
        self.stderr.close()


def stop_all():
    for s in _servers:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.raw = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def error_id(self):
        try:
            return self.json["errors"][0]["id"]
        except (TypeError, KeyError, IndexError):
            return None

    def __repr__(self):
        return f"{self.status} {self.raw[:300]!r}"


def raw_request(port, method, target, body=None, headers=None, chunked=False, timeout=REQUEST_TIMEOUT):
    global _requests
    _requests += 1
    check(_requests <= MAX_REQUESTS, f"more than {MAX_REQUESTS} requests: a runaway test")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        h = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode()
            h.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            body = body.encode()
        conn.request(method, target, body=body, headers=h, encode_chunked=chunked)
        r = conn.getresponse()
        raw = r.read()
        a = Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, raw.decode("utf-8", "replace"))
        a.bytes = raw  # documents and zips
        return a
    finally:
        conn.close()


class Client:
    """One user agent: a browser (session cookie + CSRF token) or a script (bearer token)."""

    def __init__(self, server, token=None):
        self.server = server
        self.cookie = None
        self.csrf = None
        self.token = token
        self.send_csrf = True

    def login(self, login, password, expect=200):
        a = self.request("POST", "/api/login", {"login": login, "password": password})
        if expect is not None:
            check_equal(a.status, expect, f"login {login}: {a}")
        if a.status == 200:
            cookie = a.headers.get("set-cookie", "")
            check("HttpOnly" in cookie and "SameSite=Strict" in cookie, f"session cookie flags: {cookie}")
            self.cookie = cookie.split(";")[0]
            self.csrf = a.json["csrf_token"]
        return a

    def request(self, method, target, body=None, headers=None, chunked=False, timeout=REQUEST_TIMEOUT):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if self.csrf and self.send_csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        return raw_request(self.server.port, method, target, body, h, chunked, timeout)

    def get(self, target, **kw):
        return self.request("GET", target, **kw)

    def post(self, target, body=None, **kw):
        return self.request("POST", target, body if body is not None else {}, **kw)

    def patch(self, target, body, **kw):
        return self.request("PATCH", target, body, **kw)

    def delete(self, target, **kw):
        return self.request("DELETE", target, **kw)


def run_command(ppko, args, stdin="", env=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    out = subprocess.run([ppko, *args], input=stdin, capture_output=True, text=True, timeout=120, env=full_env)
    return out


def main(tests, argv):
    """Runs the named test functions in order; prints one line each; exit code 1 if any failed."""
    failed = 0
    started = time.monotonic()
    try:
        for name, fn in tests:
            t0 = time.monotonic()
            try:
                fn()
                print(f"ok    {name} ({time.monotonic() - t0:.1f} s)", flush=True)
            except Exception as e:  # a failed check or an unexpected error: report, go on
                failed += 1
                print(f"FAIL  {name}: {type(e).__name__}: {e}", flush=True)
                import traceback
                traceback.print_exc()
            finally:
                stop_all()
    finally:
        stop_all()
    print(f"{len(tests) - failed}/{len(tests)} passed, {_requests} requests, {time.monotonic() - started:.1f} s")
    return 1 if failed else 0
