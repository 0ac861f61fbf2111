#!/usr/bin/python3
"""Time to first byte of each web page of `ppko serve`, and page weight with its style sheet, at
the 40,000-school scale: a region of MUNICIPALITIES municipalities × SCHOOLS programs (two events
each) in a fresh SQLite database, one server on loopback, one signed-in client asking each page
REPEAT times in turn (after 3 untimed requests). Every municipality also gets the data files of
bench/make_region's generated region of SCHOOLS schools (the programs' schools), so the pages that
read the municipality service — school names, tasks, undecided schools, categories, the indicator
charts — work at that scale too (--no-data: the store alone, as before).

  bench/web_bench.py build/engine/cli/ppko [--municipalities 40] [--schools 1000] [--repeat 50]
                     [--make-region build/bench/make_region] [--no-data]

TTFB is from sending the request to having the status line and headers (the server writes an answer
only when it is whole, so it is also the time to build the page). Prints a Markdown table."""

import argparse
import http.client
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "server"))
from harness import Database, Server, run_command, stop_all  # noqa: E402

PASSWORD = "пароль-для-замера-1"


def school_id(i):
    return f"s{i + 1:05d}"  # as bench/region_gen.h names them


def fill(db_path, ppko, municipalities, schools):
    for m in range(municipalities):
        out = run_command(ppko, ["municipality", "add", f"m{m:02d}", "--name", f"Муниципалитет {m}", "--db", db_path])
        assert out.returncode == 0, out.stderr
    for login, role, m, s in (("region", "region", "", ""), ("coord", "coordinator", "m00", ""),
                              ("school", "school", "m00", school_id(6))):
        args = ["user", "add", login, "--role", role, "--name", login, "--db", db_path]
        args += ["--municipality", m] if m else []
        args += ["--school", s] if s else []
        out = run_command(ppko, args, stdin=PASSWORD + "\n")
        assert out.returncode == 0, out.stderr
    con = sqlite3.connect(db_path)
    stages = ["preparatory", "implementation", "final"]
    for m in range(municipalities):
        t = f"m{m:02d}"
        con.executemany("INSERT INTO programs (tenant, school, workflow, workflow_version, stage, status, started_on,"
                        " academic_year, data_json) VALUES (?, ?, 'ppko', 2, ?, 'active', '2019-09-01', '2019-2020', '{}')",
                        [(t, school_id(i), stages[i % 3]) for i in range(schools)])
        rows = []
        for i in range(schools):
            rows.append((t, 2 * i + 1, school_id(i), "2019-09-01", "created", "", "preparatory", "{}", "Начата"))
            rows.append((t, 2 * i + 2, school_id(i), "2020-05-31", "transition", "preparatory", "implementation",
                         '{"program_approved": true}', "Переход"))
        con.executemany("INSERT INTO events (tenant, seq, school, workflow, workflow_version, date, kind, from_stage,"
                        " to_stage, guard, facts_json, note) VALUES (?, ?, ?, 'ppko', 2, ?, ?, ?, ?, '', ?, ?)", rows)
    con.commit()
    con.close()


def import_data(db_path, ppko, make_region, work, municipalities, schools):
    """make_region's workspace of `schools` schools, imported as every municipality's data files."""
    data = os.path.join(work, "region-data")
    out = subprocess.run([make_region, data, "--schools", str(schools)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    for m in range(municipalities):
        out = run_command(ppko, ["municipality", "import", f"m{m:02d}", data, "--db", db_path])
        assert out.returncode == 0, out.stderr


def sign_in(port, login):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = urllib.parse.urlencode({"login": login, "password": PASSWORD})
    c.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    r.read()
    assert r.status == 303, r.status
    return c, r.getheader("Set-Cookie").split(";")[0]


def measure(conn, cookie, path, repeat):
    times, size = [], 0
    for i in range(repeat + 3):
        t0 = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        r = conn.getresponse()
        t1 = time.perf_counter()
        body = r.read()
        assert r.status == 200, (path, r.status)
        size = len(body)
        if i >= 3:
            times.append((t1 - t0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ppko")
    ap.add_argument("--municipalities", type=int, default=40)
    ap.add_argument("--schools", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--make-region", default=None, help="bench/make_region (default: beside the ppko build)")
    ap.add_argument("--no-data", action="store_true", help="no data files: the store's programs only")
    a = ap.parse_args()
    make_region = a.make_region or os.path.join(os.path.dirname(os.path.abspath(a.ppko)), "..", "..", "bench", "make_region")
    work = tempfile.mkdtemp(prefix="web_bench.", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    os.environ["PPKO_STATE_DIR"] = os.path.join(work, "state")
    try:
        db = Database("sqlite", work, "region")
        t0 = time.monotonic()
        fill(db.location, a.ppko, a.municipalities, a.schools)
        print(f"filled {a.municipalities} × {a.schools} programs in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        if not a.no_data:
            t0 = time.monotonic()
            import_data(db.location, a.ppko, make_region, work, a.municipalities, a.schools)
            print(f"imported the data files in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        s = Server(a.ppko, db, work, "bench")
        css = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
        css.request("GET", "/static/ppko.css")
        css_size = len(css.getresponse().read())
        school = "/municipalities/m00/schools/" + school_id(6)
        pages = [("region", "/region"), ("region", "/municipalities/m00"), ("region", "/municipalities/m00?page=20"),
                 ("region", "/municipalities/m00?stage=final&sort=started"),
                 ("region", "/municipalities/m00?year=2020-2021&date=2021-03-01"), ("region", "/municipalities/m00/history"),
                 ("coord", school), ("school", school), ("coord", school + "?date=2021-03-01"),
                 ("region", "/methodology"), ("coord", "/municipalities/m00/methodology"),
                 ("region", "/password"), ("anonymous", "/login")]
        print(f"| page | account | median ms | p99 ms | HTML KB | with CSS KB |")
        print("|---|---|---:|---:|---:|---:|")
        conns = {}
        for login, path in pages:
            if login not in conns:
                conns[login] = (http.client.HTTPConnection("127.0.0.1", s.port, timeout=60), "") if login == "anonymous" \
                    else sign_in(s.port, login)
            conn, cookie = conns[login]
            med, p99, size = measure(conn, cookie, path, a.repeat)
            print(f"| `{path}` | {login} | {med:.1f} | {p99:.1f} | {size / 1024:.1f} | {(size + css_size) / 1024:.1f} |")
    finally:
        stop_all()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
