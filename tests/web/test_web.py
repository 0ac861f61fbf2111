#!/usr/bin/python3
"""The web pages of `ppko serve` in headless Chromium (Debian's chromium, chromium-driver and
python3-selenium):

  test_web.py PPKO WORKDIR TOOLS

- each role signs in through the form and sees its pages and its navigation, and nothing else:
  a school account gets 404 for another school's page (and its API), 403 for pages of other roles;
- hostile names (<script>, quotes, 5,000 characters) show as text on every page, no script runs,
  and no page holds a <script> element at all (the pages work without JavaScript);
- every HTML answer has the security headers; a form without the session's CSRF token is refused;
- the password form shows the CLI's messages next to the field and redirects after success;
- every page: a screenshot at 1366×768 (WORKDIR/screenshots), HTML validity (vnu-jar from npm on
  Debian's Java) and axe-core (from npm, run in the page) with no violations.

TOOLS is the folder where `.ci/setup test` installed the npm tools (node_modules/vnu-jar,
node_modules/axe-core). A missing browser or tool fails the test: nothing is skipped silently.
"""

import glob
import http.client
import io
import json
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server"))
from harness import Client, Database, Failure, Server, check, check_equal, main, raw_request, run_command  # noqa: E402

PPKO, WORKDIR, TOOLS = sys.argv[1], sys.argv[2], sys.argv[3]
SOURCE = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
os.makedirs(WORKDIR, exist_ok=True)
os.environ["PPKO_STATE_DIR"] = os.path.join(WORKDIR, "state")
SHOTS = os.path.join(WORKDIR, "screenshots")
PAGES = os.path.join(WORKDIR, "pages")  # the HTML as served, for vnu
for d in (SHOTS, PAGES):
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, "*")):
        os.remove(f)

AXE = os.path.join(TOOLS, "node_modules", "axe-core", "axe.min.js")
VNU = os.path.join(TOOLS, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
CHROMEDRIVER = "/usr/bin/chromedriver"

PASSWORD = "пароль-для-тестов-1"
HOSTILE = '<script>alert("м")</script> "кавычки" \'апостроф\' &amp; <b>'
LONG = "<script>alert(2)</script>" + "я" * 5000
ACCOUNTS = {  # login: (role, municipality, school, name)
    "admin": ("admin", "", "", "Администратор " + HOSTILE),
    "region": ("region", "", "", "Региональный оператор"),
    "coordinator": ("coordinator", "demidovsky", "", "Координатор " + HOSTILE),
    "school": ("school", "demidovsky", "sh-1", "Школа №1"),
    "expert": ("expert", "demidovsky", "", "Эксперт"),
}
# What each role sees: its landing page, the pages it may open, the pages it may not (status).
PAGES_OF = {
    "region": ("/region", ["/region", "/municipalities/demidovsky", "/municipalities/smolensk",
                           "/municipalities/demidovsky/history", "/municipalities/demidovsky/schools/sh-1",
                           "/password", "/methodology", "/municipalities/smolensk/methodology",
                           "/municipalities/smolensk/changes"],
               [("/admin/users", 403), ("/expert", 403), ("/municipalities/nowhere", 404),
                ("/municipalities/nowhere/methodology", 404)]),
    "coordinator": ("/municipalities/demidovsky",
                    ["/municipalities/demidovsky", "/municipalities/demidovsky/history",
                     "/municipalities/demidovsky/schools/sh-1", "/municipalities/demidovsky/schools/sh-2",
                     "/municipalities/demidovsky/methodology", "/municipalities/demidovsky/changes"],
                    [("/region", 403), ("/municipalities/smolensk", 404), ("/admin/audit", 403),
                     ("/municipalities/smolensk/schools/sh-9", 404), ("/municipalities/smolensk/methodology", 404)]),
    "school": ("/municipalities/demidovsky/schools/sh-1", ["/municipalities/demidovsky/schools/sh-1", "/methodology",
                                                          "/municipalities/demidovsky/methodology"],
               [("/municipalities/demidovsky/schools/sh-2", 404), ("/municipalities/smolensk/schools/sh-9", 404),
                ("/municipalities/demidovsky", 403), ("/region", 403), ("/admin/users", 403),
                ("/municipalities/demidovsky/changes", 403)]),
    "expert": ("/expert", ["/expert", "/methodology"], [("/region", 403), ("/municipalities/demidovsky", 403),
                                         ("/municipalities/demidovsky/schools/sh-1", 403),
                                         ("/municipalities/demidovsky/methodology", 403)]),
    "admin": ("/admin/users", ["/admin/users", "/admin/audit"],
              [("/region", 403), ("/municipalities/demidovsky", 403), ("/methodology", 403)]),
}
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
}


def sql_text(s):
    return "'" + s.replace("'", "''") + "'"


def add_region(db):
    """Two municipalities (one with a hostile name), the accounts, programs and events whose
    notes and facts are hostile."""
    for mid, name in (("demidovsky", "Демидовский район " + HOSTILE), ("smolensk", "город Смоленск")):
        out = run_command(PPKO, ["municipality", "add", mid, "--name", name, "--db", db.location])
        check_equal(out.returncode, 0, f"municipality add: {out.stderr}")
    for login, (role, m, s, name) in ACCOUNTS.items():
        args = ["user", "add", login, "--role", role, "--name", name, "--db", db.location]
        if m:
            args += ["--municipality", m]
        if s:
            args += ["--school", s]
        out = run_command(PPKO, args, stdin=PASSWORD + "\n")
        check_equal(out.returncode, 0, f"user add {login}: {out.stderr}")
    db.sql("INSERT INTO programs (tenant, school, workflow, workflow_version, stage, status, started_on, academic_year,"
           " data_json) VALUES"
           " ('demidovsky', 'sh-1', 'ppko', 2, 'implementation', 'active', '2019-09-01', '2019-2020', '{}'),"
           " ('demidovsky', 'sh-2', 'ppko', 2, 'preparatory', 'active', '2019-09-01', '2019-2020', '{}'),"
           " ('smolensk', 'sh-9', 'ppko', 2, 'preparatory', 'active', '2020-09-01', '2020-2021', '{}')")
    facts = json.dumps({"program_approved": True, HOSTILE: LONG}, ensure_ascii=False)
    db.sql("INSERT INTO events (tenant, seq, school, workflow, workflow_version, date, kind, from_stage, to_stage,"
           " guard, facts_json, note) VALUES"
           " ('demidovsky', 1, 'sh-1', 'ppko', 2, '2019-09-01', 'created', '', 'preparatory', '', '{}', 'Начата'),"
           " ('demidovsky', 2, 'sh-2', 'ppko', 2, '2019-09-01', 'created', '', 'preparatory', '', '{}',"
           " 'Тайна школы 2'),"
           f" ('demidovsky', 3, 'sh-1', 'ppko', 2, '2020-12-22', 'transition', 'preparatory', 'implementation',"
           f" 'facts.program_approved', {sql_text(facts)}, {sql_text(LONG)}),"
           " ('smolensk', 1, 'sh-9', 'ppko', 2, '2020-09-01', 'created', '', 'preparatory', '', '{}', 'Смоленск')")


def start_server(name):
    db = Database("sqlite", WORKDIR, name)
    add_region(db)
    s = Server(PPKO, db, WORKDIR, name)
    s.db = db
    s.db_location = db.location
    return s


def start_smolensk_server(name, workspace):
    """A server with `workspace` imported as the municipality «smolensk» and its coordinator
    «moc.smolensk» (password PASSWORD)."""
    s = start_server(name)
    out = run_command(PPKO, ["municipality", "import", "smolensk", workspace, "--db", s.db_location])
    check_equal(out.returncode, 0, f"municipality import: {out.stderr}")
    out = run_command(PPKO, ["user", "add", "moc.smolensk", "--role", "coordinator", "--municipality", "smolensk",
                             "--name", "Координатор Смоленска", "--db", s.db_location], stdin=PASSWORD + "\n")
    check_equal(out.returncode, 0, f"user add: {out.stderr}")
    return s


def browser():
    check(os.path.exists(CHROMEDRIVER), f"no {CHROMEDRIVER}: install chromium-driver (bash .ci/setup test)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise Failure("no selenium for /usr/bin/python3: install python3-selenium (bash .ci/setup test)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,768",
              "--lang=ru", f"--user-data-dir={os.path.join(WORKDIR, 'chromium-profile')}"):
        opts.add_argument(a)
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    d.set_page_load_timeout(30)
    d.set_script_timeout(60)
    return d


def sign_in(d, port, login, password=PASSWORD, target="/"):
    from selenium.webdriver.common.by import By
    d.get(f"http://127.0.0.1:{port}{target}")
    check("/login" in d.current_url, f"anonymous {target} goes to the sign-in page, not {d.current_url}")
    d.find_element(By.ID, "f-login").send_keys(login)
    d.find_element(By.ID, "f-password").send_keys(password)
    click_and_wait(d, "button[type=submit]")


def click_and_wait(d, css):
    """Clicks the button that submits a form and waits until the next page has replaced this one."""
    from selenium.webdriver.support.ui import WebDriverWait
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.CSS_SELECTOR, css).click()

    def replaced(_):
        try:
            old.tag_name
            return False
        except StaleElementReferenceException:
            pass
        except WebDriverException as e:
            # Chromium may name the same event «Node with given id does not belong to the document».
            if "does not belong to the document" not in str(e):
                raise
        return d.execute_script("return document.readyState") == "complete"
    WebDriverWait(d, 20).until(replaced)


def no_alert(d, where):
    from selenium.common.exceptions import NoAlertPresentException
    try:
        text = d.switch_to.alert.text
    except NoAlertPresentException:
        return
    raise Failure(f"{where}: a script ran (alert «{text}»)")


def axe_check(d, where):
    d.execute_script(open(AXE, encoding="utf-8").read())
    result = d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done([{id: 'axe-error',"
        " help: String(e), nodes: []}]));")
    problems = [f"{v['id']}: {v['help']} ({len(v['nodes'])}: "
                f"{'; '.join(n.get('html', '')[:120] for n in v['nodes'][:3])})" for v in result]
    check(not problems, f"{where}: axe-core: " + " | ".join(problems))


INTERNAL_NAME = re.compile(r"\bppko [a-z]+\b|workflows/|[\w-]+\.(?:json|tpl)\b")


class Visit:
    """Pages seen in the browser as one signed-in account, each screenshotted, axe-checked and
    kept as served for vnu."""

    def __init__(self, d, port, role):
        self.d, self.port, self.role = d, port, role
        self.count = 0

    def cookie(self):
        c = self.d.get_cookie("ppko_session")
        return f"ppko_session={c['value']}" if c else ""

    def open(self, path, status=200):
        from selenium.webdriver.common.by import By
        self.d.get(f"http://127.0.0.1:{self.port}{path}")
        no_alert(self.d, path)
        # The same page over plain HTTP: status, headers, the HTML as served.
        a = raw_request(self.port, "GET", path, headers={"Cookie": self.cookie()})
        check_equal(a.status, status, f"{self.role} GET {path}")
        for k, v in SECURITY_HEADERS.items():
            check_equal(a.headers.get(k), v, f"{self.role} GET {path}: header {k}")
        check("<script" not in a.raw.lower(), f"{self.role} GET {path}: a <script> in the page")
        self.count += 1
        name = f"{self.role}-{self.count:02d}-" + (path.strip("/").replace("/", "_") or "start")
        with open(os.path.join(PAGES, name + ".html"), "w", encoding="utf-8") as f:
            f.write(a.raw)
        self.d.save_screenshot(os.path.join(SHOTS, name + ".png"))
        axe_check(self.d, f"{self.role} {path}")
        text = self.d.find_element(By.TAG_NAME, "body").text
        # Users read no internal names: file names, commands, built-in methodology paths. The
        # audit log names the records it lists by their files: it is the administrator's.
        if status == 200 and not path.startswith("/admin/audit"):
            found = INTERNAL_NAME.search(text)
            check(not found, f"{self.role} GET {path}: an internal name «{found and found.group(0)}» in the page")
        return text


def test_tools_are_installed():
    for path, what in ((AXE, "axe-core"), (VNU, "vnu-jar")):
        check(os.path.exists(path), f"no {what} at {path}: bash .ci/setup test installs it with npm")
    check(os.path.exists("/usr/bin/java"), "no java for vnu-jar: default-jre-headless (bash .ci/setup test)")
    check(os.path.exists("/usr/bin/chromium"), "no /usr/bin/chromium (bash .ci/setup test)")


def test_each_role_sees_its_pages_and_nothing_else():
    s = start_server("roles")
    d = browser()
    try:
        for role, (landing, allowed, refused) in PAGES_OF.items():
            d.delete_all_cookies()
            sign_in(d, s.port, role)
            check_equal(urllib.parse.urlsplit(d.current_url).path, landing, f"{role} lands on")
            v = Visit(d, s.port, role)
            for path in allowed:
                text = v.open(path)
                check(ACCOUNTS[role][3].split(" ")[0] in text, f"{role} {path}: the header names who is signed in")
                check("Выйти" in text, f"{role} {path}: sign-out")
            for path, status in refused:
                text = v.open(path, status)
                check(("Нет доступа" if status == 403 else "Страница не найдена") in text, f"{role} {path}: {text[:200]}")
        # What a page shows, as the user reads it.
        d.delete_all_cookies()
        sign_in(d, s.port, "coordinator", target="/municipalities/demidovsky/schools/sh-1")
        check(d.current_url.endswith("/municipalities/demidovsky/schools/sh-1"), "back to where the user was going")
        v = Visit(d, s.port, "coordinator-school")
        text = v.open("/municipalities/demidovsky/schools/sh-1")
        for want in ("Практический этап (этап внедрения)", "22.12.2020", "01.09.2019",
                     "программа утверждена приказом по школе", "Из «Подготовительный этап» в «Практический этап (этап внедрения)»"):
            check(want in text, f"school page shows «{want}»: {text[:600]}")
        text = v.open("/methodology")
        for want in ("Версия 2", "не менее 30 % участников ниже минимального порога в 2 и более процедурах",
                     "школа с низкими результатами обучения (ШНРО)", "≥ 2"):
            check(want in text, f"methodology shows «{want}»: {text[:800]}")
        check("params." not in text and "{fail_share}" not in text, "parameters are shown by value")
        text = v.open("/municipalities/demidovsky?stage=preparatory&sort=stage")
        check("sh-2" in text and "sh-1" not in text.split("Найдено")[1], f"the stage filter: {text[:600]}")
        check("Найдено: 1 программа." in text, "plural agreement")
    finally:
        d.quit()


def test_hostile_names_are_text_everywhere():
    s = start_server("hostile")
    admin = Client(s)
    admin.login("admin", PASSWORD)
    version = admin.get("/api/region").json["version"]
    check_equal(admin.patch("/api/region", {"name": "Регион " + HOSTILE, "version": version}).status, 200, "region name")
    d = browser()
    try:
        for role, pages in (("region", ["/region", "/municipalities/demidovsky", "/municipalities/demidovsky/history",
                                        "/municipalities/demidovsky/schools/sh-1"]),
                            ("admin", ["/admin/users", "/admin/audit"]),
                            ("coordinator", ["/municipalities/demidovsky", "/password"])):
            d.delete_all_cookies()
            sign_in(d, s.port, role)
            v = Visit(d, s.port, "hostile-" + role)
            for path in pages:
                text = v.open(path)
                check(HOSTILE in text, f"{role} {path}: the hostile name shown as text")
            if role == "region":
                text = v.open("/municipalities/demidovsky/schools/sh-1")
                check(LONG in text, "the 5,000-character note shown whole, as text")
    finally:
        d.quit()


def test_forms_csrf_and_password_messages():
    from selenium.webdriver.common.by import By
    s = start_server("forms")
    c = Client(s)
    c.login("school", PASSWORD)
    form = {"Cookie": c.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    # A form without the session's token, or with another, is refused; the session stays.
    for body in ("", "csrf=forged"):
        a = raw_request(s.port, "POST", "/logout", body, form)
        check_equal(a.status, 403, f"POST /logout with «{body}»")
        check("auth.csrf" in a.raw, f"the refusal names auth.csrf: {a.raw[:300]}")
    check_equal(c.get("/api/whoami").status, 200, "the session is still alive")
    a = raw_request(s.port, "POST", "/logout", "csrf=" + urllib.parse.quote(c.csrf), form)
    check_equal((a.status, a.headers.get("location")), (303, "/login"), "sign-out redirects")
    check_equal(c.get("/api/whoami").status, 401, "signed out")
    # A school's API calls for another school fail too.
    c.login("school", PASSWORD)
    check_equal(c.get("/api/municipalities/demidovsky/programs/sh-2").status, 404, "another school's program")
    # The password form in the browser: messages next to the field, then success after a redirect.
    d = browser()
    try:
        sign_in(d, s.port, "school", target="/password")
        v = Visit(d, s.port, "password")
        v.open("/password")

        def submit(old, new, repeat):
            for field, value in (("f-old_password", old), ("f-new_password", new), ("f-repeat_password", repeat)):
                d.find_element(By.ID, field).send_keys(value)
            click_and_wait(d, "main button[type=submit]")
            no_alert(d, "/password")

        submit("не тот пароль", "новый-пароль-для-тестов-2", "новый-пароль-для-тестов-2")
        err = d.find_element(By.ID, "f-old_password-error").text
        check_equal(err, "текущий пароль указан неверно [data.bad_value]", "wrong old password")
        check_equal(d.find_element(By.ID, "f-old_password").get_attribute("aria-describedby"), "f-old_password-error",
                    "the message is tied to its field")
        d.save_screenshot(os.path.join(SHOTS, "password-error.png"))
        axe_check(d, "password form with an error")
        submit(PASSWORD, "новый-пароль-для-тестов-2", "другой")
        check("не совпадают" in d.find_element(By.ID, "f-repeat_password-error").text, "mismatch next to the repeat")
        submit(PASSWORD, "новый-пароль-для-тестов-2", "новый-пароль-для-тестов-2")
        check(d.current_url.endswith("/password?done=1"), f"POST-redirect-GET: {d.current_url}")
        check("Пароль изменён" in d.find_element(By.TAG_NAME, "main").text, "success notice")
        # Sign out with the header's button, then the new password works.
        click_and_wait(d, "header form button")
        check("/login" in d.current_url, "signed out to the sign-in page")
        check_equal(c.login("school", "новый-пароль-для-тестов-2").status, 200, "the new password")
    finally:
        d.quit()
    # Sign-in from another site's form is refused by its Origin.
    a = raw_request(s.port, "POST", "/login", "login=school&password=x",
                    {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"})
    check_equal(a.status, 403, "a sign-in form posted from another site")
    check("auth.csrf" in a.raw, "refused as a forged request")
    # A wrong password on the sign-in form: the page again, with the message, status 401.
    a = raw_request(s.port, "POST", "/login", "login=school&password=x", {"Content-Type": "application/x-www-form-urlencoded"})
    check_equal(a.status, 401, "wrong password")
    check("неверное имя пользователя или пароль [auth.bad_credentials]" in a.raw, "the CLI's message and id")


def test_admin_creates_an_account_through_the_form():
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    s = start_server("accounts")
    d = browser()
    try:
        sign_in(d, s.port, "admin")
        v = Visit(d, s.port, "accounts")
        v.open("/admin/users")

        def submit(login, name, role, municipality, school, password):
            for field, value in (("f-login", login), ("f-name", name), ("f-school", school), ("f-password", password)):
                d.find_element(By.ID, field).clear()
                d.find_element(By.ID, field).send_keys(value)
            Select(d.find_element(By.ID, "f-role")).select_by_value(role)
            Select(d.find_element(By.ID, "f-municipality")).select_by_value(municipality)
            click_and_wait(d, "main form.stack button[type=submit]")
            no_alert(d, "/admin/users")

        submit("new.school", HOSTILE, "school", "demidovsky", "sh-2", "123")
        err = d.find_element(By.ID, "f-password-error").text
        check("[auth.weak_password]" in err, f"a weak password, next to its field: {err}")
        check_equal(d.find_element(By.ID, "f-name").get_attribute("value"), HOSTILE, "the form keeps what was typed")
        d.save_screenshot(os.path.join(SHOTS, "accounts-error.png"))
        axe_check(d, "account form with an error")
        submit("admin", "Дубль", "admin", "", "", PASSWORD)
        check("admin" in d.find_element(By.TAG_NAME, "main").text and
              d.find_elements(By.CSS_SELECTOR, ".error, .error-box"), "a taken login is refused with a message")
        submit("new.school", HOSTILE, "school", "demidovsky", "sh-2", PASSWORD)
        check(d.current_url.endswith("/admin/users?created=new.school"), f"POST-redirect-GET: {d.current_url}")
        text = v.open("/admin/users?created=new.school")
        check("Учётная запись «new.school» создана." in text and HOSTILE in text, "the new account in the list")
        c = Client(s)
        check_equal(c.login("new.school", PASSWORD).status, 200, "the new account signs in")
        check_equal(c.get("/api/municipalities/demidovsky/programs/sh-2").status, 200, "its own school")
        check_equal(c.get("/api/municipalities/demidovsky/programs/sh-1").status, 404, "not another")
    finally:
        d.quit()
    # Only the administrator may post the form.
    c = Client(s)
    c.login("coordinator", PASSWORD)
    a = raw_request(s.port, "POST", "/admin/users", "csrf=" + urllib.parse.quote(c.csrf) + "&login=x",
                    {"Cookie": c.cookie, "Content-Type": "application/x-www-form-urlencoded"})
    check_equal(a.status, 403, "a coordinator posting the accounts form")


def test_documents_and_school_over_the_municipality_service():
    """The Smolensk sample loaded into the server: the school page shows its name, categories and
    the identification's explanation; the documents page's form downloads the partnership order
    from the API, and the DOCX opens in python-docx with the sample's nine pairs."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    s = start_smolensk_server("domain", os.path.join(SOURCE, "samples", "smolensk"))
    d = browser()
    try:
        sign_in(d, s.port, "moc.smolensk")
        v = Visit(d, s.port, "domain")
        text = v.open("/municipalities/smolensk/schools/sh-1")
        for want in ("МБОУ «СШ № 1»", "ШНРО", "Идентификация: почему так", "правило «low-results»: да"):
            check(want in text, f"school page shows «{want}»: {text[:800]}")
        # Record a fact through the form: first without a date (the message), then whole.
        click_and_wait(d, "form[action$='/schools/sh-1/facts'] button[type=submit]")
        no_alert(d, "fact form")
        check(d.find_elements(By.CSS_SELECTOR, "#fact ~ .error-box, .error"), "an empty date is refused with a message")
        err = " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, ".error-box, .error"))
        check("[" in err and "]" in err, f"the message carries its id: {err}")
        axe_check(d, "fact form with an error")
        d.execute_script("arguments[0].value = '2021-05-20'", d.find_element(By.ID, "f-date"))
        Select(d.find_element(By.ID, "f-fact")).select_by_value("final_monitoring")
        Select(d.find_element(By.ID, "f-final_monitoring-dynamics")).select_by_value("positive")
        d.find_element(By.ID, "f-note").send_keys("Итоговый мониторинг " + HOSTILE)
        c = Client(s)
        c.login("moc.smolensk", PASSWORD)
        before = c.get("/api/municipalities/smolensk/files/facts.json").json
        click_and_wait(d, "form[action$='/schools/sh-1/facts'] button[type=submit]")
        check(d.current_url.endswith(f"/municipalities/smolensk/schools/sh-1?recorded=1&version={before['version'] + 1}"),
              f"POST-redirect-GET: {d.current_url}")
        check("Факт записан" in d.find_element(By.TAG_NAME, "main").text, "the notice")
        recorded = c.get("/api/municipalities/smolensk/files/facts.json").json
        facts = json.loads(recorded["content"])["facts"]
        check_equal(facts[-1], {"date": "2021-05-20", "school": "sh-1", "fact": "final_monitoring",
                                "value": {"dynamics": "positive"}, "note": "Итоговый мониторинг " + HOSTILE},
                    "the recorded fact in facts.json")
        # «Записанные факты»: the new one with who recorded it, the values in words; the sample's
        # with the folder's import.
        rows = d.execute_script("return Array.from(document.querySelectorAll('table.recorded-facts tbody tr'))"
                                ".map(r => Array.from(r.children).map(c => c.textContent))")
        mine = [r for r in rows if r[0] == "20.05.2021"]
        check(len(mine) == 1 and "Координатор Смоленска (moc.smolensk), " in mine[0][4]
              and mine[0][3] == "Итоговый мониторинг " + HOSTILE and "положительн" in mine[0][2]
              and "dynamics" not in mine[0][2], f"the recorded fact with who recorded it: {mine}")
        loaded = [r for r in rows if r[0] != "20.05.2021"]
        check(loaded and all(r[4].startswith("администратор сервера (с командной строки), ") for r in loaded),
              f"the sample's facts came with the data folder: {loaded}")
        # Undo: «Вернуть как было» writes the earlier text back as a new version; a second undo of
        # the same change is refused (it is no longer the file's latest), with a message.
        axe_check(d, "the notice with its undo button")
        click_and_wait(d, "form[action$='/files/facts.json/undo'] button[type=submit]")
        check(d.current_url.endswith("/municipalities/smolensk/schools/sh-1?undone=1"), f"after undo: {d.current_url}")
        check("Запись факта отменена" in d.find_element(By.TAG_NAME, "main").text, "the undo notice")
        after = c.get("/api/municipalities/smolensk/files/facts.json").json
        check_equal((after["content"], after["version"]), (before["content"], before["version"] + 2),
                    "facts.json is as before the fact, as a new version")
        again = c.request("POST", "/municipalities/smolensk/files/facts.json/undo",
                          urllib.parse.urlencode({"csrf": c.csrf, "version": recorded["version"],
                                                  "back": "/municipalities/smolensk/schools/sh-1"}),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        check_equal(again.status, 409, f"the same change undone twice: {again.status} {again.raw[:300]}")
        check("изменён после этого изменения" in again.raw, f"why: {again.raw[:600]}")
        text = v.open("/municipalities/smolensk/documents")
        check("Приказ о партнёрском взаимодействии школ" in text, f"documents page: {text[:500]}")
        form = d.find_element(By.CSS_SELECTOR, "form[action$='/documents/partnership']")
        check_equal(Select(form.find_element(By.NAME, "format")).first_selected_option.get_attribute("value"), "docx",
                    "the format")
        query = urllib.parse.urlencode({"date": "", "format": "docx"})
        path = urllib.parse.urlsplit(form.get_attribute("action")).path + "?" + query
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=120)
        conn.request("GET", path, headers={"Cookie": v.cookie()})
        r = conn.getresponse()
        body = r.read()
        check_equal(r.status, 200, f"GET {path}")
        check(body[:2] == b"PK", "a DOCX (zip) came back")
        import docx
        doc = docx.Document(io.BytesIO(body))
        pairs = [p.text for p in doc.paragraphs if "\u00a0– МБОУ" in p.text]
        check_equal(len(pairs), 9, f"pairs in the partnership order: {pairs}")
        # Another municipality's documents are not this coordinator's.
        text = v.open("/municipalities/demidovsky/documents", 404)
    finally:
        d.quit()


def test_html_is_valid():
    files = sorted(glob.glob(os.path.join(PAGES, "*.html")))
    check(len(files) >= 20, f"the browser tests kept {len(files)} pages; run them first")
    files.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "engine", "web", "assets", "ppko.css"))
    out = subprocess.run(["java", "-jar", VNU, "--format", "json", "--also-check-css", *files],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(out.stderr)
    check("messages" in report, f"vnu answered: {out.stderr[:300]}")
    messages = report["messages"]
    problems = [f"{os.path.basename(m.get('url', ''))}:{m.get('lastLine', '')}: {m.get('type')} {m.get('message')}"
                for m in messages if m.get("type") != "info" or m.get("subType") == "warning"]
    check(not problems, "vnu: " + "\n".join(problems[:20]))
    check_equal(out.returncode, 0, "vnu exit code")
    # The checker is not silent by accident: a page with a misnested element fails it.
    bad = os.path.join(WORKDIR, "misnested.html")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html><html lang=ru><head><title>x</title></head><body><p><div></p></body></html>")
    out = subprocess.run(["java", "-jar", VNU, "--format", "json", bad], capture_output=True, text=True, timeout=120)
    check(out.returncode != 0 and json.loads(out.stderr)["messages"], "vnu finds the error of a misnested page")


TESTS = [(n, f) for n, f in [
    ("test_tools_are_installed", test_tools_are_installed),
    ("test_each_role_sees_its_pages_and_nothing_else", test_each_role_sees_its_pages_and_nothing_else),
    ("test_hostile_names_are_text_everywhere", test_hostile_names_are_text_everywhere),
    ("test_forms_csrf_and_password_messages", test_forms_csrf_and_password_messages),
    ("test_admin_creates_an_account_through_the_form", test_admin_creates_an_account_through_the_form),
    ("test_documents_and_school_over_the_municipality_service",
     test_documents_and_school_over_the_municipality_service),
    ("test_html_is_valid", test_html_is_valid),
]]

if __name__ == "__main__":
    sys.exit(main(TESTS, sys.argv))
