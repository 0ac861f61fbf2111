#!/usr/bin/python3
"""The read-only pages of issue 12 in headless Chromium, over the Smolensk sample loaded into the
server (with one school's name made hostile, one measure «не проводилась», one value removed):

  test_web_pages.py PPKO WORKDIR TOOLS

- the school page: its program of the year (stages, tasks with dates and where they stand, as
  `ppko status` says) and its partners (as `ppko explain` names them); indicators over the years as a table and server-drawn SVG charts — one mark per
  recorded value, an absence mark shown as its words and never drawn as zero, the hostile school
  name as text in the SVG and the table;
- the municipality page: school names, overdue and next tasks as of the page's date (the same as
  `ppko status`), the identification's undecided schools of the chosen year (the same as `ppko check`);
- the region page: schools by category and programs by stage per municipality, overdue tasks;
- the methodology page: the workflow as an SVG diagram with every stage title and the transitions
  in words, its version and who changed the data last; a municipality's own workflow loaded through
  the API shown as its own, with who changed it, and its stage titles on the municipality's pages;
  the coordinator's form: the file in force downloaded, a broken file named by its upload name,
  its own saved, and the built-in one back after a confirmation;
- every page: a screenshot at 1366×768 (WORKDIR/screenshots), axe-core in the page, vnu over the
  HTML as served. Helpers come from test_web.py (same arguments).
"""

import glob
import json
import os
import shutil
import sqlite3
import subprocess
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_web import (HOSTILE, PAGES, PASSWORD, PPKO, SOURCE, VNU, WORKDIR, Client, Visit, browser,  # noqa: E402
                      check, check_equal, click_and_wait, main, raw_request, run_command, sign_in, start_server)

SCHOOL_NAME = "МБОУ «СШ № 1» " + HOSTILE
ABSENT_PERIOD = "2018-2019"  # sh-1's VPR was not held that year
MIDS = ("smolensk",)


def sample():
    """The Smolensk sample with the changes this test relies on, in WORKDIR/smolensk-data."""
    dst = os.path.join(WORKDIR, "smolensk-data")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(os.path.join(SOURCE, "samples", "smolensk"), dst)
    path = os.path.join(dst, "schools.json")
    d = json.load(open(path, encoding="utf-8"))
    for s in d["schools"]:
        if s["id"] == "sh-1":
            s["short_name"] = SCHOOL_NAME
    json.dump(d, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    path = os.path.join(dst, "indicators.json")
    d = json.load(open(path, encoding="utf-8"))
    for r in d["indicators"]:
        if r["school"] == "sh-1" and r["period"] == ABSENT_PERIOD:
            r["results"]["vpr_fail"] = "не проводилась"
        if r["school"] == "sh-2" and r["period"] == "2019-2020":
            del r["context"]["low_income"]  # 2020-2021 cannot be decided for sh-2
    json.dump(d, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    return dst, d["indicators"]


def serve_sample():
    data, indicators = sample()
    s = start_server("pages")
    # test_web's region has a made-up Smolensk program; this test's Smolensk is the sample's alone.
    con = sqlite3.connect(s.db_location)
    con.execute("DELETE FROM programs WHERE tenant = 'smolensk'")
    con.commit()
    con.close()
    out = run_command(PPKO, ["municipality", "import", "smolensk", data, "--db", s.db_location])
    check_equal(out.returncode, 0, f"municipality import: {out.stderr}")
    out = run_command(PPKO, ["user", "add", "moc.smolensk", "--role", "coordinator", "--municipality", "smolensk",
                             "--name", "Координатор Смоленска", "--db", s.db_location], stdin=PASSWORD + "\n")
    check_equal(out.returncode, 0, f"user add: {out.stderr}")
    return s, data, indicators


STATE = {}


def setup(login="moc.smolensk"):
    """The sample's server (a new one for each test: the harness stops servers after a test) and
    the one browser, signed in as `login`."""
    if "server" not in STATE or STATE["server"].proc.poll() is not None:
        STATE["server"], STATE["data"], STATE["indicators"] = serve_sample()
        STATE["advanced"] = False
        STATE["login"] = None
    if "driver" not in STATE:
        STATE["driver"] = browser()
    if STATE["login"] != login:
        STATE["driver"].delete_all_cookies()
        sign_in(STATE["driver"], STATE["server"].port, login)
        STATE["login"] = login
    return STATE["server"], STATE["driver"]


def shot(d, element_id, name):
    """A screenshot at 1366×768 with the element scrolled to the top of the window."""
    d.execute_script(f"document.getElementById('{element_id}').scrollIntoView()")
    d.save_screenshot(os.path.join(WORKDIR, "screenshots", name + ".png"))


def ru(x):
    """A value as the pages show it: 38.0 → «38», 4.8 → «4,8», a mark as it is."""
    if isinstance(x, str):
        return x
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def svg_charts(d):
    """Each chart of the page as the browser parsed it: its title, marks, absence texts."""
    return d.execute_script(
        "return Array.from(document.querySelectorAll('svg.chart')).map(s => ({"
        " ns: s.namespaceURI, width: s.viewBox.baseVal.width,"
        " title: s.querySelector('title').textContent, desc: s.querySelector('desc').textContent,"
        " marks: Array.from(s.querySelectorAll('circle.mark')).map(c => c.querySelector('title').textContent),"
        " absent: Array.from(s.querySelectorAll('text.absent')).map(t => t.textContent)}))")


def test_school_indicators_table_and_chart():
    s, d = setup()
    v = Visit(d, s.port, "pages-school")
    text = v.open("/municipalities/smolensk/schools/sh-1")
    check("Показатели по годам" in text, f"the section: {text[:400]}")
    check(SCHOOL_NAME in text, "the hostile school name is shown as text")
    mine = [r for r in STATE["indicators"] if r["school"] == "sh-1"]
    charts = svg_charts(d)
    check_equal(len(charts), 7, "one chart per measure of the identification table")
    by_title = {c["title"]: c for c in charts}
    for c in charts:
        check_equal(c["ns"], "http://www.w3.org/2000/svg", "the chart is SVG in the DOM")
        check_equal(c["width"], 360, "viewBox parsed")
        check(SCHOOL_NAME in c["desc"], f"the school name is text in the SVG's description: {c['desc'][:200]}")
    vpr = by_title["ВПР: доля отметок «2»"]
    values = [r["results"]["vpr_fail"] for r in mine]
    numbers = [x for x in values if not isinstance(x, str)]
    check_equal(len(vpr["marks"]), len(numbers), "one mark per recorded value (VPR)")
    check(not any(m.startswith(ABSENT_PERIOD) for m in vpr["marks"]), f"the absent value is not a mark: {vpr['marks']}")
    check_equal(vpr["absent"], ["не проводилась"], "the absence shown in words")
    check(ABSENT_PERIOD + ": не проводилась" in vpr["desc"], f"and in the description: {vpr['desc']}")
    total_marks = sum(len(c["marks"]) for c in charts)
    recorded = sum(1 for r in mine for g in ("results", "context") for x in r.get(g, {}).values() if not isinstance(x, str))
    check_equal(total_marks, recorded, "one mark per recorded value on the whole page")
    ege = by_title["ЕГЭ по математике: доля участников ниже минимального порога"]
    check_equal(ege["marks"][0], "2016-2017: 38 %".replace(" %", "\u00a0%"), "a mark's own title: period and value")
    check("4,8" in text and "порог 30" in d.page_source, "numbers with a comma; the threshold drawn")
    # The table is the accessible equivalent: the same values, the absence in words.
    row = d.execute_script(
        "const r = Array.from(document.querySelectorAll('table.indicators tbody tr'))"
        ".find(r => r.querySelector('th').textContent.startsWith('ВПР'));"
        "return Array.from(r.querySelectorAll('td')).map(td => td.textContent);")
    check_equal(row[1:], [ru(x) for x in values], "the VPR row")
    caption = d.execute_script("return document.querySelector('table.indicators caption').textContent")
    check(SCHOOL_NAME in caption, f"the table names the school as text: {caption}")
    shot(d, "indicators", "pages-school-indicators")
    check("<script" not in d.page_source.split("<body", 1)[1].replace("&lt;script", ""), "no script element")


ADVANCED = "2017-11-20"


def advanced():
    """The sample's programs advanced through ADVANCED (once), as the coordinator would."""
    s, d = setup()
    if not STATE.get("advanced"):
        c = Client(s)
        c.login("moc.smolensk", PASSWORD)
        r = c.post("/api/municipalities/smolensk/advance", {"date": ADVANCED})
        check_equal(r.status, 200, f"advance: {r!r}")
        STATE["advanced"] = True
    return s, d


def table_rows(d, css):
    return d.execute_script(
        f"return Array.from(document.querySelectorAll('{css} tbody tr')).map(r =>"
        " Array.from(r.querySelectorAll('th, td')).map(c => c.innerText.trim()));")


def test_school_program_tasks_and_partners():
    """A school's program of the year on its page, as of a date: every stage of the workflow in
    order with its tasks, the current stage as `ppko status` says, the overdue tasks the same as
    its list; the partners as `ppko explain` names them, and the plan-graph's link."""
    s, d = advanced()
    on = "2021-03-01"
    cli = json.loads(run_command(PPKO, ["status", STATE["data"], "--date", on, "--format", "json"]).stdout)
    row = next(x for x in cli["schools"] if x["school"] == "sh-10")
    v = Visit(d, s.port, "pages-school-program")
    text = v.open("/municipalities/smolensk/schools/sh-10?date=" + on)
    check("Программа на 2020-2021 учебный год" in text and "как на 01.03.2021" in text, f"the section: {text[:1200]}")
    stages = d.execute_script(
        "return Array.from(document.querySelectorAll('ol.stages > li')).map(li => ({"
        " title: li.querySelector('strong').textContent, current: li.getAttribute('aria-current') === 'step',"
        " rows: Array.from(li.querySelectorAll('tbody tr')).map(r => Array.from(r.children).map(c => c.textContent))}))")
    wf = json.load(open(os.path.join(SOURCE, "workflows", "ppko.json"), encoding="utf-8"))
    periods = [st for st in wf["stages"] if not st.get("final")]
    check_equal([x["title"] for x in stages], [st["title"] for st in periods], "every stage of the year, in order")
    check_equal([len(x["rows"]) for x in stages], [len(st.get("tasks", [])) for st in periods], "every task")
    check_equal([x["title"] for x in stages if x["current"]], [row["stage_title"]], "the current stage (ppko status)")
    overdue = [r[0] + " (до " + r[3].split("срок был ")[1] + ")" for x in stages for r in x["rows"]
               if r[3].startswith("просрочена")]
    check_equal(overdue, row["overdue"], "the overdue tasks (ppko status)")
    states = {r[3].split(" ")[0] for x in stages for r in x["rows"]}
    check(states <= {"выполнена", "просрочена:", "не", "отметки", "впереди:"}, f"states in words: {states}")
    final = next(r for r in stages[-1]["rows"] if r[0] == "Итоговый мониторинг программы")
    check_equal(final[3], "впереди: срок до 30.06.2021", "a task ahead says when it is due")
    want = explained_partners("sh-10", on)
    got = d.execute_script("return Array.from(document.querySelectorAll('ul.partners strong')).map(x => x.textContent)")
    check(want and got == want, f"the partners as ppko explain names them: {got} != {want}")
    check("План-график совместных мероприятий школ-партнёров: просмотр и скачивание" in text, "the plan-graph's link")
    shot(d, "program", "pages-school-program")


def explained_partners(school, on, year="2020-2021"):
    """The partners `ppko explain` names for `school` on `on`."""
    out = run_command(PPKO, ["explain", STATE["data"], school, "--date", on]).stdout
    if f"Партнёры на {year}:\n" not in out:
        return []
    block = out.split(f"Партнёры на {year}:\n")[1].split("\n\n")[0].splitlines()
    return [line.strip() for line in block if line.startswith("  ") and not line.startswith("    ")]


def test_municipality_partners():
    """The municipality page's partner column for a year and date: the decision's date in its
    title, and each listed school's partners as `ppko explain` names them."""
    s, d = advanced()
    on = "2021-03-01"
    v = Visit(d, s.port, "pages-municipality-partners")
    text = v.open(f"/municipalities/smolensk?year=2020-2021&date={on}")
    check("Партнёр (решение от 30.12.2020)" in text, f"the column names the decision: {text[:600]}")
    rows = table_rows(d, "table:not(.undecided)")
    paired = 0
    for r in rows:
        code = r[0].split("\n")[-1]
        want = explained_partners(code, on)
        check_equal(r[7], "; ".join(want) if want else "—", f"partners of {code}")
        paired += bool(want)
    check(paired > 0, f"some listed school has a partner: {rows}")


def test_municipality_names_tasks_and_undecided():
    s, d = advanced()
    v = Visit(d, s.port, "pages-municipality")
    text = v.open("/municipalities/smolensk")
    cli = json.loads(run_command(PPKO, ["status", STATE["data"], "--date", ADVANCED, "--format", "json"]).stdout)
    check(f"Просрочено на {ADVANCED[8:]}.{ADVANCED[5:7]}.{ADVANCED[:4]}" in text, f"the page's date: {text[:600]}")
    rows = table_rows(d, "table:not(.undecided)")
    check(len(rows) >= 5, f"programs listed: {rows}")
    by_name = {s["name"]: s for s in cli["schools"] if "stage" in s}
    overdue_seen = 0
    for r in rows:
        name = r[0].split("\n")[0]
        check(name in by_name, f"the list names the school (not its code): {r}")
        want = by_name[name]
        got_overdue = [] if r[5] == "нет" else r[5].split("\n")
        check_equal(got_overdue, want["overdue"], f"overdue tasks of {name} (as ppko status)")
        check_equal(r[6], want["next_deadline"] or "—", f"the next task of {name} (as ppko status)")
        overdue_seen += bool(want["overdue"])
    check(overdue_seen > 0, "some school has overdue tasks on the date")
    check(SCHOOL_NAME in text, "the hostile name is text in the list")
    # The search finds a school by its name.
    text = v.open("/municipalities/smolensk?q=" + urllib.parse.quote("Открытая"))
    check("Найдено: 2 программы." in text, f"search by name: {text[:800]}")
    # The undecided schools of a year: as `ppko check` lists them.
    out = run_command(PPKO, ["check", STATE["data"]])
    expected = sorted(line.split("не определена категория: ", 1)[1] for line in out.stdout.splitlines()
                      if "не определена категория" in line and ", 2020-2021:" in line)
    check(expected, f"ppko check finds undecided schools in 2020-2021: {out.stdout[:500]}")
    text = v.open("/municipalities/smolensk?year=2020-2021")
    check("Идентификация не решена: 2020-2021" in text, f"the section: {text[-800:]}")
    got = table_rows(d, "table.undecided")
    check_equal(len(got), len(expected), f"undecided schools: {got} vs ppko check {expected}")
    check_equal(got[0][:2], ["МБОУ «СШ № 2»", "sh-2"], "the undecided school")
    check_equal(got[0][2], "Доля обучающихся из малообеспеченных семей", "what is missing, in words")
    text = v.open("/municipalities/smolensk?year=2019-2020")
    check("категория на 2019-2020 учебный год определена" in text, "a year with everything decided says so")
    # A wrong date is refused next to its field, with the CLI's message and id.
    text = v.open("/municipalities/smolensk?date=2017-13-40", 400)
    check("дата «2017-13-40» записана неверно" in text and "[data.bad_value]" in text, f"date message: {text[:800]}")
    shot(d, "f-date", "pages-municipality-bad-date")


def test_region_counts():
    s, d = advanced()
    s, d = setup("region")
    v = Visit(d, s.port, "pages-region")
    v.open("/region")
    rows = {r[0].split("\n")[0]: r for r in table_rows(d, "table.region")}
    head = d.execute_script("return Array.from(document.querySelectorAll('table.region thead th')).map(c => c.innerText.trim())")
    cli = json.loads(run_command(PPKO, ["status", STATE["data"], "--date", ADVANCED, "--format", "json"]).stdout)
    smolensk = dict(zip(head, rows["город Смоленск"]))
    schools = json.load(open(os.path.join(STATE["data"], "schools.json"), encoding="utf-8"))["schools"]
    check_equal(smolensk["Школ"], str(len(schools)), "schools of the sample")
    check_equal(smolensk["Учебный год"], cli["year"], "the year counted")
    for cat in ("ШНРО", "ШФНСУ", "успешная школа"):
        want = sum(1 for x in cli["schools"] if cat in x["categories"])
        check_equal(smolensk[cat], str(want), f"schools with {cat} (as ppko status)")
    con = sqlite3.connect(s.db_location)
    by_stage = dict(con.execute("SELECT stage, COUNT(*) FROM programs WHERE tenant = 'smolensk' GROUP BY stage").fetchall())
    con.close()
    check_equal(smolensk["Программ"], str(sum(by_stage.values())), "programs")
    check_equal(smolensk["Подготовительный этап"], str(by_stage.get("preparatory", 0)), "programs at the preparatory stage")
    tasks = sum(len(x.get("overdue", [])) for x in cli["schools"])
    late = sum(1 for x in cli["schools"] if x.get("overdue"))
    check(tasks > 0, "the sample has overdue tasks on the date")
    check_equal(smolensk["Просрочено задач (школ)"], f"{tasks} ({late})", "overdue tasks (as ppko status)")
    demid = dict(zip(head, next(r for k, r in rows.items() if k.startswith("Демидовский"))))
    check_equal(demid["Школ"], "нет данных", "a municipality without data files")
    check_equal(demid["Программ"], "2", "its programs still counted by stage")


def test_methodology_workflow_diagram():
    s, d = setup()
    v = Visit(d, s.port, "pages-methodology")
    text = v.open("/methodology")
    wf = json.load(open(os.path.join(SOURCE, "workflows", "ppko.json"), encoding="utf-8"))
    check(f"Версия {wf['version']}" in text and "в журнале изменений записей о ней нет" in text, "version and changes")
    svg = d.execute_script(
        "const s = document.querySelector('svg.diagram');"
        "return {ns: s.namespaceURI, title: s.querySelector('title').textContent,"
        " stages: Array.from(s.querySelectorAll('g.stage text:first-of-type')).map(t =>"
        "   Array.from(t.querySelectorAll('tspan')).map(x => x.textContent).join(' ')),"
        " arrows: s.querySelectorAll('g.arrow').length, rects: s.querySelectorAll('rect').length}")
    check_equal(svg["ns"], "http://www.w3.org/2000/svg", "the diagram is SVG")
    check_equal(svg["stages"], [st["title"] for st in wf["stages"]], "every stage title, in order, in the diagram")
    check_equal(svg["rects"], len(wf["stages"]), "a box per stage")
    check(svg["arrows"] >= len(wf["transitions"]), f"arrows between neighbouring stages: {svg['arrows']}")
    for t in wf["transitions"] + wf["year_end"]:
        check(t["title"] in text, f"the transition in words: {t['title']}")
    for st in wf["stages"]:
        for task in st.get("tasks", []):
            check(task["activity"] in text, f"the task {task['activity']}")
    ids = [st["id"] for st in wf["stages"]] + [t["id"] for t in wf["transitions"]] + [f["id"] for f in wf["facts"]]
    main_text = d.execute_script("return document.querySelector('main').textContent")
    shown = [i for i in ids if i in main_text]
    check(not shown, f"no internal codes on the page: {shown}")
    shot(d, "workflow", "pages-methodology-workflow")


def test_a_municipality_s_own_methodology():
    """A coordinator loads the municipality's own workflow (a stage renamed) through the API: the
    municipality's methodology page shows it with who changed it, the programs' pages use its stage
    title, the region sees which municipality has its own, and a file that does not load is refused
    with the CLI's message naming it."""
    s, d = advanced()
    api = Client(s)
    api.login("moc.smolensk", PASSWORD)
    target = "/api/municipalities/smolensk/files/workflows/ppko.json"
    builtin = open(os.path.join(SOURCE, "workflows", "ppko.json"), encoding="utf-8").read()
    own_title = "Этап внедрения (редакция Смоленска)"
    own = builtin.replace('"Практический этап (этап внедрения)"', json.dumps(own_title, ensure_ascii=False), 1)
    check(own != builtin, "the stage renamed")
    a = api.request("PUT", target, {"content": own, "version": 0})
    check_equal(a.status, 201, f"the own workflow stored: {a}")
    try:
        v = Visit(d, s.port, "pages-own-methodology")
        text = v.open("/municipalities/smolensk/methodology")
        check("своя методика муниципалитета" in text, f"the workflow is the municipality's own: {text[:1500]}")
        check("Координатор Смоленска (moc.smolensk)" in text, "who changed it, by name")
        check("встроенная в программу" in text, "the identification table is still the built-in one")
        stages = d.execute_script("return Array.from(document.querySelectorAll('svg.diagram g.stage text:first-of-type'))"
                                  ".map(t => Array.from(t.querySelectorAll('tspan')).map(x => x.textContent).join(' '))")
        check(own_title in stages, f"the diagram draws the own stage title: {stages}")
        text = v.open("/municipalities/smolensk")
        check(own_title in text and "Практический этап (этап внедрения)" not in text,
              f"the programs' stage in the municipality's words: {text[:1500]}")
        # A workflow that does not load is refused, named as the user knows it, and nothing changes.
        a = api.request("PUT", target, {"content": own.replace('"stages"', '"stagez"', 1), "version": 1})
        check_equal(a.status, 400, f"a broken workflow: {a}")
        check(a.json["errors"][0]["file"] == "workflows/ppko.json", f"named by its record: {a.json}")
        check_equal(api.get(target).json["version"], 1, "nothing written")
        # The built-in page tells the region which municipality has its own.
        s, d = setup("region")
        v = Visit(d, s.port, "pages-own-methodology-region")
        text = v.open("/methodology")
        check("Свою методику (вместо встроенной) загрузили муниципалитеты:" in text and "город Смоленск" in text,
              f"the region's list: {text[:800]}")
    finally:
        a = api.request("DELETE", target + "?version=1")
        check_equal(a.status, 200, f"the own workflow removed: {a}")
    text = Visit(d, s.port, "pages-own-methodology-after").open("/municipalities/smolensk/methodology")
    check("своя методика" not in text, "the built-in workflow applies again")


def test_a_coordinator_changes_the_methodology_in_the_page():
    """The coordinator downloads the identification table in force, uploads a broken file (the page
    names the uploaded file and its line, nothing is stored), then its own (the page says it is the
    municipality's own), and goes back to the built-in one after confirming."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    s, d = setup()
    page = "/municipalities/smolensk/methodology"
    v = Visit(d, s.port, "pages-change-methodology")
    text = v.open(page)
    check("Своя методика муниципалитета" in text and "Скачать действующий файл: Таблица идентификации" in text,
          f"the coordinator's form: {text[-1200:]}")
    a = raw_request(s.port, "GET", page + "/file?which=identification", headers={"Cookie": v.cookie()})
    builtin = open(os.path.join(SOURCE, "workflows", "identification.json"), "rb").read()
    check_equal((a.status, a.bytes), (200, builtin), "the file in force downloads as it is")
    check('filename="identification.json"' in a.headers.get("content-disposition", ""), f"{a.headers}")

    def submit_file(name, content):
        path = os.path.join(WORKDIR, name)
        open(path, "wb").write(content)
        Select(d.find_element(By.ID, "f-which")).select_by_value("identification")
        d.find_element(By.ID, "f-method-file").send_keys(path)
        click_and_wait(d, "form[enctype='multipart/form-data'] button[type=submit]")
        return d.find_element(By.TAG_NAME, "main").text

    text = submit_file("моя-таблица.json", builtin.replace(b'"rules"', b'"rulez"', 1))
    check("Файл не сохранён" in text and "моя-таблица.json:" in text, f"the broken file named: {text[-1500:]}")
    check("workflows/" not in text, "the record's internal name is not shown")
    api = Client(s)
    api.login("moc.smolensk", PASSWORD)
    own = "/api/municipalities/smolensk/files/workflows/identification.json"
    check_equal(api.get(own).status, 404, "nothing stored")
    title = "Смоленская редакция: "
    text = submit_file("моя-таблица-2.json", builtin.replace(b'"title": "', ('"title": "' + title).encode(), 1))
    check("Файл методики сохранён" in text and title in text, f"saved: {text[:1200]}")
    check("своя методика муниципалитета" in text and "Координатор Смоленска (moc.smolensk)" in text, "its own, who")
    check_equal(api.get(own).json["content"].encode(), builtin.replace(b'"title": "', ('"title": "' + title).encode(), 1),
                "stored byte for byte")
    # Back to the built-in one: refused until confirmed.
    click_and_wait(d, "#restore-identification + form button[type=submit]")
    text = d.find_element(By.TAG_NAME, "main").text
    check("Отметьте «Да, удалить свою и работать по встроенной»" in text, f"confirmation asked: {text[-800:]}")
    check_equal(api.get(own).status, 200, "still its own")
    d.find_element(By.ID, "restore-identification-confirm").click()
    click_and_wait(d, "#restore-identification + form button[type=submit]")
    text = d.find_element(By.TAG_NAME, "main").text
    check("Своя методика удалена: действует встроенная." in text and title not in text, f"restored: {text[:300]} … {text[-900:]}")
    check_equal(api.get(own).status, 404, "the own file removed")


def test_municipality_changes():
    """«Изменения данных»: the municipality's data changes newest first, the data named in words
    (no file names), who made each (the coordinator by name; the folder's import by the command
    line); the school's account may not see it."""
    s, d = setup()
    api = Client(s)
    api.login("moc.smolensk", PASSWORD)
    own = "/api/municipalities/smolensk/files/workflows/identification.json"
    table = open(os.path.join(SOURCE, "workflows", "identification.json"), encoding="utf-8").read()
    check_equal(api.request("PUT", own, {"content": table, "version": 0}).status, 201, "own table added")
    check_equal(api.request("DELETE", own + "?version=1").status, 200, "and removed")
    v = Visit(d, s.port, "pages-changes")
    v.open("/municipalities/smolensk/changes")
    rows = d.execute_script("return Array.from(document.querySelectorAll('table.changes tbody tr'))"
                            ".map(r => Array.from(r.children).map(c => c.textContent))")
    own = [r for r in rows if r[2] == "Своя методика: таблица идентификации"]
    check_equal([r[3] for r in own], ["удалены", "добавлены"], f"the coordinator's changes, newest first: {rows[:6]}")
    check(all(r[1] == "Координатор Смоленска (moc.smolensk)" for r in own), f"who: {own}")
    check(["Показатели школ по учебным годам", "добавлены"] in [r[2:] for r in rows], f"the import: {rows}")
    check(all(r[1] == "администратор сервера (с командной строки)" for r in rows if r[2] == "Показатели школ по учебным годам"),
          "the folder's import by the command line")
    check_equal(raw_request(s.port, "GET", "/municipalities/smolensk/changes").status, 303, "signed out: to the sign-in page")


def test_html_is_valid():
    """vnu over every page the tests above kept (the HTML as served), with their inline SVG."""
    files = sorted(glob.glob(os.path.join(PAGES, "*.html")))
    check(len(files) >= 8, f"the browser tests kept {len(files)} pages; run them first")
    out = subprocess.run(["java", "-jar", VNU, "--format", "json", *files],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(out.stderr)
    problems = [f"{os.path.basename(m.get('url', ''))}:{m.get('lastLine', '')}: {m.get('type')} {m.get('message')}"
                for m in report["messages"] if m.get("type") != "info" or m.get("subType") == "warning"]
    check(not problems, "vnu: " + "\n".join(problems[:20]))
    check_equal(out.returncode, 0, "vnu exit code")
    svg = [f for f in files if "<svg" in open(f, encoding="utf-8").read()]
    check(len(svg) >= 2, f"pages with SVG were checked: {svg}")


TESTS = [
    ("test_school_indicators_table_and_chart", test_school_indicators_table_and_chart),
    ("test_school_program_tasks_and_partners", test_school_program_tasks_and_partners),
    ("test_municipality_names_tasks_and_undecided", test_municipality_names_tasks_and_undecided),
    ("test_municipality_partners", test_municipality_partners),
    ("test_region_counts", test_region_counts),
    ("test_methodology_workflow_diagram", test_methodology_workflow_diagram),
    ("test_a_municipality_s_own_methodology", test_a_municipality_s_own_methodology),
    ("test_a_coordinator_changes_the_methodology_in_the_page", test_a_coordinator_changes_the_methodology_in_the_page),
    ("test_municipality_changes", test_municipality_changes),
    ("test_html_is_valid", test_html_is_valid),
]

if __name__ == "__main__":
    try:
        rc = main(TESTS, sys.argv)
    finally:
        if "driver" in STATE:
            STATE["driver"].quit()
    sys.exit(rc)
