#!/usr/bin/python3
"""The HTTP suite of `ppko serve` (phase 1), on SQLite or on PostgreSQL:

  test_server.py PPKO WORKDIR sqlite|postgresql

- every route × every role (and anonymous) gets its expected answer — 200/201, 401, 403 or 404 —
  through a browser session and through an API token; the table below is written by hand and
  must cover every route of engine/server/openapi.json (which server_test checks against the
  code);
- a school account asking for another school's data by id gets nothing from it;
- security: login throttling (per login and per address, Retry-After), CSRF, expired / forged /
  tampered / revoked tokens, oversized bodies (413), path traversal in every name, SQL
  metacharacters stored verbatim in every text field, header limits;
- optimistic concurrency: many concurrent edits of one record, exactly one wins, the others get
  409 with the current record; on PostgreSQL across two servers, and kill -9 of a server in the
  middle of its transaction leaves the record as it was and the other server goes on;
- graceful shutdown: SIGTERM while a request is inside its transaction — it completes, the
  server exits 0, and refuses new connections.
"""

import base64
import hashlib
import hmac
import json
import os
import shutil
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (Client, Database, Failure, Server, check, check_equal, main, raw_request,  # noqa: E402
                     run_command)

PPKO, WORKDIR, BACKEND = sys.argv[1], sys.argv[2], sys.argv[3]
SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
os.makedirs(WORKDIR, exist_ok=True)
os.environ["PPKO_STATE_DIR"] = os.path.join(WORKDIR, "state")  # nothing ever lands in $HOME

PASSWORD = "пароль-для-тестов-1"
ROLES = ["anonymous", "region", "coordinator", "school", "expert", "admin"]
ACCOUNTS = {  # login: (role, municipality, school)
    "admin": ("admin", "", ""),
    "region": ("region", "", ""),
    "coordinator": ("coordinator", "demidovsky", ""),
    "school": ("school", "demidovsky", "sh-1"),
    "expert": ("expert", "demidovsky", ""),
    "spare": ("school", "smolensk", "sh-9"),
}
SECRET = "test-secret-" + "x" * 40


def add_region(db):
    """Two municipalities, the accounts above, and programs and events in both stores."""
    for mid, name in (("demidovsky", "Демидовский район"), ("smolensk", "город Смоленск")):
        out = run_command(PPKO, ["municipality", "add", mid, "--name", name, "--db", db.location])
        check_equal(out.returncode, 0, f"municipality add: {out.stderr}")
    for login, (role, m, s) in ACCOUNTS.items():
        args = ["user", "add", login, "--role", role, "--name", "Учётная запись " + login, "--db", db.location]
        if m:
            args += ["--municipality", m]
        if s:
            args += ["--school", s]
        out = run_command(PPKO, args, stdin=PASSWORD + "\n")
        check_equal(out.returncode, 0, f"user add {login}: {out.stderr}")
    db.sql("INSERT INTO programs (tenant, school, workflow, workflow_version, stage, status, started_on, academic_year,"
           " data_json) VALUES"
           " ('demidovsky', 'sh-1', 'ppko', 1, 'implementation', 'active', '2019-09-01', '2019-2020', '{\"done\":[\"a\"]}'),"
           " ('demidovsky', 'sh-2', 'ppko', 1, 'preparatory', 'active', '2019-09-01', '2019-2020',"
           " '{\"note\":\"тайна школы 2\"}'),"
           " ('smolensk', 'sh-9', 'ppko', 1, 'preparatory', 'active', '2020-09-01', '2020-2021', '{}')")
    db.sql("INSERT INTO events (tenant, seq, school, workflow, workflow_version, date, kind, from_stage, to_stage,"
           " guard, facts_json, note) VALUES"
           " ('demidovsky', 1, 'sh-1', 'ppko', 1, '2019-09-01', 'created', '', 'preparatory', '', '{}', 'Начата 1'),"
           " ('demidovsky', 2, 'sh-2', 'ppko', 1, '2019-09-01', 'created', '', 'preparatory', '', '{}',"
           " 'Событие тайной школы 2'),"
           " ('demidovsky', 3, 'sh-1', 'ppko', 1, '2020-05-31', 'transition', 'preparatory', 'implementation',"
           " 'facts.x', '{\"x\":true}', 'Переход 1'),"
           " ('smolensk', 1, 'sh-9', 'ppko', 1, '2020-09-01', 'created', '', 'preparatory', '', '{}', 'Смоленск')")


def region_server(name, args=(), env=None, login="admin"):
    """A fresh database with the region of add_region, a server on it, and a logged-in client."""
    db = Database(BACKEND, WORKDIR, name)
    add_region(db)
    s = Server(PPKO, db, WORKDIR, name, args, env)
    c = Client(s)
    c.login(login, PASSWORD)
    return db, s, c


_counter = [0]


def unique(prefix):
    _counter[0] += 1
    return f"{prefix}-{os.getpid()}-{_counter[0]}"


def version_of(admin, target):
    a = admin.get(target)
    check_equal(a.status, 200, f"GET {target}")
    return a.json["version"]


def matrix(admin):
    """(method, target, body, expected per role). target and body may be functions of the role's
    client (made per request: fresh names, current versions, the role's own token)."""
    E = lambda *codes: dict(zip(ROLES, codes))  # noqa: E731
    new_user = lambda c: {"login": unique("u"), "name": "Новый", "role": "region", "password": PASSWORD}  # noqa: E731
    own_token = lambda c: "/api/tokens/" + (c.post("/api/tokens", {"name": "to revoke", "days": 1}).json or {}).get("id", "0" * 32)  # noqa: E731,E501
    return [
        ("GET", "/api/health", None, E(200, 200, 200, 200, 200, 200)),
        ("POST", "/api/login", {"login": "spare", "password": PASSWORD}, E(200, 200, 200, 200, 200, 200)),
        ("GET", "/api/whoami", None, E(401, 200, 200, 200, 200, 200)),
        ("GET", "/api/tokens", None, E(401, 200, 200, 200, 200, 200)),
        ("POST", "/api/tokens", {"name": "матрица", "days": 1}, E(401, 201, 201, 201, 201, 201)),
        ("DELETE", own_token, None, E(401, 200, 200, 200, 200, 200)),
        ("GET", "/api/users", None, E(401, 403, 403, 403, 403, 200)),
        ("POST", "/api/users", new_user, E(401, 403, 403, 403, 403, 201)),
        ("GET", "/api/users/coordinator", None, E(401, 403, 403, 403, 403, 200)),
        ("GET", "/api/users/nobody", None, E(401, 403, 403, 403, 403, 404)),
        ("PATCH", "/api/users/spare", lambda c: {"version": version_of(admin, "/api/users/spare"), "name": unique("n")},
         E(401, 403, 403, 403, 403, 200)),
        ("POST", "/api/users/spare/password", {"password": PASSWORD}, E(401, 403, 403, 403, 403, 200)),
        ("GET", "/api/audit", None, E(401, 403, 403, 403, 403, 200)),
        ("GET", "/api/region", None, E(401, 200, 403, 403, 403, 200)),
        ("PATCH", "/api/region", lambda c: {"name": "Смоленская область", "version": version_of(admin, "/api/region")},
         E(401, 403, 403, 403, 403, 200)),
        ("GET", "/api/municipalities", None, E(401, 200, 403, 403, 403, 200)),
        ("POST", "/api/municipalities", lambda c: {"id": unique("m"), "name": "Новый район"},
         E(401, 403, 403, 403, 403, 201)),
        ("GET", "/api/municipalities/demidovsky", None, E(401, 200, 200, 200, 200, 200)),
        ("GET", "/api/municipalities/smolensk", None, E(401, 200, 404, 404, 404, 200)),
        ("GET", "/api/municipalities/nowhere", None, E(401, 404, 404, 404, 404, 404)),
        ("PATCH", "/api/municipalities/demidovsky",
         lambda c: {"name": "Демидовский район", "version": version_of(admin, "/api/municipalities/demidovsky")},
         E(401, 403, 403, 403, 403, 200)),
        ("GET", "/api/municipalities/demidovsky/programs", None, E(401, 200, 200, 200, 403, 403)),
        ("GET", "/api/municipalities/smolensk/programs", None, E(401, 200, 404, 404, 403, 403)),
        ("GET", "/api/municipalities/demidovsky/programs/sh-1", None, E(401, 200, 200, 200, 403, 403)),
        ("GET", "/api/municipalities/demidovsky/programs/sh-2", None, E(401, 200, 200, 404, 403, 403)),
        ("GET", "/api/municipalities/demidovsky/programs/sh-404", None, E(401, 404, 404, 404, 403, 403)),
        ("GET", "/api/municipalities/smolensk/programs/sh-9", None, E(401, 200, 404, 404, 403, 403)),
        ("GET", "/api/municipalities/nowhere/programs/sh-1", None, E(401, 404, 404, 404, 403, 403)),
        ("GET", "/api/municipalities/demidovsky/programs/sh-1/events", None, E(401, 200, 200, 200, 403, 403)),
        ("GET", "/api/municipalities/demidovsky/programs/sh-2/events", None, E(401, 200, 200, 404, 403, 403)),
        ("GET", "/api/municipalities/smolensk/programs/sh-9/events", None, E(401, 200, 404, 404, 403, 403)),
        ("GET", "/api/municipalities/demidovsky/events", None, E(401, 200, 200, 403, 403, 403)),
        ("GET", "/api/municipalities/smolensk/events", None, E(401, 200, 404, 403, 403, 403)),
        # Last: they end sessions and tokens.
        ("POST", "/api/password", {"old_password": PASSWORD, "new_password": PASSWORD}, E(401, 200, 200, 200, 200, 200)),
        ("POST", "/api/logout", None, E(401, 200, 200, 200, 200, 200)),
    ]


def pattern_of(target):
    """/api/municipalities/demidovsky/programs/sh-1 → /api/municipalities/{municipality}/programs/{school}"""
    parts = target.split("?")[0].split("/")
    names = {2: {"users": "login", "tokens": "token", "municipalities": "municipality", "jobs": "job"}}
    at5 = {"programs": "school", "schools": "school", "files": "file", "documents": "document", "expertise": "council"}
    out = []
    for i, p in enumerate(parts):
        if i == 3 and parts[2] in names[2]:
            out.append("{" + names[2][parts[2]] + "}")
        elif i == 5 and parts[4] == "files" and p == "workflows" and len(parts) > 6:
            out.append(p)
        elif i == 6 and parts[4] == "files" and parts[5] == "workflows":
            out.append("{methodology_file}")
        elif i == 5 and parts[4] in at5:
            out.append("{" + at5[parts[4]] + "}")
        elif i == 6 and parts[4] == "expertise":
            out.append("{school}")
        else:
            out.append(p)
    return "/".join(out)


def run_matrix(server, clients, admin, how, rows=None, others=()):
    """`rows`: the matrix (phase 1's by default); `others`: route patterns another matrix covers."""
    failures = []
    covered = set(others)
    for method, target, body, expected in (rows if rows is not None else matrix(admin)):
        for role in ROLES:
            c = clients[role]
            t = target(c) if callable(target) else target
            b = body(c) if callable(body) else body
            a = c.request(method, t, b)
            covered.add((method.lower(), pattern_of(t)))
            if a.status != expected[role]:
                failures.append(f"{how}: {role} {method} {t}: {a.status}, want {expected[role]}: {a.raw[:200]}")
            if a.status in (401, 403, 404) and a.error_id() not in (
                    "auth.required", "auth.bad_token", "auth.forbidden", "server.not_found"):
                failures.append(f"{how}: {role} {method} {t}: error id {a.error_id()}")
    openapi = json.load(open(os.path.join(SOURCE, "engine", "server", "openapi.json")))
    routes = {(m, p) for p, ops in openapi["paths"].items() for m in ops}
    missing = routes - covered
    if missing:
        failures.append(f"routes without a row in the matrix: {sorted(missing)}")
    if failures:
        raise Failure(f"{len(failures)} answers differ:\n  " + "\n  ".join(failures))


def session_clients(server):
    clients = {"anonymous": Client(server)}
    for role in ROLES[1:]:
        c = Client(server)
        c.login(role, PASSWORD)
        clients[role] = c
    return clients


def token_clients(server, sessions):
    clients = {"anonymous": Client(server)}
    for role in ROLES[1:]:
        a = sessions[role].post("/api/tokens", {"name": "matrix " + role, "days": 2})
        check_equal(a.status, 201, f"token for {role}: {a}")
        clients[role] = Client(server, token=a.json["token"])
    return clients


# ---- the tests ------------------------------------------------------------------------------------

def test_health_errors_and_access_log():
    db = Database(BACKEND, WORKDIR, "health")
    s = Server(PPKO, db, WORKDIR, "health")
    a = raw_request(s.port, "GET", "/api/health")
    check_equal((a.status, a.json["status"], a.json["database"]), (200, "ok", BACKEND), "health")
    check_equal(a.headers.get("content-type"), "application/json; charset=utf-8", "content type")
    a = raw_request(s.port, "GET", "/api/nothing")
    check_equal((a.status, a.error_id()), (404, "server.not_found"), "unknown route")
    check_equal(a.json["errors"][0]["text"], "нет такого адреса: /api/nothing [server.not_found]", "CLI text")
    a = raw_request(s.port, "DELETE", "/api/health")
    check_equal((a.status, a.error_id(), a.headers.get("allow")), (405, "server.method_not_allowed", "GET"), "405")
    a = raw_request(s.port, "POST", "/api/login", '{"login": "x",\n "password": 5}')
    check_equal((a.status, a.json["errors"][0]["text"]),
                (400, "тело запроса:2:14: $.password: ожидался текст в кавычках, а записано: число 5 [data.wrong_type]"),
                "a wrong field is reported with its position")
    a = raw_request(s.port, "POST", "/api/login", '{"login": ')
    check_equal((a.status, a.error_id()), (400, "json.syntax"), "malformed JSON")
    check_equal(s.stop(), 0, "exit code after SIGTERM")
    log = s.access_log()
    check_equal(len(log), 5, f"one access log line per request: {log}")
    fields = log[0].split(" ")
    check_equal(fields[1:], ["127.0.0.1", "-", "GET", "/api/health", "200", fields[6], fields[7]], "log line")
    check(fields[7].endswith("ms"), "duration")


def test_role_matrix():
    db, s, admin = region_server("matrix", ["--secret-file", secret_file()])
    run_matrix(s, session_clients(s), admin, "session", others=DOMAIN_PATTERNS)
    # The matrix ends with a password change and logout: new sessions mint the tokens.
    admin = Client(s)
    admin.login("admin", PASSWORD)
    run_matrix(s, token_clients(s, session_clients(s)), admin, "token", others=DOMAIN_PATTERNS)
    check_equal(s.stop(), 0, "exit code")


def test_a_school_gets_nothing_of_another_school():
    db, s, c = region_server("isolation", login="school")
    a = c.get("/api/municipalities/demidovsky/programs")
    check_equal([p["school"] for p in a.json["items"]], ["sh-1"], "a school lists only its own program")
    for target in ("/api/municipalities/demidovsky/programs/sh-2", "/api/municipalities/demidovsky/programs/sh-2/events",
                   "/api/municipalities/smolensk/programs/sh-9", "/api/municipalities/smolensk/programs",
                   "/api/municipalities/demidovsky/events"):
        a = c.get(target)
        check(a.status in (403, 404), f"{target}: {a}")
        check("тайн" not in a.raw and "preparatory" not in a.raw and "sh-9" not in a.raw.replace(target, ""),
              f"{target} leaked data: {a.raw}")
    a = c.get("/api/municipalities/demidovsky/programs/sh-1/events")
    check_equal([e["note"] for e in a.json["items"]], ["Начата 1", "Переход 1"], "own events")
    # The scope comes from the database, not from the request: a forged header or query changes nothing.
    a = c.get("/api/municipalities/demidovsky/programs/sh-2?school=sh-2", headers={"X-School": "sh-2"})
    check_equal(a.status, 404, "forged scope")
    s.stop()


def test_csrf_is_required_for_changes_by_a_browser_session():
    db, s, admin = region_server("csrf")
    body = lambda: {"id": unique("m"), "name": "Район"}  # noqa: E731
    admin.send_csrf = False
    for method, target, b in (("POST", "/api/municipalities", body()), ("POST", "/api/logout", {}),
                              ("PATCH", "/api/region", {"name": "x", "version": 1}),
                              ("POST", "/api/tokens", {"name": "t", "days": 1})):
        a = admin.request(method, target, b)
        check_equal((a.status, a.error_id()), (403, "auth.csrf"), f"{method} {target} without CSRF")
        a = admin.request(method, target, b, headers={"X-CSRF-Token": "wrong" + admin.csrf[5:]})
        check_equal((a.status, a.error_id()), (403, "auth.csrf"), f"{method} {target} with a wrong token")
    check_equal(admin.get("/api/municipalities").status, 200, "reading needs no CSRF token")
    admin.send_csrf = True
    check_equal(admin.post("/api/municipalities", body()).status, 201, "with the token")
    # A script with a bearer token sends no cookie and needs no CSRF token.
    token = admin.post("/api/tokens", {"name": "script", "days": 1}).json["token"]
    script = Client(s, token=token)
    check_equal(script.post("/api/municipalities", body()).status, 201, "bearer without CSRF")
    # whoami hands the token to a page that lost it.
    check_equal(admin.get("/api/whoami").json["csrf_token"], admin.csrf, "whoami's CSRF token")
    s.stop()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(secret, payload, alg="HS256"):
    head = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = b64url(json.dumps(payload).encode())
    if alg == "none":
        return f"{head}.{body}."
    sig = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(sig)}"


def secret_file():
    path = os.path.join(WORKDIR, "secret")
    with open(path, "w") as f:
        f.write(SECRET + "\n")
    return path


def test_tokens_expired_forged_tampered_revoked():
    db, s, coord = region_server("tokens", ["--secret-file", secret_file()], login="coordinator")
    issued = coord.post("/api/tokens", {"name": "сценарий", "days": 30}).json
    good = Client(s, token=issued["token"])
    check_equal(good.get("/api/whoami").json["via"], "token", "a real token works")
    _, payload, _ = issued["token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    now = int(time.time())
    cases = {
        "expired": (jwt(SECRET, dict(claims, exp=now - 10)), "срок действия истёк"),
        "forged with another key": (jwt("another-secret-" + "y" * 40, claims), "подпись неверна"),
        "alg none": (jwt(SECRET, claims, alg="none"), ""),
        "tampered payload": (issued["token"].split(".")[0] + "." + b64url(json.dumps(dict(claims, sub="admin")).encode())
                             + "." + issued["token"].split(".")[2], "подпись неверна"),
        "signed right but never issued": (jwt(SECRET, dict(claims, jti="made-up")), "отозван"),
        "another account's name": (jwt(SECRET, dict(claims, sub="admin")), "отозван"),
        "no exp": (jwt(SECRET, {k: v for k, v in claims.items() if k != "exp"}), "нет срока"),
        "garbage": ("not.a.jwt", ""),
    }
    for name, (token, why) in cases.items():
        a = Client(s, token=token).get("/api/whoami")
        check_equal((a.status, a.error_id()), (401, "auth.bad_token"), name)
        check(why in a.json["errors"][0]["message"], f"{name}: {a.json['errors'][0]['message']}")
    a = raw_request(s.port, "GET", "/api/whoami", headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
    check_equal((a.status, a.error_id()), (401, "auth.bad_token"), "Basic is not a bearer token")
    # A stale session cookie is refused, not treated as anonymous, and the browser is told to drop it.
    a = raw_request(s.port, "GET", "/api/whoami", headers={"Cookie": "ppko_session=stale"})
    check_equal((a.status, a.error_id()), (401, "auth.bad_token"), "stale cookie")
    check("Max-Age=0" in a.headers.get("set-cookie", ""), "the stale cookie is deleted")
    # Revoked: the token stops at once.
    check_equal(coord.delete("/api/tokens/" + issued["id"]).status, 200, "revoke")
    check_equal(good.get("/api/whoami").status, 401, "a revoked token")
    # Disabled account: its tokens and sessions stop.
    t2 = Client(s, token=coord.post("/api/tokens", {"name": "второй", "days": 1}).json["token"])
    check_equal(t2.get("/api/whoami").status, 200, "second token")
    admin = Client(s)
    admin.login("admin", PASSWORD)
    v = admin.get("/api/users/coordinator").json["version"]
    check_equal(admin.patch("/api/users/coordinator", {"version": v, "disabled": True}).status, 200, "disable")
    check_equal(t2.get("/api/whoami").status, 401, "the token of a disabled account")
    check_equal(coord.get("/api/whoami").status, 401, "the session of a disabled account")
    coord2 = Client(s)
    check_equal(coord2.login("coordinator", PASSWORD, expect=401).error_id(), "auth.bad_credentials", "disabled login")
    a = coord.post("/api/tokens", {"name": "x", "days": 10000})
    check_equal(a.status, 401, "a disabled account cannot mint tokens")
    a = admin.post("/api/tokens", {"name": "x", "days": 10000})
    check_equal((a.status, a.error_id()), (400, "data.bad_value"), "token lifetime is bounded")
    s.stop()


def test_login_throttling():
    db = Database(BACKEND, WORKDIR, "throttle")
    add_region(db)
    config = os.path.join(WORKDIR, "throttle.json")
    with open(config, "w") as f:
        json.dump({"limits": {"login_failures_per_login": 5, "login_failures_per_address": 12}}, f)
    s = Server(PPKO, db, WORKDIR, "throttle", ["--config", config])
    c = Client(s)
    for i in range(5):
        a = c.login("coordinator", "wrong password " + str(i), expect=401)
        check_equal(a.error_id(), "auth.bad_credentials", f"failure {i + 1}")
    a = c.login("coordinator", PASSWORD, expect=429)  # the right password waits as well
    check_equal(a.error_id(), "auth.throttled", "throttled")
    wait = int(a.headers.get("retry-after", "0"))
    check(wait >= 1, f"Retry-After: {a.headers}")
    check_equal(a.json["retry_after"], wait, "retry_after in the body")
    # An unknown login is counted the same way (no hint which logins exist).
    for i in range(5):
        check_equal(c.login("no-such-user", "x" * 12, expect=401).error_id(), "auth.bad_credentials", "unknown")
    check_equal(c.login("no-such-user", "x" * 12, expect=429).status, 429, "unknown login throttled too")
    # Another login from the same address still works …
    check_equal(Client(s).login("region", PASSWORD).status, 200, "other login")
    # … until the address itself has failed too often (12 per address).
    for i in range(2):
        c.login("school", "wrong" + str(i) * 10, expect=401)
    a = Client(s).login("expert", PASSWORD, expect=429)
    check_equal(a.error_id(), "auth.throttled", "per address")
    # Changing a password with a wrong old one counts as a failure too.
    s.stop()


def test_body_limits():
    db, s, admin = region_server("limits", ["--max-body", "4096"])
    big = {"id": "big", "name": "я" * 4000}
    a = admin.post("/api/municipalities", big)
    check_equal((a.status, a.error_id()), (413, "server.too_large"), "Content-Length over the limit")
    check_equal(a.json["errors"][0]["message"], "тело запроса больше допустимых 4096 байт", "message")
    a = admin.request("POST", "/api/municipalities", iter([b'{"id": "big", "name": "', b"x" * 3000, b"y" * 3000, b'"}']),
                      headers={"Content-Type": "application/json"}, chunked=True)
    check_equal((a.status, a.error_id()), (413, "server.too_large"), "chunked body over the limit")
    a = raw_request(s.port, "POST", "/api/login", "x" * 5000)
    check_equal(a.status, 413, "before authentication too")
    check_equal(admin.post("/api/municipalities", {"id": "small", "name": "x" * 100}).status, 201, "under the limit")
    check_equal(admin.get("/api/municipalities/big").status, 404, "nothing of the refused bodies was stored")
    # Text longer than a field allows.
    a = admin.post("/api/municipalities", {"id": "long", "name": "x" * 201})
    check_equal((a.status, a.error_id()), (400, "data.bad_value"), "field length")
    s.stop()


def test_header_limits():
    db = Database(BACKEND, WORKDIR, "headers")
    s = Server(PPKO, db, WORKDIR, "headers")
    a = raw_request(s.port, "GET", "/api/health", headers={f"X-H{i}": "v" for i in range(150)})
    check_equal(a.status, 400, "more than 100 header fields")
    a = raw_request(s.port, "GET", "/api/health", headers={"X-Long": "v" * 10000})
    check_equal(a.status, 400, "a header value over 8 KiB")
    a = raw_request(s.port, "GET", "/api/health?" + "a" * 20000)
    check_equal(a.status, 400, "a request line over 16 KiB")
    a = raw_request(s.port, "GET", "/api/audit?" + "a=1&" * 1100)
    check(a.status in (400, 401), f"a long query: {a}")
    check_equal(raw_request(s.port, "GET", "/api/health").status, 200, "still serving")
    s.stop()


def test_path_traversal_in_every_name():
    db, s, admin = region_server("traversal")
    region = Client(s)
    region.login("region", PASSWORD)
    bad = ["..", "%2e%2e", "%2E%2e", ".", "..%2f..%2fetc%2fpasswd", "a%2fb", "a%5cb", "%00", "a%0ab", "%2fetc",
           "%252e%252e", "Demidovsky", "sh%20-1", "%D1%88%D0%BA", "x" * 65]
    openapi = json.load(open(os.path.join(SOURCE, "engine", "server", "openapi.json")))
    tried = 0
    for pattern, ops in openapi["paths"].items():
        if "{" not in pattern:
            continue
        for method in ops:
            for name in ("municipality", "school", "login", "token", "file", "methodology_file"):
                if "{" + name + "}" not in pattern:
                    continue
                for b in bad:
                    if name == "login" and b == "Demidovsky":
                        continue  # capitals are fine in logins
                    target = pattern
                    for other, value in (("municipality", "demidovsky"), ("school", "sh-1"), ("login", "spare"),
                                         ("token", "0" * 32), ("file", "facts.json"),
                                         ("methodology_file", "identification.json")):
                        target = target.replace("{" + other + "}", b if other == name else value)
                    client = admin if pattern.startswith("/api/users") or method != "get" else region
                    body = {"version": 1, "name": "x", "password": PASSWORD} if method != "get" else None
                    a = client.request(method.upper(), target, body)
                    tried += 1
                    if b in ("..", ".", "%2e%2e", "%2E%2e") and a.status == 404:
                        continue  # a client may normalise dot segments away: then no route matches
                    check_equal((a.status, a.error_id()), (400, "server.bad_name"), f"{method} {target}")
    check(tried > 150, f"only {tried} attempts")
    check_equal(region.get("/api/municipalities/demidovsky/programs/sh-1").status, 200, "a good name still works")
    s.stop()


def test_sql_metacharacters_are_stored_verbatim():
    db, s, admin = region_server("sqlmeta")
    nasty = ["Robert'); DROP TABLE users; --", "' OR '1'='1", "\" OR \"\"=\"", "x'; DELETE FROM audit; --",
             "\\'; SELECT pg_sleep(10); --", "$1 $$ ? :name @p %s %n", "Школа «№ 1» — 100% ‰ ☃ 𝔘", "a\\\\b\\n",
             "'; UPDATE users SET role='admin' WHERE login='school'; --", "/* */ -- #", "CHAR(0x41)"]
    for i, text in enumerate(nasty):
        mid = f"m{i}"
        a = admin.post("/api/municipalities", {"id": mid, "name": text})
        check_equal(a.status, 201, f"municipality {text!r}: {a}")
        check_equal(admin.get("/api/municipalities/" + mid).json["name"], text, "municipality name")
        login = f"user{i}"
        a = admin.post("/api/users", {"login": login, "name": text, "role": "coordinator", "municipality": mid,
                                      "password": text + " пароль"})
        check_equal(a.status, 201, f"user {text!r}: {a}")
        check_equal(admin.get("/api/users/" + login).json["name"], text, "user name")
        u = Client(s)
        u.login(login, text + " пароль")  # the password went through verbatim as well
        t = u.post("/api/tokens", {"name": text, "days": 1})
        check_equal(t.status, 201, "token")
        check_equal([x["name"] for x in u.get("/api/tokens").json["items"]], [text], "token name")
        v = admin.get("/api/region").json["version"]
        check_equal(admin.patch("/api/region", {"name": text, "version": v}).json["name"], text, "region name")
        v = admin.get("/api/users/" + login).json["version"]
        check_equal(admin.patch("/api/users/" + login, {"version": v, "name": text + "!"}).json["name"], text + "!",
                    "changed name")
        a = Client(s).login(text[:64], text, expect=None)
        check(a.status in (400, 401), f"login with {text!r}: {a}")
    # Nothing was dropped, deleted or promoted along the way.
    check_equal(admin.get("/api/users/school").json["role"], "school", "no promotion")
    check(len(admin.get("/api/users").json["items"]) == len(ACCOUNTS) + len(nasty), "all users are there")
    check(len(admin.get("/api/audit?limit=1000").json["items"]) > 3 * len(nasty), "the audit log is whole")
    check_equal(len(admin.get("/api/municipalities").json["items"]), 2 + len(nasty), "municipalities")
    s.stop()


def concurrent_patches(servers, token, target, version, n):
    """n concurrent PATCHes of one record, all naming `version`, spread over `servers`."""
    results = [None] * n
    barrier = threading.Barrier(n)

    def one(i):
        c = Client(servers[i % len(servers)], token=token)
        barrier.wait(timeout=30)
        results[i] = c.patch(target, {"version": version, "name": f"Правка {i}"})

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    check(all(r is not None for r in results), "a request did not finish")
    return results


def check_one_winner(results, admin, target, version):
    won = [r for r in results if r.status == 200]
    lost = [r for r in results if r.status == 409]
    check_equal((len(won), len(lost)), (1, len(results) - 1), f"statuses {[r.status for r in results]}")
    for r in lost:
        check_equal(r.error_id(), "record.conflict", "409 id")
        check_equal(r.json["current"]["version"], version + 1, "409 carries the current record")
        check_equal(r.json["changed"], ["name"], "409 names what changed")
    now = admin.get(target).json
    check_equal((now["version"], now["name"]), (version + 1, won[0].json["name"]), "the winner's edit is the record")


def admin_token(server):
    admin = Client(server)
    admin.login("admin", PASSWORD)
    return admin, admin.post("/api/tokens", {"name": "concurrency", "days": 1}).json["token"]


def test_concurrent_edits_exactly_one_wins():
    db = Database(BACKEND, WORKDIR, "edits")
    add_region(db)
    s = Server(PPKO, db, WORKDIR, "edits")
    admin, token = admin_token(s)
    for target in ("/api/users/spare", "/api/municipalities/smolensk"):
        v = admin.get(target).json["version"]
        results = concurrent_patches([s], token, target, v, 12)
        check_one_winner(results, admin, target, v)
    audit = admin.get("/api/audit?limit=1000").json["items"]
    check_equal(len([e for e in audit if e["target"] == "user:spare" and e["action"] == "user.update"]), 1,
                "one audit row for the one change")
    s.stop()


def test_concurrent_token_requests_keep_the_server_up():
    # Regression: Poco 1.11 tore OpenSSL's locks down while another thread verified a JWT (SIGSEGV
    # under load); each thread here checks tokens, reads the store and answers at the same time.
    db, s, admin = region_server("parallel")
    token = admin.post("/api/tokens", {"name": "parallel", "days": 1}).json["token"]
    region = Client(s)
    region.login("region", PASSWORD)
    region_token = region.post("/api/tokens", {"name": "parallel", "days": 1}).json["token"]
    statuses = []
    lock = threading.Lock()

    def worker(i):
        c = Client(s, token=token if i % 2 else region_token)
        target = "/api/users" if i % 2 else "/api/municipalities/demidovsky/programs"
        mine = [c.get(target).status for _ in range(150)]
        with lock:
            statuses.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(24)]
    [t.start() for t in threads]
    [t.join(120) for t in threads]
    check(s.proc.poll() is None, f"the server died: {s.proc.returncode}")
    check_equal((len(statuses), set(statuses)), (24 * 150, {200}), "every answer")
    check_equal(s.stop(), 0, "exit code")


def test_two_servers_one_database():
    if BACKEND != "postgresql":
        return
    db = Database(BACKEND, WORKDIR, "two")
    add_region(db)
    a = Server(PPKO, db, WORKDIR, "two-a")
    b = Server(PPKO, db, WORKDIR, "two-b")
    admin, token = admin_token(a)
    # A session made on one server is good on the other (stateless servers behind a proxy).
    cookie_client = Client(b)
    cookie_client.cookie, cookie_client.csrf = admin.cookie, admin.csrf
    check_equal(cookie_client.get("/api/whoami").json["login"], "admin", "the session on the other server")
    for round_ in range(3):
        for target in ("/api/users/spare", "/api/municipalities/smolensk", "/api/region"):
            v = admin.get(target).json["version"]
            results = concurrent_patches([a, b], token, target, v, 10) if target != "/api/region" else None
            if results is None:
                results = []
                barrier = threading.Barrier(10)

                def one(i, out=results):
                    c = Client([a, b][i % 2], token=token)
                    barrier.wait(timeout=30)
                    out.append(c.patch(target, {"version": v, "name": f"Область {round_}-{i}"}))

                threads = [threading.Thread(target=one, args=(i,)) for i in range(10)]
                [t.start() for t in threads]
                [t.join(60) for t in threads]
            won = [r for r in results if r.status == 200]
            check_equal(len(won), 1, f"{target} round {round_}: {[r.status for r in results]}")
            check(all(r.status in (200, 409) for r in results), f"{[r for r in results if r.status not in (200, 409)]}")
    # Throttling is shared: failures on one server count on the other.
    for i in range(5):
        Client([a, b][i % 2]).login("expert", "wrong" * 3, expect=401)
    check_equal(Client(a).login("expert", PASSWORD, expect=429).status, 429, "shared throttle")
    check_equal(a.stop(), 0, "a stops")
    check_equal(b.stop(), 0, "b stops")


def test_kill9_mid_transaction_the_other_server_goes_on():
    if BACKEND != "postgresql":
        return
    db = Database(BACKEND, WORKDIR, "kill9")
    add_region(db)
    doomed = Server(PPKO, db, WORKDIR, "kill9-a", env={"PPKO_FAILPOINT": "users.update"})
    other = Server(PPKO, db, WORKDIR, "kill9-b")
    admin, token = admin_token(other)
    before = admin.get("/api/users/spare").json
    hung = []
    t = threading.Thread(target=lambda: hung.append(
        _swallow(lambda: Client(doomed, token=token).patch("/api/users/spare",
                                                           {"version": before["version"], "name": "Недописанное"}))))
    t.start()
    doomed.wait_for_stderr("failpoint users.update")  # its UPDATE is done, the row locked, no COMMIT
    doomed.kill9()
    t.join(30)
    after_kill = admin.get("/api/users/spare").json
    check_equal((after_kill["version"], after_kill["name"]), (before["version"], before["name"]),
                "the killed server's transaction left nothing")
    a = Client(other, token=token).patch("/api/users/spare", {"version": before["version"], "name": "Дописанное"})
    check_equal(a.status, 200, f"the other server takes the same edit: {a}")
    check_equal(admin.get("/api/users/spare").json["version"], before["version"] + 1, "one version on")
    audit = admin.get("/api/audit?limit=1000").json["items"]
    names = [e["after"].get("name") for e in audit if e["target"] == "user:spare" and e["action"] == "user.update"]
    check_equal(names, ["Дописанное"], "one audit row, the survivor's")
    check_equal(other.stop(), 0, "the other server stops cleanly")


def _swallow(fn):
    try:
        return fn()
    except Exception as e:  # the killed server drops the connection
        return e


def test_sigterm_lets_a_request_in_its_transaction_finish():
    db = Database(BACKEND, WORKDIR, "sigterm")
    add_region(db)
    s = Server(PPKO, db, WORKDIR, "sigterm", env={"PPKO_FAILPOINT": "users.update=1500"})
    admin, token = admin_token(s)
    v = admin.get("/api/users/spare").json["version"]
    out = []
    t = threading.Thread(target=lambda: out.append(
        Client(s, token=token).patch("/api/users/spare", {"version": v, "name": "Во время остановки"})))
    t.start()
    s.wait_for_stderr("failpoint users.update")
    s.proc.send_signal(15)
    t.join(30)
    check_equal(out[0].status, 200, f"the request in flight finished: {out}")
    code = s.stop()
    check_equal(code, 0, "exit code")
    check("начатые запросы завершаются" in s.stderr_text(), "shutdown message")
    try:
        raw_request(s.port, "GET", "/api/health")
        raise Failure("a stopped server answered")
    except (ConnectionError, socket.error):
        pass
    rows = db.sql("SELECT version, name FROM users WHERE login = 'spare'")
    check_equal(rows, [[str(v + 1), "Во время остановки"]], "the change was committed whole")


def test_cli_commands():
    db = Database(BACKEND, WORKDIR, "cli")
    out = run_command(PPKO, ["user", "add", "x", "--role", "admin", "--password", "p", "--db", db.location])
    check_equal(out.returncode, 2, "a password on the command line is refused")
    check("пароль в командной строке не принимается" in out.stderr, out.stderr)
    out = run_command(PPKO, ["user", "add", "x", "--role", "admin", "--db", db.location], stdin="short\n")
    check_equal((out.returncode, out.stderr.strip()),
                (2, "пароль не подходит: пароль короче 10 символов [auth.weak_password]"), "weak password")
    out = run_command(PPKO, ["user", "add", "x", "--role", "coordinator", "--db", db.location], stdin=PASSWORD + "\n")
    check_equal((out.returncode, out.stderr.strip()),
                (1, "$.municipality: роли «coordinator» нужен муниципалитет [data.missing_field]"), "scope")
    out = run_command(PPKO, ["user", "add", "x", "--role", "admin", "--db", db.location], stdin=PASSWORD + "\n")
    check_equal(out.returncode, 0, out.stderr)
    out = run_command(PPKO, ["user", "add", "x", "--role", "admin", "--db", db.location], stdin=PASSWORD + "\n")
    check_equal((out.returncode, out.stderr.strip()), (2, "$.login: учётная запись «x» уже есть [record.exists]"),
                "twice")
    out = run_command(PPKO, ["user", "passwd", "x", "--db", db.location], stdin="новый-пароль-123\n")
    check_equal(out.returncode, 0, out.stderr)
    out = run_command(PPKO, ["user", "list", "--format", "json", "--db", db.location])
    users = json.loads(out.stdout)
    check_equal([(u["login"], u["role"], u["version"]) for u in users], [("x", "admin", 2)], "list")
    check("password" not in out.stdout and "salt" not in out.stdout, "no secrets listed")
    out = run_command(PPKO, ["serve", "--help"])
    check("Примеры:" in out.stdout and "ppko serve --listen" in out.stdout, "serve --help has examples")
    out = run_command(PPKO, ["serve", "--listen", "nowhere", "--db", db.location])
    check_equal(out.returncode, 2, f"bad --listen: {out.stderr}")


# ---- phase 2: a municipality's data and domain ----------------------------------------------------

SAMPLES = os.path.join(SOURCE, "samples")
DOMAIN_ACCOUNTS = {  # login: (role, municipality, school); the roles of ROLES, on smolensk
    "admin": ("admin", "", ""),
    "region": ("region", "", ""),
    "coordinator": ("coordinator", "smolensk", ""),
    "school": ("school", "smolensk", "sh-10"),
    "expert": ("expert", "smolensk", ""),
    "coordinator-l": ("coordinator", "lesosibirsk", ""),
}


def import_sample(db, mid, sample):
    out = run_command(PPKO, ["municipality", "import", mid, os.path.join(SAMPLES, sample), "--db", db.location])
    check_equal(out.returncode, 0, f"municipality import {mid}: {out.stderr}")
    return out.stderr


def domain_server(name, args=(), env=None, servers=1):
    """smolensk and lesosibirsk imported from the samples, the accounts above, `servers` servers."""
    db = Database(BACKEND, WORKDIR, name)
    for mid, title in (("smolensk", "город Смоленск"), ("lesosibirsk", "город Лесосибирск")):
        out = run_command(PPKO, ["municipality", "add", mid, "--name", title, "--db", db.location])
        check_equal(out.returncode, 0, f"municipality add: {out.stderr}")
        import_sample(db, mid, mid)
    for login, (role, m, sc) in DOMAIN_ACCOUNTS.items():
        a = ["user", "add", login, "--role", role, "--name", "Учётная запись " + login, "--db", db.location] + \
            (["--municipality", m] if m else []) + \
            (["--school", sc] if sc else [])
        out = run_command(PPKO, a, stdin=PASSWORD + "\n")
        check_equal(out.returncode, 0, f"user add {login}: {out.stderr}")
    found = [Server(PPKO, db, WORKDIR, f"{name}-{i}", args, env) for i in range(servers)]
    return db, found


def logged_in(server, login):
    c = Client(server)
    c.login(login, PASSWORD)
    return c


def file_version(coord, name, mid="smolensk"):
    a = coord.get(f"/api/municipalities/{mid}/files/{name}")
    check_equal(a.status, 200, f"GET {name}: {a}")
    return a.json["version"]


def wait_job(client, job, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        a = client.get("/api/jobs/" + job)
        check_equal(a.status, 200, f"job {job}: {a}")
        if a.json["state"] in ("done", "failed"):
            return a.json
        check(time.monotonic() < deadline, f"job {job} still {a.json}")
        time.sleep(0.1)


def domain_matrix(coord):
    E = lambda *codes: dict(zip(ROLES, codes))  # noqa: E731
    centre = lambda c: {"content": coord.get("/api/municipalities/smolensk/files/centre.json").json["content"],  # noqa: E731
                        "version": file_version(coord, "centre.json")}
    _counter[0] += 1
    fact = lambda c: {"fact": {"date": f"2021-0{1 + _counter[0] % 8}-1{_counter[0] % 10}", "school": "sh-10",  # noqa: E731
                               "fact": "input_monitoring", "note": "матрица " + unique("f")},
                      "version": file_version(coord, "facts.json")}
    job = coord.post("/api/municipalities/smolensk/jobs", {"only": ["decision"]})
    check_equal(job.status, 202, f"job: {job}")
    wait_job(coord, job.json["id"])
    j = "/api/jobs/" + job.json["id"]
    region = logged_in(coord.server, "region")
    job = region.post("/api/region/jobs", {"only": ["decision"]})
    check_equal(job.status, 202, f"region job: {job}")
    wait_job(region, job.json["id"])
    rj = "/api/jobs/" + job.json["id"]
    Rj = E(401, 200, 404, 403, 403, 403)      # the region's job: the region only (a coordinator: not found)
    R = E(401, 200, 200, 200, 403, 403)       # region, coordinator, the school itself
    R_other = E(401, 200, 200, 404, 403, 403)  # … another school
    D = E(401, 200, 200, 403, 403, 403)       # region and coordinator
    C = E(401, 403, 200, 403, 403, 403)       # the coordinator only
    # The municipality's own identification table (the built-in one with another title).
    own = "/api/municipalities/smolensk/files/workflows/identification.json"
    if coord.get(own).status == 404:
        table = open(os.path.join(SOURCE, "workflows", "identification.json"), encoding="utf-8").read()
        a = coord.request("PUT", own, {"content": table.replace('"title": "', '"title": "Своя: ', 1), "version": 0})
        check_equal(a.status, 201, f"own methodology: {a}")
    own_table = lambda c: {"content": coord.get(own).json["content"], "version": coord.get(own).json["version"]}  # noqa: E731
    return [
        ("GET", own, None, D),
        ("GET", "/api/municipalities/lesosibirsk/files/workflows/identification.json", None, E(401, 404, 404, 403, 403, 403)),
        ("PUT", own, own_table, C),
        ("DELETE", "/api/municipalities/smolensk/files/workflows/nothing.json?version=1", None,
         E(401, 403, 404, 403, 403, 403)),
        ("GET", "/api/municipalities/smolensk/files", None, D),
        ("GET", "/api/municipalities/lesosibirsk/files", None, E(401, 200, 404, 403, 403, 403)),
        ("GET", "/api/municipalities/smolensk/files/schools.json", None, D),
        ("GET", "/api/municipalities/smolensk/files/nothing.json", None, E(401, 404, 404, 403, 403, 403)),
        ("PUT", "/api/municipalities/smolensk/files/centre.json", centre, C),
        ("PUT", "/api/municipalities/lesosibirsk/files/centre.json", {"content": "{}", "version": 1},
         E(401, 403, 404, 403, 403, 403)),
        ("DELETE", "/api/municipalities/smolensk/files/nothing.json?version=1", None, E(401, 403, 404, 403, 403, 403)),
        ("GET", "/api/municipalities/smolensk/identification?year=2019-2020", None, R),
        ("GET", "/api/municipalities/lesosibirsk/identification", None, E(401, 200, 404, 404, 403, 403)),
        ("GET", "/api/municipalities/smolensk/status?date=2020-05-31", None, R),
        ("GET", "/api/municipalities/smolensk/schools/sh-10/status?date=2020-05-31", None, R),
        ("GET", "/api/municipalities/smolensk/schools/sh-1/status", None, R_other),
        ("GET", "/api/municipalities/smolensk/schools/sh-10/explain?date=2019-05-31", None, R),
        ("GET", "/api/municipalities/smolensk/schools/sh-1/explain", None, R_other),
        ("GET", "/api/municipalities/smolensk/schools/sh-10/history", None, R),
        ("GET", "/api/municipalities/smolensk/schools/sh-1/history", None, R_other),
        ("POST", "/api/municipalities/smolensk/facts", fact, E(401, 403, 201, 201, 403, 403)),
        ("POST", "/api/municipalities/smolensk/advance", {"date": "2019-09-01"}, C),
        ("GET", "/api/municipalities/smolensk/documents", None, R),
        ("GET", "/api/municipalities/smolensk/documents/decision?date=2020-06-01", None, R_other),
        ("GET", "/api/municipalities/smolensk/documents/plan?school=sh-10", None, R),
        ("POST", "/api/municipalities/smolensk/jobs", {"only": ["decision"]}, E(401, 403, 202, 403, 403, 403)),
        ("GET", j, None, D),
        ("GET", j + "/result", None, D),
        ("POST", "/api/region/jobs", {"only": ["decision"]}, E(401, 202, 403, 403, 403, 403)),
        ("GET", rj, None, Rj),
        ("GET", rj + "/result", None, Rj),
    ] + expertise_matrix(coord)


COUNCIL = "/api/municipalities/smolensk/expertise/2020-12-22"


def assign_experts(coord):
    """councils.json of smolensk with two experts: the "expert" account's (sh-10, sh-1) and another (sh-3)."""
    f = coord.get("/api/municipalities/smolensk/files/councils.json").json
    councils = json.loads(f["content"])
    councils["councils"][0]["experts"] = [{"name": "Учётная запись expert", "schools": ["sh-10", "sh-1"]},
                                          {"name": "Другой эксперт", "schools": ["sh-3"]}]
    a = coord.request("PUT", "/api/municipalities/smolensk/files/councils.json",
                      {"content": json.dumps(councils, ensure_ascii=False, indent=2) + "\n", "version": f["version"]})
    check_equal(a.status, 200, f"PUT councils.json with experts: {a}")


def expertise_matrix(coord):
    """The expert's routes: its own programs (sh-10), another expert's (sh-3) → 404 for it."""
    E = lambda *codes: dict(zip(ROLES, codes))  # noqa: E731
    own = E(401, 200, 200, 403, 200, 403)
    other = E(401, 200, 200, 403, 404, 403)
    conclusion = lambda c: {"version": coord.get(COUNCIL + "/sh-10/conclusion").json["version"],  # noqa: E731
                            "directions": "матрица " + unique("c"), "risks": "риск\nвторой абзац"}
    return [
        ("GET", "/api/municipalities/smolensk/expertise", None, own),
        ("GET", "/api/municipalities/lesosibirsk/expertise", None, E(401, 200, 404, 403, 404, 403)),
        ("GET", COUNCIL + "/sh-10", None, own),
        ("GET", COUNCIL + "/sh-3", None, other),
        ("GET", COUNCIL + "/sh-10/conclusion", None, own),
        ("GET", COUNCIL + "/sh-3/conclusion", None, other),
        ("PUT", COUNCIL + "/sh-10/conclusion", conclusion, E(401, 403, 403, 403, 200, 403)),
        ("PUT", COUNCIL + "/sh-3/conclusion", {"version": 0, "risks": "чужое"}, E(401, 403, 403, 403, 404, 403)),
        ("GET", COUNCIL + "/sh-10/document", None, own),
        ("GET", COUNCIL + "/sh-3/document", None, other),
    ]


def domain_patterns():
    openapi = json.load(open(os.path.join(SOURCE, "engine", "server", "openapi.json")))
    return {(m, p) for p, ops in openapi["paths"].items() for m in ops
            if "/files" in p or "/schools/" in p or "/documents" in p or "/jobs" in p
            or "/expertise" in p or p.endswith(("/identification", "/status", "/facts", "/advance"))}


DOMAIN_PATTERNS = domain_patterns()


def test_domain_role_matrix():
    db, (s,) = domain_server("dmatrix")
    coord = logged_in(s, "coordinator")
    assign_experts(coord)
    sessions = {"anonymous": Client(s)}
    for role in ROLES[1:]:
        sessions[role] = logged_in(s, role)
    phase1 = {(m.lower(), pattern_of(t if isinstance(t, str) else "/api/tokens/x")) for m, t, _, _ in matrix(coord)}
    rows = domain_matrix(coord)
    run_matrix(s, sessions, coord, "domain session", rows, others=phase1)
    run_matrix(s, token_clients(s, sessions), coord, "domain token", domain_matrix(coord), others=phase1)
    check_equal(s.stop(), 0, "exit code")


def test_round_trip_of_every_sample_is_byte_identical():
    db = Database(BACKEND, WORKDIR, "roundtrip")
    # Every workspace among the samples (samples/import holds spreadsheets, not a workspace).
    workspaces = [d for d in sorted(os.listdir(SAMPLES)) if os.path.isfile(os.path.join(SAMPLES, d, "workspace.json"))]
    check(len(workspaces) >= 4, f"sample workspaces: {workspaces}")
    for sample in workspaces:
        out = run_command(PPKO, ["municipality", "add", sample, "--name", sample, "--db", db.location])
        check_equal(out.returncode, 0, out.stderr)
        first = import_sample(db, sample, sample)
        others = sorted(f for f in os.listdir(os.path.join(SAMPLES, sample)) if not f.endswith(".json"))
        check("не загружены (не файлы данных): " + " ".join(others) in first, f"{others} named as skipped: {first}")
        dest = os.path.join(WORKDIR, "export", BACKEND, sample)
        out = run_command(PPKO, ["municipality", "export", sample, dest, "--db", db.location])
        check_equal(out.returncode, 0, out.stderr)
        src = sorted(f for f in os.listdir(os.path.join(SAMPLES, sample)) if f.endswith(".json"))
        check_equal(sorted(os.listdir(dest)), src, f"{sample}: the exported files")
        for f in src:
            check(open(os.path.join(SAMPLES, sample, f), "rb").read() == open(os.path.join(dest, f), "rb").read(),
                  f"{sample}/{f} differs after export")
        again = import_sample(db, sample, dest)  # the export imported back: nothing changes
        check(f"добавлено 0, изменено 0, удалено 0, без изменений {len(src)}" in again, again)
    rows = db.sql("SELECT count(*) FROM audit WHERE action = 'file.create'")
    check(int(rows[0][0]) >= 20, f"every file's creation audited: {rows}")
    # A municipality with its own methodology: workflows/ goes to the database and comes back.
    own = os.path.join(WORKDIR, "own-methodology", BACKEND)
    shutil.rmtree(own, ignore_errors=True)
    shutil.copytree(os.path.join(SAMPLES, "smolensk"), own)
    os.makedirs(os.path.join(own, "workflows"))
    table = open(os.path.join(SOURCE, "workflows", "identification.json"), "rb").read()
    table = table.replace(b'"title": "', '"title": "Своя редакция: '.encode(), 1)
    open(os.path.join(own, "workflows", "identification.json"), "wb").write(table)
    out = run_command(PPKO, ["municipality", "add", "own", "--name", "Своя методика", "--db", db.location])
    check_equal(out.returncode, 0, out.stderr)
    import_sample(db, "own", own)
    dest = os.path.join(WORKDIR, "export", BACKEND, "own")
    out = run_command(PPKO, ["municipality", "export", "own", dest, "--db", db.location])
    check_equal(out.returncode, 0, out.stderr)
    check_equal(sorted(os.listdir(os.path.join(dest, "workflows"))), ["identification.json"], "the methodology exported")
    check(open(os.path.join(dest, "workflows", "identification.json"), "rb").read() == table, "byte for byte")


def test_a_school_gets_nothing_of_another_school_in_the_domain():
    db, (s,) = domain_server("disolation")
    c = logged_in(s, "school")
    a = c.get("/api/municipalities/smolensk/status?date=2020-05-31")
    check_equal([r["school"] for r in a.json["schools"]], ["sh-10"], "status: only its own row")
    a = c.get("/api/municipalities/smolensk/identification?year=2019-2020")
    check_equal([r["school"] for r in a.json["schools"]], ["sh-10"], "identification: only its own row")
    a = c.get("/api/municipalities/smolensk/documents")
    check(a.json["items"] and all(d["per_school"] for d in a.json["items"]), f"only per-school documents: {a}")
    for target in ("/api/municipalities/smolensk/documents/plan?school=sh-1",
                   "/api/municipalities/smolensk/schools/sh-1/explain",
                   "/api/municipalities/lesosibirsk/status", "/api/municipalities/smolensk/files/facts.json"):
        a = c.get(target)
        check(a.status in (403, 404), f"{target}: {a}")
    a = c.post("/api/municipalities/smolensk/facts",
               {"fact": {"date": "2021-02-01", "school": "sh-1", "fact": "input_monitoring"}, "version": 1})
    check_equal((a.status, a.error_id()), (403, "auth.forbidden"), "a fact of another school")
    a = c.get("/api/municipalities/smolensk/documents/plan")
    check_equal(a.status, 200, f"its own plan: {a.raw[:300]}")
    check(a.headers["content-type"].startswith("application/vnd.openxmlformats"), a.headers)
    check("sh-10" in a.headers.get("content-disposition", ""), a.headers)
    s.stop()


def test_domain_answers_and_errors():
    db, (s,) = domain_server("danswers")
    c = logged_in(s, "coordinator")
    a = c.get("/api/municipalities/smolensk/schools/sh-10/explain?date=2019-05-31")
    check_equal(a.status, 200, f"explain: {a}")
    check("sh-10" in a.raw or "Школа" in a.json["text"] or a.json["text"], "explain text")
    # A fact outside the methodology's vocabulary: the CLI's message and id, named by facts.json.
    v = file_version(c, "facts.json")
    a = c.post("/api/municipalities/smolensk/facts",
               {"fact": {"date": "2021-02-01", "school": "sh-10", "fact": "no_such_fact"}, "version": v})
    check_equal(a.status, 400, f"an unknown fact: {a}")
    e = a.json["errors"][0]
    check(e["file"] == "facts.json" and e["path"].startswith("$.facts["), f"named by the record: {e}")
    check(WORKDIR not in a.raw, f"no server path in the message: {a.raw[:300]}")
    check_equal(file_version(c, "facts.json"), v, "nothing written")
    # Advance, then again: no second event.
    a = c.post("/api/municipalities/smolensk/advance", {"date": "2021-08-31"})
    check_equal(a.status, 200, f"advance: {a}")
    n = len(a.json["events"])
    check(n > 10, f"events written: {n}")
    a = c.post("/api/municipalities/smolensk/advance", {"date": "2021-08-31"})
    check_equal(len(a.json["events"]), 0, "the same date again changes nothing")
    h = c.get("/api/municipalities/smolensk/schools/sh-10/history").json["events"]
    check(h and all(e["note"] for e in h), f"history with notes: {h[:2]}")
    a = c.post("/api/municipalities/smolensk/advance", {"date": "2021-02-30"})
    check_equal((a.status, a.error_id()), (400, "data.bad_value"), "a date that does not exist")
    a = c.get("/api/municipalities/smolensk/documents/nothing")
    check_equal(a.status, 404, "an undeclared document")
    a = c.get("/api/municipalities/smolensk/documents/decision?date=2020-06-01&format=odt")
    check_equal((a.status, a.error_id()), (400, "data.bad_value"), "a format the server does not render")
    # The pages that read the audit log and the data files by their own queries, on this database
    # too: the change log, who recorded a fact, the region's list of own methodologies.
    own = "/api/municipalities/smolensk/files/workflows/identification.json"
    table = open(os.path.join(SOURCE, "workflows", "identification.json"), encoding="utf-8").read()
    check_equal(c.request("PUT", own, {"content": table, "version": 0}).status, 201, "own table")
    a = c.get("/municipalities/smolensk/changes")
    check_equal(a.status, 200, f"the change log: {a.raw[:300]}")
    check("Своя методика: таблица идентификации" in a.raw and "Показатели школ по учебным годам" in a.raw, "named in words")
    v = file_version(c, "facts.json")
    a = c.post("/api/municipalities/smolensk/facts",
               {"fact": {"date": "2021-02-01", "school": "sh-10", "fact": "input_monitoring"}, "version": v})
    check_equal(a.status, 201, f"a fact: {a}")
    a = c.get("/municipalities/smolensk/schools/sh-10")
    check_equal(a.status, 200, f"the school page: {a.raw[:300]}")
    check("Учётная запись coordinator (coordinator), " in a.raw, "who recorded the fact")
    a = logged_in(s, "region").get("/methodology")
    check("Свою методику (вместо встроенной) загрузили муниципалитеты:" in a.raw and "город Смоленск" in a.raw,
          f"the region's list: {a.raw[-1500:]}")
    s.stop()


def concurrent(n, fn):
    results = [None] * n
    barrier = threading.Barrier(n)

    def one(i):
        barrier.wait(timeout=30)
        results[i] = fn(i)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    [t.start() for t in threads]
    [t.join(300) for t in threads]
    return results


def event_keys(db, mid):
    rows = db.sql(f"SELECT school, kind, from_stage, to_stage, date FROM events WHERE tenant = '{mid}'")
    return [tuple(r) for r in rows]


def test_concurrent_file_edits_exactly_one_wins():
    servers = 2 if BACKEND == "postgresql" else 1
    db, found = domain_server("dedits", servers=servers)
    coords = [logged_in(s, "coordinator") for s in found]
    text = coords[0].get("/api/municipalities/smolensk/files/centre.json").json
    results = concurrent(8, lambda i: coords[i % servers].request(
        "PUT", "/api/municipalities/smolensk/files/centre.json",
        {"content": text["content"].rstrip("\n") + " " * (i + 1) + "\n", "version": text["version"]}))
    statuses = sorted(r.status for r in results)
    check_equal(statuses, [200] + [409] * 7, f"statuses {statuses}")
    for r in results:
        if r.status == 409:
            check_equal(r.error_id(), "record.conflict", "id")
            check_equal(r.json["current"]["version"], text["version"] + 1, "the current version")
    check_equal(file_version(coords[0], "centre.json"), text["version"] + 1, "one version on")
    # If-Match works as the version.
    a = coords[0].request("PUT", "/api/municipalities/smolensk/files/centre.json", {"content": text["content"]},
                          headers={"If-Match": '"1"'})
    check_equal((a.status, a.error_id()), (409, "record.conflict"), f"a stale If-Match: {a}")
    for s in found:
        s.stop()


def test_concurrent_conclusions_of_two_experts():
    """Two experts write their conclusions at once (on two servers on PostgreSQL), four attempts
    each at version 0: exactly one wins per conclusion, the others get 409 with the winner, and both
    conclusions are in conclusions.json — one expert's write never loses the other's."""
    servers = 2 if BACKEND == "postgresql" else 1
    db, found = domain_server("dconclusions", servers=servers)
    assign_experts(logged_in(found[0], "coordinator"))
    out = run_command(PPKO, ["user", "add", "expert2", "--role", "expert", "--municipality", "smolensk",
                             "--name", "Другой эксперт", "--db", db.location], stdin=PASSWORD + "\n")
    check_equal(out.returncode, 0, f"user add expert2: {out.stderr}")
    experts = [(logged_in(s, login), school) for s in found for login, school in (("expert", "sh-10"), ("expert2", "sh-3"))]
    results = concurrent(8, lambda i: (experts[i % len(experts)][1], experts[i % len(experts)][0].request(
        "PUT", f"{COUNCIL}/{experts[i % len(experts)][1]}/conclusion", {"version": 0, "risks": f"риск {i}"})))
    for school in ("sh-10", "sh-3"):
        mine = [a for sc, a in results if sc == school]
        check_equal(sorted(a.status for a in mine), [200, 409, 409, 409], f"{school}: {[a.raw[:120] for a in mine]}")
        won = [a for a in mine if a.status == 200][0]
        for a in mine:
            if a.status == 409:
                check_equal((a.error_id(), a.json["current"]["risks"]), ("record.conflict", won.json["risks"]), "the winner")
    coord = logged_in(found[0], "coordinator")
    stored = json.loads(coord.get("/api/municipalities/smolensk/files/conclusions.json").json["content"])["conclusions"]
    check_equal(sorted((c["school"], c["version"]) for c in stored), [("sh-10", 1), ("sh-3", 1)], "both conclusions kept")
    # The document of the conclusion holds the text written.
    a = experts[0][0].get(COUNCIL + "/sh-10/document")
    check_equal((a.status, a.bytes[:2]), (200, b"PK"), "the DOCX")
    for s in found:
        s.stop()


def test_concurrent_advances_write_each_transition_once():
    servers = 2 if BACKEND == "postgresql" else 1
    db, found = domain_server("dadvance", servers=servers)
    coords = [logged_in(s, "coordinator") for s in found]
    results = concurrent(6, lambda i: coords[i % servers].post("/api/municipalities/smolensk/advance",
                                                               {"date": "2021-08-31"}))
    check_equal(sorted({r.status for r in results}), [200], f"{[(r.status, r.raw[:200]) for r in results]}")
    written = [len(r.json["events"]) for r in results]
    check_equal(sorted(written)[:-1], [0] * (len(written) - 1), f"one advance wrote, the others found nothing: {written}")
    keys = event_keys(db, "smolensk")
    check_equal(len(keys), len(set(keys)), "no event twice")
    check_equal(len(keys), max(written), "every event once")
    for s in found:
        s.stop()


def test_kill9_mid_advance_leaves_before_or_after():
    servers = 2 if BACKEND == "postgresql" else 1
    db, found = domain_server("dkill", servers=servers)
    doomed = Server(PPKO, db, WORKDIR, "dkill-doomed", env={"PPKO_FAILPOINT": "advance.commit"})
    c = logged_in(doomed, "coordinator")
    t = threading.Thread(target=lambda: _swallow(lambda: c.post("/api/municipalities/smolensk/advance",
                                                                {"date": "2021-08-31"})))
    t.start()
    doomed.wait_for_stderr("failpoint advance.commit")
    doomed.kill9()
    t.join(30)
    check_equal(event_keys(db, "smolensk"), [], "the killed advance left nothing")
    other = logged_in(found[0], "coordinator")
    a = other.post("/api/municipalities/smolensk/advance", {"date": "2021-08-31"})
    check_equal(a.status, 200, f"the other server advances: {a}")
    keys = event_keys(db, "smolensk")
    check_equal((len(keys), len(set(keys))), (len(a.json["events"]), len(a.json["events"])), "each event once")
    for s in found:
        s.stop()


def test_batch_job_result_is_a_zip():
    import io
    import zipfile
    db, (s,) = domain_server("djob")
    c = logged_in(s, "coordinator")
    a = c.post("/api/municipalities/smolensk/jobs", {"only": ["decision", "plan"]})
    check_equal(a.status, 202, f"job: {a}")
    done = wait_job(c, a.json["id"])
    check_equal((done["state"], done["done"], done["done"] == done["total"]), ("done", done["total"], True), done)
    r = c.get("/api/jobs/" + a.json["id"] + "/result")
    check_equal(r.status, 200, f"result: {r.status}")
    check_equal(r.headers["content-type"], "application/zip", "zip")
    other = logged_in(s, "coordinator-l")
    check_equal(other.get("/api/jobs/" + a.json["id"]).status, 404, "another municipality's job is not found")
    a = c.post("/api/municipalities/smolensk/jobs", {"only": ["../etc"]})
    check_equal((a.status, a.error_id()), (400, "data.bad_value"), "an undeclared document")
    names = zipfile.ZipFile(io.BytesIO(r.bytes)).namelist()
    check("manifest.json" in names and any(n.endswith(".docx") for n in names), f"zip members: {names}")
    check(any(n.startswith(("plan/", "plany/")) or "/" in n for n in names), f"per-school files in folders: {names}")
    s.stop()


def test_jobs_are_answered_by_any_server():
    """A job started on server A is polled and downloaded on server B (jobs live in the database);
    a job whose server is killed is reported failed by B, not running for ever; another
    municipality's coordinator sees none of it."""
    import io
    import zipfile
    config = os.path.join(WORKDIR, "jobs2.json")
    with open(config, "w") as f:
        json.dump({"limits": {"job_stale_seconds": 10}}, f)
    db, (a, b) = domain_server("jobs2", args=("--config", config), servers=2)
    ca, cb = logged_in(a, "coordinator"), logged_in(b, "coordinator")
    job = ca.post("/api/municipalities/smolensk/jobs", {"only": ["decision", "plan"]})
    check_equal(job.status, 202, f"job on A: {job}")
    done = wait_job(cb, job.json["id"])
    check_equal((done["state"], done["done"] == done["total"] > 0), ("done", True), f"polled on B: {done}")
    r = cb.get("/api/jobs/" + job.json["id"] + "/result")
    check_equal((r.status, r.headers["content-type"]), (200, "application/zip"), f"downloaded on B: {r.status}")
    members = zipfile.ZipFile(io.BytesIO(r.bytes)).infolist()
    names = [m.filename for m in members]
    check("manifest.json" in names and any(n.endswith(".docx") for n in names), f"zip members: {names}")
    stored = {m.filename: m.compress_type == zipfile.ZIP_STORED for m in members}
    check(all(v for n, v in stored.items() if n.endswith((".docx", ".xlsx"))) and not stored["manifest.json"],
          f"DOCX and XLSX stored as they are (zips already), the manifest deflated: {stored}")
    check_equal(ca.get("/api/jobs/" + job.json["id"] + "/result").bytes, r.bytes, "the same zip from A")
    other = logged_in(b, "coordinator-l")
    check_equal(other.get("/api/jobs/" + job.json["id"]).status, 404, "another municipality's job is not found on B")
    check_equal(other.get("/api/jobs/" + job.json["id"] + "/result").status, 404, "nor its zip")
    check_equal(a.stop(), 0, "A stops")
    check_equal(b.stop(), 0, "B stops")

    # A server that dies with a job running: the other reports it failed once its heart stops.
    doomed = Server(PPKO, db, WORKDIR, "jobs2-doomed", ("--config", config), env={"PPKO_FAILPOINT": "jobs.run"})
    survivor = Server(PPKO, db, WORKDIR, "jobs2-survivor", ("--config", config))
    cd, cs = logged_in(doomed, "coordinator"), logged_in(survivor, "coordinator")
    job = cd.post("/api/municipalities/smolensk/jobs", {"only": ["decision"]})
    check_equal(job.status, 202, f"job on the doomed server: {job}")
    doomed.wait_for_stderr("failpoint jobs.run")
    time.sleep(3)  # several heartbeats (one a second): a long job of a live server stays running
    check_equal(cs.get("/api/jobs/" + job.json["id"]).json["state"], "running", "a live server's job runs on")
    doomed.kill9()
    deadline = time.monotonic() + 60
    while True:
        j = cs.get("/api/jobs/" + job.json["id"]).json
        if j["state"] != "running":
            break
        check(time.monotonic() < deadline, f"the dead server's job is still {j}")
        time.sleep(0.5)
    check_equal(j["state"], "failed", f"the dead server's job: {j}")
    check("остановился" in j.get("error", ""), f"why: {j}")
    check_equal(cs.get("/api/jobs/" + job.json["id"] + "/result").status, 404, "no zip of a failed job")
    check_equal(survivor.stop(), 0, "the survivor stops")


def test_an_upload_is_confirmed_by_another_server():
    """The import page's upload waits in the database: sent to server A, it is confirmed through
    server B (behind a balancer the two requests rarely meet on one server); nobody but its sender
    can confirm or cancel it, and nothing of it stays after the confirmation."""
    import re
    db, (a, b) = domain_server("upload2", servers=2)
    out = run_command(PPKO, ["user", "add", "coordinator-2", "--role", "coordinator", "--municipality", "smolensk",
                             "--name", "Второй координатор", "--db", db.location], stdin=PASSWORD + "\n")
    check_equal(out.returncode, 0, f"user add: {out.stderr}")
    ca, cb, other = logged_in(a, "coordinator"), logged_in(b, "coordinator"), logged_in(b, "coordinator-2")
    table = open(os.path.join(SAMPLES, "import", "social-passport-2019-2020.csv"), "rb").read()
    check(b"6,1%" in table, "the sample table holds 6,1 %")
    table = table.replace(b"6,1%", b"6,9%", 1)  # one value corrected: a change to confirm
    boundary = "ppko-upload-boundary"
    fields = [("csrf", None, ca.csrf.encode()), ("kind", None, b"indicators"), ("year", None, b"2019-2020"), ("replace", None, b"1"),
              ("file", "social-passport-2019-2020.csv", table)]
    body = b"".join(
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"".encode() +
        (f"; filename=\"{f}\"".encode() if f else b"") + b"\r\n\r\n" + v + b"\r\n" for n, f, v in fields)
    body += f"--{boundary}--\r\n".encode()
    plan = ca.request("POST", "/municipalities/smolensk/import", body,
                      headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
    check_equal(plan.status, 200, f"the plan on A: {plan.status} {plan.raw[plan.raw.find('<main'):][:1500]}")
    found = re.search(r'action="/municipalities/smolensk/import/([0-9a-f]{32})/confirm"', plan.raw)
    check(found, f"a confirmation form: {plan.raw[:800]}")
    upload = found.group(1)
    check_equal(db.sql("SELECT count(*) FROM pending_uploads"), [["1"]], "the upload waits in the database")
    before = file_version(cb, "indicators.json")
    target = f"/municipalities/smolensk/import/{upload}"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for who, what in ((other, "confirm"), (other, "cancel")):
        r = who.request("POST", f"{target}/{what}", "csrf=" + who.csrf, headers=form)
        check_equal(r.status, 404, f"another coordinator's {what} of the upload: {r.status}")
    original = cb.get("/api/municipalities/smolensk/files/indicators.json").json["content"]
    r = cb.request("POST", f"{target}/confirm", "csrf=" + cb.csrf, headers=form)
    check_equal((r.status, r.headers.get("location", "")),
                (303, f"/municipalities/smolensk/import?applied=1&file=indicators.json&version={before + 1}"),
                f"confirmed on B: {r.status} {r.raw[:400]}")
    check_equal(file_version(ca, "indicators.json"), before + 1, "the data file changed once")
    check_equal(db.sql("SELECT count(*) FROM pending_uploads"), [["0"]], "nothing of the upload is left")
    r = ca.request("POST", f"{target}/confirm", "csrf=" + ca.csrf, headers=form)
    check_equal(r.status, 404, "a confirmed upload cannot be confirmed again")

    # «Вернуть как было»: only the one who made the change, only while it is the latest; back only
    # to a page of the municipality.
    undo = "/municipalities/smolensk/files/indicators.json/undo"
    r = other.request("POST", undo, f"csrf={other.csrf}&version={before + 1}", headers=form)
    check_equal(r.status, 404, f"another coordinator undoes the change: {r.status}")
    r = ca.request("POST", undo, f"csrf={ca.csrf}&version={before + 1}&back=https%3A%2F%2Fevil.example%2F", headers=form)
    check_equal((r.status, r.headers.get("location", "")), (303, "/?undone=1"), f"undone on A: {r.status} {r.raw[:300]}")
    after = ca.get("/api/municipalities/smolensk/files/indicators.json").json
    check_equal((after["version"], after["content"] == original), (before + 2, True), "the text before the import")
    r = cb.request("POST", undo, f"csrf={cb.csrf}&version={before + 1}", headers=form)
    check_equal(r.status, 409, f"the same change undone twice: {r.status}")
    check_equal(a.stop(), 0, "A stops")
    check_equal(b.stop(), 0, "B stops")


def test_region_job_has_each_municipality_in_its_folder():
    """The region's job: one zip with a folder per municipality named by its title, each holding
    what that municipality's own job holds (names, and one DOCX byte for byte); progress over all
    of them; a municipality without data named in ошибки.txt, the others still delivered; only the
    region sees the job."""
    import io
    import zipfile
    db, (s,) = domain_server("rjob")
    region, coord = logged_in(s, "region"), logged_in(s, "coordinator")
    a = region.post("/api/region/jobs", {"date": "2021-05-31"})
    check_equal(a.status, 202, f"region job: {a}")
    check_equal((a.json["scope"], a.json["municipality"], a.headers["location"]),
                ("region", "", "/api/jobs/" + a.json["id"]), "a region's job")
    rj = a.json["id"]
    m = coord.post("/api/municipalities/smolensk/jobs", {"date": "2021-05-31"})
    check_equal(m.status, 202, f"municipal job: {m}")
    done = wait_job(region, rj, timeout=300)
    check_equal((done["state"], done["done"] == done["total"], "note" in done), ("done", True, False), done)
    mdone = wait_job(coord, m.json["id"], timeout=300)
    check_equal(mdone["state"], "done", mdone)
    r = region.get("/api/jobs/" + rj + "/result")
    check_equal((r.status, r.headers["content-type"]), (200, "application/zip"), "the region's zip")
    check('filename="region-' in r.headers["content-disposition"], r.headers["content-disposition"])
    whole = zipfile.ZipFile(io.BytesIO(r.bytes))
    own = zipfile.ZipFile(io.BytesIO(coord.get("/api/jobs/" + m.json["id"] + "/result").bytes))
    folders = sorted({n.split("/")[0] for n in whole.namelist()})
    check_equal(folders, ["город Лесосибирск", "город Смоленск"], "a folder per municipality, by its title")
    files = [n for n in whole.namelist() if not n.endswith("/")]  # the folders' own entries aside
    inside = sorted(n[len("город Смоленск/"):] for n in files if n.startswith("город Смоленск/"))
    check_equal(inside, sorted(n for n in own.namelist() if not n.endswith("/")),
                "Smolensk's folder holds what its own job holds")
    docx = next(n for n in own.namelist() if n.endswith(".docx") and "/" not in n)
    check_equal(whole.read("город Смоленск/" + docx), own.read(docx), f"{docx}: the same bytes")
    check("manifest.json" in [n.split("/", 1)[1] for n in whole.namelist() if n.startswith("город Лесосибирск/")],
          "Lesosibirsk's package is there too")
    # The progress's total: every document built (one per document, or per document and school)
    # of both municipalities, as their manifests list them.
    built = {title: len({(f["document"], f.get("school", "")) for f in json.loads(whole.read(title + "/manifest.json"))["files"]})
             for title in folders}
    check_equal((done["total"], mdone["total"]), (sum(built.values()), built["город Смоленск"]),
                f"the progress counts every document of every municipality: {built}")
    # Who sees it: the region; a coordinator of one municipality gets 404 (job and zip), as does
    # another municipality's; a school and the administrator are refused by role.
    for login, code in (("coordinator", 404), ("coordinator-l", 404), ("school", 403), ("admin", 403)):
        c = logged_in(s, login)
        check_equal(c.get("/api/jobs/" + rj).status, code, f"{login}: the region's job")
        check_equal(c.get("/api/jobs/" + rj + "/result").status, code, f"{login}: its zip")
        if login != "coordinator":
            continue
        check_equal(c.post("/api/region/jobs", {}).status, 403, "a coordinator cannot start one")
    check_equal(region.post("/api/region/jobs", {"only": ["../etc"]}).error_id(), "data.bad_value", "a bad id")
    check_equal(region.post("/api/region/jobs", {"date": "2021-02-30"}).error_id(), "data.bad_value", "a bad date")

    # A municipality without data: named in ошибки.txt and the note; the others delivered.
    admin = logged_in(s, "admin")
    check_equal(admin.post("/api/municipalities", {"id": "empty", "name": "Пустой район"}).status, 201, "a new one")
    a = region.post("/api/region/jobs", {"only": ["decision"]})
    done = wait_job(region, a.json["id"], timeout=300)
    check_equal(done["state"], "done", done)
    check("Пустой район" in done.get("note", "") and "ошибки.txt" in done["note"], f"the note: {done}")
    whole = zipfile.ZipFile(io.BytesIO(region.get("/api/jobs/" + a.json["id"] + "/result").bytes))
    errors = whole.read("ошибки.txt").decode("utf-8")
    check("Не собраны документы 1 муниципалитета из 3" in errors and "Пустой район" in errors and "[server.not_found]" in errors,
          f"ошибки.txt: {errors}")
    check_equal(sorted({n.split("/")[0] for n in whole.namelist()}),
                ["город Лесосибирск", "город Смоленск", "ошибки.txt"], "no folder for the municipality without data")
    # Every municipality failing: the job fails, no zip.
    a = region.post("/api/region/jobs", {"only": ["no-such-document"]})
    done = wait_job(region, a.json["id"], timeout=300)
    check_equal(done["state"], "failed", done)
    check("ни один муниципалитет не собран" in done["error"] and "no-such-document" in done["error"], done["error"])
    check_equal(region.get("/api/jobs/" + a.json["id"] + "/result").status, 404, "no zip of a failed job")
    check_equal(s.stop(), 0, "exit code")


def fnv1a64_hex(data):
    """The digest pdf::Pool writes into a PDF's /ID: 64-bit FNV-1a of the source's bytes."""
    h = 14695981039346656037
    for b in data:
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016X}"


def pdf_text(data):
    import subprocess
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, timeout=60)
    check_equal(out.returncode, 0, f"pdftotext: {out.stderr[:300]}")
    return " ".join(out.stdout.decode("utf-8").replace("\u00a0", " ").split())


def office_processes(tmpdir):
    """Processes whose command line names the folder the server's offices run in."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().decode("utf-8", "replace")
        except OSError:
            continue
        if tmpdir in cmd:
            found.append(pid)
    return found


PDF_UNAVAILABLE = ("PDF на этом сервере не формируется: не установлен офисный пакет LibreOffice; "
                   "обратитесь к администратору сервера")


def test_pdf_of_documents():
    """A school's document in PDF: the DOCX of the same request converted (its digest in the PDF's
    /ID), with the document's title and the school's name; the same bytes again; a zip and a batch
    job with PDF; a full queue answers 503 pdf.busy with Retry-After; the office stops with the
    server (SIGTERM), and goes when a server is killed (SIGKILL)."""
    import io
    import zipfile
    config = os.path.join(WORKDIR, "pdf.json")
    with open(config, "w") as f:
        json.dump({"pdf_instances": 1, "pdf_queue": 1}, f)
    import shutil
    tmp = os.path.join(WORKDIR, f"pdf-tmp-{BACKEND}")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    db, (s,) = domain_server("dpdf", args=("--config", config), env={"TMPDIR": tmp})
    c = logged_in(s, "coordinator")
    check_equal(c.get("/api/municipalities/smolensk/documents").json["pdf"], True, "the server makes PDF")
    plan = "/api/municipalities/smolensk/documents/plan?school=sh-10&date=2021-03-01&format="
    docx = c.get(plan + "docx")
    check_equal(docx.status, 200, f"DOCX: {docx}")
    a = c.get(plan + "pdf", timeout=180)  # the office starts: seconds, a minute on a loaded machine
    check_equal((a.status, a.headers["content-type"]), (200, "application/pdf"), f"PDF: {a.raw[:300]}")
    check(a.bytes.startswith(b"%PDF-"), f"a PDF: {a.bytes[:20]!r}")
    check(a.headers.get("content-disposition", "").endswith('.pdf"'), f"a .pdf file: {a.headers}")
    check(fnv1a64_hex(docx.bytes).encode() in a.bytes, "the PDF is made from the very DOCX bytes of the docx request")
    text = pdf_text(a.bytes)
    for want in ("ПЛАН-ГРАФИК совместных мероприятий", "МБОУ «СШ № 10»"):
        check(want in text, f"the PDF shows «{want}»: {text[:600]}")
    first = a
    check_equal(c.get(plan + "pdf").bytes, first.bytes, "the same document, the same PDF bytes")
    check(office_processes(tmp), "an office runs for the server")
    # The school itself gets its own plan in PDF; another school's is not found.
    school = logged_in(s, "school")
    check_equal(school.get(plan + "pdf").status, 200, "the school's own plan in PDF")
    check_equal(school.get(plan.replace("sh-10", "sh-1") + "pdf").status, 404, "another school's plan")
    # A zip holds every format the server makes.
    z = c.get("/api/municipalities/smolensk/documents/decision?date=2021-03-01&format=zip")
    check_equal(z.status, 200, f"zip: {z}")
    names = sorted(os.path.splitext(n)[1] for n in zipfile.ZipFile(io.BytesIO(z.bytes)).namelist())
    check_equal(names, [".docx", ".pdf", ".xlsx"], "the zip's files")
    # A batch job with PDF.
    job = c.post("/api/municipalities/smolensk/jobs", {"only": ["decision"], "formats": ["pdf"]})
    check_equal(job.status, 202, f"job with PDF: {job}")
    done = wait_job(c, job.json["id"])
    check_equal(done["state"], "done", f"job: {done}")
    names = zipfile.ZipFile(io.BytesIO(c.get("/api/jobs/" + job.json["id"] + "/result").bytes)).namelist()
    check(any(n.endswith(".pdf") for n in names) and not any(n.endswith(".docx") for n in names), f"PDF only: {names}")
    a = c.post("/api/municipalities/smolensk/jobs", {"formats": ["odt"]})
    check_equal((a.status, a.error_id()), (400, "data.bad_value"), "a format jobs do not make")
    # pdf_queue 1: of four requests at once, those that find the queue full are told to come back.
    results = concurrent(4, lambda i: c.get(plan + "pdf"))
    statuses = sorted(r.status for r in results)
    check(statuses[0] == 200 and statuses[-1] == 503, f"statuses {statuses}")
    for r in results:
        if r.status == 503:
            check_equal((r.error_id(), r.headers.get("retry-after")), ("pdf.busy", "10"), f"busy: {r}")
            check("очереди" in r.json["errors"][0]["message"], f"the message: {r}")
        else:
            check_equal(r.bytes, first.bytes, "a request admitted gets the same PDF")
    check_equal(c.get(plan + "pdf").status, 200, "the queue free again")
    check_equal(s.stop(), 0, "exit code")
    check_equal(office_processes(tmp), [], "the offices stop with the server")
    check_equal([f for f in os.listdir(tmp) if f.startswith("ppko-pdf-")], [], "their folder removed")
    # A server killed with SIGKILL runs no code of its own: its office must still go with it
    # (a leftover office would hold its memory and profile until someone notices).
    s = Server(PPKO, db, WORKDIR, "dpdf-kill9", ("--config", config), {"TMPDIR": tmp})
    c = logged_in(s, "coordinator")
    check_equal(c.get(plan + "pdf", timeout=180).status, 200, "a PDF from the second server")
    check(office_processes(tmp), "its office runs")
    s.kill9()
    deadline = time.monotonic() + 30
    while office_processes(tmp) and time.monotonic() < deadline:
        time.sleep(0.2)
    check_equal(office_processes(tmp), [], "the office goes with a server killed by SIGKILL")



def test_pdf_without_an_office():
    """PPKO_SOFFICE names no program: format=pdf and a job with PDF are 503 pdf.unavailable in
    words for users; the documents page offers no PDF and says why. --pdf-instances 0: turned off."""
    db, (s,) = domain_server("dnopdf", env={"PPKO_SOFFICE": "/nonexistent/soffice"})
    c = logged_in(s, "coordinator")
    a = c.get("/api/municipalities/smolensk/documents/decision?date=2021-03-01&format=pdf")
    check_equal((a.status, a.error_id()), (503, "pdf.unavailable"), f"no office: {a}")
    check_equal(a.json["errors"][0]["message"], PDF_UNAVAILABLE, "the message")
    check("soffice" not in a.raw, f"no program name: {a.raw}")
    a = c.post("/api/municipalities/smolensk/jobs", {"formats": ["docx", "pdf"]})
    check_equal((a.status, a.error_id()), (503, "pdf.unavailable"), f"a job with PDF: {a}")
    check_equal(c.get("/api/municipalities/smolensk/documents").json["pdf"], False, "the list says no PDF")
    check_equal(c.get("/api/municipalities/smolensk/documents/decision?format=docx").status, 200, "DOCX still made")
    page = c.get("/municipalities/smolensk/documents/decision")
    check_equal(page.status, 200, "the documents page")
    check(PDF_UNAVAILABLE in page.raw and "format=pdf" not in page.raw, f"no PDF offered, and why: {page.raw[-3000:]}")
    check("DOCX и XLSX одним архивом" in page.raw, "the zip without PDF")
    check_equal(s.stop(), 0, "exit code")
    off = Server(PPKO, db, WORKDIR, "dnopdf-off", ("--pdf-instances", "0"))
    a = logged_in(off, "coordinator").get("/api/municipalities/smolensk/documents/decision?format=pdf")
    check_equal((a.status, a.error_id()), (503, "pdf.unavailable"), f"turned off: {a}")
    check("выключен в настройках" in a.json["errors"][0]["message"], f"why: {a}")
    check_equal(off.stop(), 0, "exit code")


TESTS = [
    ("health, errors and the access log", test_health_errors_and_access_log),
    ("role × route matrix (sessions and tokens)", test_role_matrix),
    ("a school gets nothing of another school", test_a_school_gets_nothing_of_another_school),
    ("CSRF", test_csrf_is_required_for_changes_by_a_browser_session),
    ("tokens: expired, forged, tampered, revoked", test_tokens_expired_forged_tampered_revoked),
    ("login throttling", test_login_throttling),
    ("body limits (413)", test_body_limits),
    ("header limits", test_header_limits),
    ("path traversal in every name", test_path_traversal_in_every_name),
    ("SQL metacharacters stored verbatim", test_sql_metacharacters_are_stored_verbatim),
    ("concurrent edits: exactly one wins", test_concurrent_edits_exactly_one_wins),
    ("concurrent token requests keep the server up", test_concurrent_token_requests_keep_the_server_up),
    ("two servers, one database", test_two_servers_one_database),
    ("kill -9 mid-transaction", test_kill9_mid_transaction_the_other_server_goes_on),
    ("SIGTERM: the request in flight finishes", test_sigterm_lets_a_request_in_its_transaction_finish),
    ("command line: user, municipality, serve", test_cli_commands),
    ("export → import round trip of every sample", test_round_trip_of_every_sample_is_byte_identical),
    ("domain: role × route matrix", test_domain_role_matrix),
    ("domain: a school gets nothing of another school", test_a_school_gets_nothing_of_another_school_in_the_domain),
    ("domain: answers and errors", test_domain_answers_and_errors),
    ("domain: concurrent file edits, one wins", test_concurrent_file_edits_exactly_one_wins),
    ("domain: concurrent advances, each transition once", test_concurrent_advances_write_each_transition_once),
    ("domain: kill -9 mid-advance", test_kill9_mid_advance_leaves_before_or_after),
    ("domain: batch job", test_batch_job_result_is_a_zip),
    ("domain: the region's job", test_region_job_has_each_municipality_in_its_folder),
    ("expertise: two experts' conclusions at once", test_concurrent_conclusions_of_two_experts),
    ("domain: jobs answered by any server", test_jobs_are_answered_by_any_server),
    ("import page: an upload confirmed by another server", test_an_upload_is_confirmed_by_another_server),
    ("PDF of documents, its queue and the offices' shutdown", test_pdf_of_documents),
    ("PDF without an office", test_pdf_without_an_office),
]

if __name__ == "__main__":
    only = os.environ.get("PPKO_TEST_ONLY")
    sys.exit(main([t for t in TESTS if not only or only in t[0]], sys.argv))
