#!/usr/bin/python3
"""Issue 12's coordinator flow in headless Chromium, over `ppko serve` with the Smolensk sample
whose 2019-2020 indicators and sh-24's facts of 2020-2021 are left out:

  test_web_flow.py PPKO WORKDIR TOOLS

- the coordinator signs in, uploads the РЦОИ results table and the social passports of 2019-2020
  from samples/import on the import page, sees what would change, confirms (cancel first: nothing
  written), and the school page then shows the identification those data give;
- records sh-24's facts of 2020-2021 through the fact form, advances the programs (the
  confirmation is required), and sees sh-24's program move in the events;
- previews the partnership order (the document model as HTML: the nine pairs) and downloads its
  DOCX from the preview page's link: python-docx reads the nine pairs of the Smolensk sample;
  downloads sh-24's plan as PDF (made on the server by LibreOffice): pdftotext shows the school;
- a municipality's batch: the progress page, then the zip with every document;
- the region's annual package from the region page: progress to 100 %, the zip with a folder per
  municipality and ошибки.txt for the one without data; a coordinator gets none of it;
- every page screenshotted at 1366×768, axe-core clean, and the HTML as served vnu-valid.
"""

import http.client
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_web import (AXE, PAGES, PASSWORD, SHOTS, SOURCE, VNU, Visit, axe_check, browser,  # noqa: E402
                      click_and_wait, no_alert, sign_in, start_smolensk_server)
from harness import Client, check, check_equal, main, run_command  # noqa: E402

PPKO, WORKDIR = sys.argv[1], sys.argv[2]
IMPORT = os.path.join(SOURCE, "samples", "import")
SH24_FACTS = [("2020-10-20", "program_approved"), ("2020-12-08", "input_monitoring")]


def workspace_without_2019_2020():
    """samples/smolensk without the indicators of 2019-2020 (the tables bring them back) and
    without sh-24's facts of 2020-2021 (the form records them)."""
    dst = os.path.join(WORKDIR, "smolensk-data")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(os.path.join(SOURCE, "samples", "smolensk"), dst)
    path = os.path.join(dst, "indicators.json")
    ind = json.load(open(path, encoding="utf-8"))
    ind["indicators"] = [r for r in ind["indicators"] if r["period"] != "2019-2020"]
    json.dump(ind, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
    path = os.path.join(dst, "facts.json")
    facts = json.load(open(path, encoding="utf-8"))
    facts["facts"] = [f for f in facts["facts"] if not (f["school"] == "sh-24" and "2020-09-01" <= f["date"] <= "2021-08-31")]
    json.dump(facts, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
    return dst


def kept(d, name):
    """A page reached by a form (POST): screenshot, axe, and its HTML for vnu."""
    d.save_screenshot(os.path.join(SHOTS, f"flow-{name}.png"))
    with open(os.path.join(PAGES, f"flow-{name}.html"), "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html>\n" + d.execute_script("return document.documentElement.outerHTML"))
    axe_check(d, name)


def submit(d, css):
    click_and_wait(d, css)


def get(port, path, cookie):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("GET", path, headers={"Cookie": cookie})
    r = conn.getresponse()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()


def upload(d, path, kind, year, name):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    d.find_element(By.ID, "f-file").send_keys(path)
    Select(d.find_element(By.ID, "f-kind")).select_by_value(kind)
    d.find_element(By.ID, "f-year").send_keys(year)
    submit(d, "form[enctype='multipart/form-data'] button[type=submit]")
    no_alert(d, name)
    kept(d, name)
    return d.find_element(By.TAG_NAME, "main").text


def test_coordinator_flow():
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    shutil.rmtree(os.path.join(WORKDIR, "work"), ignore_errors=True)  # the server's, from an earlier run
    s = start_smolensk_server("flow", workspace_without_2019_2020())
    d = browser()
    try:
        sign_in(d, s.port, "moc.smolensk")
        v = Visit(d, s.port, "flow")
        ident = "/api/municipalities/smolensk/identification?year=2020-2021"
        before = {x["school"]: x for x in json.loads(get(s.port, ident, v.cookie())[2])["schools"]}
        check(before["sh-24"]["undecided"] and not before["sh-24"]["categories"],
              f"without 2019-2020 data sh-24 is undecided in 2020-2021: {before['sh-24']}")

        # Import: a wrong kind first (the importer's messages with sheet!cell), then the results.
        text = v.open("/municipalities/smolensk/import")
        check("Бланки для заполнения" in text, f"import page: {text[:400]}")
        text = upload(d, os.path.join(IMPORT, "schools.csv"), "indicators", "2019-2020", "import-errors")
        check("import.unknown_column" in text and "schools!B1" in text, f"errors with sheet!cell: {text[:600]}")
        text = upload(d, os.path.join(IMPORT, "rcoi-2019-2020.xlsx"), "indicators", "2019-2020", "import-plan")
        check("будет добавлено: 43 записи (215 значений)" in text, f"the plan in words: {text[:600]}")
        # Listed as a methodologist reads them: the school's name, the column titles, no field paths.
        check("МБОУ «СШ № 24» (sh-24), 2019-2020: " in text
              and "ОГЭ по русскому языку: доля участников ниже минимального порога — " in text
              and "results." not in text, f"the values listed: {text[:1200]}")
        # The upload waits in the database (any server of it may get the confirmation), not on disk.
        check_equal(s.db.sql("SELECT count(*), max(filename) FROM pending_uploads"), [["1", "rcoi-2019-2020.xlsx"]],
                    "the upload waits in the database")
        check(not os.path.exists(os.path.join(WORKDIR, "work", "uploads")), "nothing of the upload on the disk")
        # Cancel leaves nothing: the data file is as it was.
        before = get(s.port, "/api/municipalities/smolensk/files/indicators.json", v.cookie())[2]
        submit(d, "form[action$='/cancel'] button[type=submit]")
        check("Загрузка отменена" in d.find_element(By.TAG_NAME, "main").text, "cancelled")
        check_equal(get(s.port, "/api/municipalities/smolensk/files/indicators.json", v.cookie())[2], before, "after cancel")
        check_equal(s.db.sql("SELECT count(*) FROM pending_uploads"), [["0"]], "no upload kept after cancel")
        v.open("/municipalities/smolensk/import")
        upload(d, os.path.join(IMPORT, "rcoi-2019-2020.xlsx"), "indicators", "2019-2020", "import-plan-2")
        submit(d, "form[action$='/confirm'] button[type=submit]")
        check("Изменения записаны" in d.find_element(By.TAG_NAME, "main").text, "confirmed")
        # A value that differs from the recorded one: the message names the page's checkbox, not the CLI's flag.
        changed = os.path.join(WORKDIR, "changed-sh24.csv")
        with open(changed, "w", encoding="utf-8") as f:
            f.write("Школа;Учебный год;ОГЭ по русскому языку: доля участников ниже минимального порога\nsh-24;2019-2020;99,5\n")
        text = upload(d, changed, "indicators", "2019-2020", "import-conflict")
        check("[import.conflict]" in text and "— записано " in text and "а в таблице 99,5" in text
              and "отметьте «Заменять записанные значения, которые в таблице другие»" in text and "--replace" not in text,
              f"the conflict in the page's words: {text[:800]}")
        text = upload(d, os.path.join(IMPORT, "social-passport-2019-2020.csv"), "indicators", "2019-2020", "import-social")
        check("86 значений" in text, f"social passports: {text[:600]}")
        submit(d, "form[action$='/confirm'] button[type=submit]")
        # The audit names the coordinator; the identification now decides.
        c_files = json.loads(get(s.port, "/api/municipalities/smolensk/files/indicators.json", v.cookie())[2])
        check("2019-2020" in c_files["content"], "indicators.json holds the imported year")
        after = {x["school"]: x for x in json.loads(get(s.port, ident, v.cookie())[2])["schools"]}
        check(any("ШНРО" in c["title"] for c in after["sh-24"]["categories"]) and not after["sh-24"]["undecided"],
              f"sh-24 is a ШНРО after the import: {after['sh-24']}")
        v.open("/municipalities/smolensk/schools/sh-24")
        # A data-entry form downloads from the import page.
        status, headers, body = get(s.port, "/municipalities/smolensk/forms?kind=indicators&year=2020-2021", v.cookie())
        check_equal(status, 200, "form download")
        check("Данные" in zipfile.ZipFile(io.BytesIO(body)).read("xl/workbook.xml").decode(), "the form's sheet")

        # The facts of the year through the fact form.
        for date, fact in SH24_FACTS:
            d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.ID, "f-date"), date)
            Select(d.find_element(By.ID, "f-fact")).select_by_value(fact)
            submit(d, "form[action$='/schools/sh-24/facts'] button[type=submit]")
            check("/schools/sh-24?recorded=1&version=" in d.current_url, f"recorded {fact}: {d.current_url}")

        # Advance: the confirmation is required, then the events.
        v.open("/municipalities/smolensk/advance")
        d.execute_script("arguments[0].value = '2021-06-30'", d.find_element(By.ID, "f-date"))
        d.execute_script("arguments[0].removeAttribute('required')", d.find_element(By.ID, "f-date"))
        submit(d, "form[action$='/advance'] button[type=submit]")
        check(d.find_elements(By.ID, "f-confirm-error"), "advancing without the confirmation is refused")
        kept(d, "advance-unconfirmed")
        d.find_element(By.ID, "f-confirm").click()
        submit(d, "form[action$='/advance'] button[type=submit]")
        main_text = d.find_element(By.TAG_NAME, "main").text
        check("Программы продвинуты по 30.06.2021" in main_text, f"advanced: {main_text[:500]}")
        check("sh-24" in main_text, f"sh-24's events: {main_text[:1500]}")
        kept(d, "advanced")
        # The identification of the year the programs stand in, in words on the school page.
        text = v.open("/municipalities/smolensk/schools/sh-24")
        for want in ("ШНРО", "2020-2021 учебный год", "по показателям за 2019-2020"):
            check(want in text, f"sh-24's page shows «{want}»: {text[:1500]}")

        # Preview the partnership order and download its DOCX from the preview page.
        text = v.open("/municipalities/smolensk/documents")
        d.find_element(By.CSS_SELECTOR, "a[href$='/documents/partnership']").click()
        text = v.open("/municipalities/smolensk/documents/partnership")
        preview = d.find_element(By.CSS_SELECTOR, "article.doc-page")
        pairs = [li.text for li in preview.find_elements(By.TAG_NAME, "li") if "– МБОУ" in li.text.replace("\u00a0", " ")]
        check_equal(len(pairs), 9, f"pairs in the preview: {pairs}")
        check("ПРИКАЗ" in preview.text, "the document's requisites")
        href = d.find_element(By.CSS_SELECTOR, "ul.downloads a[href*='format=docx']").get_attribute("href")
        status, headers, body = get(s.port, href.split(str(s.port), 1)[1], v.cookie())
        check_equal(status, 200, f"GET {href}")
        import docx
        doc = docx.Document(io.BytesIO(body))
        got = [p.text for p in doc.paragraphs if "\u00a0– МБОУ" in p.text]
        check_equal(len(got), 9, f"pairs in the DOCX: {got}")
        check_equal([p.replace("\u00a0", " ").lstrip("– ") for p in got],
                    [p.replace("\u00a0", " ").lstrip("– ") for p in pairs], "the DOCX says what the preview showed")
        # Its zip (with the PDF: the office starts, long on a loaded machine) is fetched last.
        order_zip = d.find_element(By.CSS_SELECTOR, "ul.downloads a[href*='format=zip']").get_attribute("href")
        # A document made per school: the school's choice, its preview (tables), its own files.
        v.open("/municipalities/smolensk/documents/plan")
        options = [o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "#f-school option")]
        check("sh-24" in options and len(options) >= 9, f"the participants to choose from: {options}")
        text = v.open("/municipalities/smolensk/documents/plan?school=sh-24")
        check_equal(Select(d.find_element(By.ID, "f-school")).first_selected_option.get_attribute("value"), "sh-24", "chosen")
        check("СШ № 24" in d.find_element(By.CSS_SELECTOR, "article.doc-page").text, "sh-24's plan in the preview")
        check(d.find_elements(By.CSS_SELECTOR, "article.doc-page table"), "the plan's table in the preview")
        xhref = d.find_element(By.CSS_SELECTOR, "ul.downloads a[href*='format=xlsx']").get_attribute("href")
        check("school=sh-24" in xhref, f"the download is sh-24's: {xhref}")
        status, headers, body = get(s.port, xhref.split(str(s.port), 1)[1], v.cookie())
        check(status == 200 and body[:2] == b"PK", f"sh-24's plan as XLSX: {status}")
        # Its PDF beside them: made on the server, the school's name in its text.
        check(not d.find_elements(By.ID, "no-pdf"), "PDF is offered: the test machine has LibreOffice")
        phref = d.find_element(By.CSS_SELECTOR, "ul.downloads a[href*='format=pdf']").get_attribute("href")
        check("school=sh-24" in phref, f"the PDF is sh-24's: {phref}")
        # A bad date: the message next to the field, with its id.
        v.open("/municipalities/smolensk/documents/partnership?date=2021-02-30")
        check("[data.bad_value]" in d.find_element(By.ID, "f-date-error").text, "the date's message")

        # The batch: the progress page, then the zip.
        v.open("/municipalities/smolensk/documents")
        submit(d, "form[action$='/documents/batch'] button[type=submit]")
        check("/documents/batch/" in d.current_url, f"the job's page: {d.current_url}")
        check(d.find_elements(By.TAG_NAME, "progress"), "a <progress> element")
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(d, 240, poll_frequency=1).until(
            lambda _: d.find_elements(By.CSS_SELECTOR, "a.download") or (d.refresh() and False))
        path = d.current_url.split(str(s.port), 1)[1]
        v.open(path)
        bar = d.find_element(By.ID, "job-progress")
        check(bar.get_attribute("value") == bar.get_attribute("max") != "1", "the bar is full")
        zhref = d.find_element(By.CSS_SELECTOR, "a.download").get_attribute("href")
        status, headers, body = get(s.port, zhref.split(str(s.port), 1)[1], v.cookie())
        check_equal(status, 200, "the batch's zip")
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        check(len(names) >= 10 and "manifest.json" in names, f"every document in the batch's zip: {names}")
        # The batch with PDF (the form's checkbox): every DOCX of the zip has its PDF beside it. Polled
        # from here, not the browser: the office converts for a while on a loaded machine.
        v.open("/municipalities/smolensk/documents")
        d.find_element(By.ID, "batch-pdf").click()
        submit(d, "form[action$='/documents/batch'] button[type=submit]")
        job = d.current_url.rsplit("/", 1)[1]
        deadline = time.monotonic() + 420
        while True:
            state = json.loads(get(s.port, f"/api/jobs/{job}", v.cookie())[2])["state"]
            if state in ("done", "failed") or time.monotonic() > deadline:
                break
            time.sleep(1)
        check_equal(state, "done", "the batch with PDF")
        status, headers, body = get(s.port, f"/api/jobs/{job}/result", v.cookie())
        pdf_names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        docx = sorted(os.path.splitext(n)[0] for n in pdf_names if n.endswith(".docx"))
        check(docx and docx == sorted(os.path.splitext(n)[0] for n in pdf_names if n.endswith(".pdf")),
              f"a PDF beside every DOCX: {pdf_names}")
        # The PDFs last: the office starts for them, and on a loaded machine the browser's next page
        # load after that start was seen to time out in the renderer (not in the server).
        status, headers, body = get(s.port, phref.split(str(s.port), 1)[1], v.cookie())
        check(status == 200 and body.startswith(b"%PDF-") and headers["content-type"] == "application/pdf",
              f"sh-24's plan as PDF: {status} {body[:20]!r}")
        out = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, timeout=60)
        pdf_text = " ".join(out.stdout.decode("utf-8").replace("\u00a0", " ").split())
        check("СШ № 24" in pdf_text, f"the school's name in the PDF: {pdf_text[:600]}")
        status, headers, body = get(s.port, order_zip.split(str(s.port), 1)[1], v.cookie())
        names = sorted(os.path.splitext(n)[1] for n in zipfile.ZipFile(io.BytesIO(body)).namelist())
        check_equal(names, [".docx", ".pdf", ".xlsx"], "the partnership order's zip holds the DOCX, the PDF and the XLSX")
        status, headers, body = get(s.port, "/static/job.js", "")
        check(status == 200 and headers["content-type"].startswith("text/javascript") and b"data-job" in body,
              "the batch page's script")
    finally:
        d.quit()


def test_region_batch():
    """The region account starts the region's annual package from the region page: the progress
    page, the bar at 100 %, then the zip — Smolensk's folder with its documents, and ошибки.txt
    naming the municipality without data (Демидовский район, whose title is hostile text)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    s = start_smolensk_server("region-batch", os.path.join(SOURCE, "samples", "smolensk"))
    d = browser()
    try:
        sign_in(d, s.port, "region")
        v = Visit(d, s.port, "region-batch")
        v.open("/region")
        submit(d, "form[action='/region/batch'] button[type=submit]")
        check("/region/batch/" in d.current_url, f"the job's page: {d.current_url}")
        check(d.find_elements(By.TAG_NAME, "progress"), "a <progress> element")
        path = d.current_url.split(str(s.port), 1)[1]
        job = path.rsplit("/", 1)[1]
        # job.js reloads the page when the job has finished: the link appears without a click.
        WebDriverWait(d, 300, poll_frequency=1).until(lambda _: d.find_elements(By.CSS_SELECTOR, "a.download"))
        no_alert(d, path)
        v.open(path)
        bar = d.find_element(By.ID, "job-progress")
        check(bar.get_attribute("value") == bar.get_attribute("max") != "1", "the bar is full")
        status, headers, body = get(s.port, "/api/jobs/" + job, v.cookie())
        state = json.loads(body)
        check_equal((status, state["state"], state["done"] == state["total"] > 10, state["scope"]),
                    (200, "done", True, "region"), f"the job at 100 %: {state}")
        alert = d.find_element(By.CSS_SELECTOR, "p.error-box").text
        check("Демидовский район" in alert and "ошибки.txt" in alert and '<script>alert("м")</script>' in alert,
              f"the municipality left out, named as text: {alert}")
        zhref = d.find_element(By.CSS_SELECTOR, "a.download").get_attribute("href")
        status, headers, body = get(s.port, zhref.split(str(s.port), 1)[1], v.cookie())
        check_equal((status, headers["content-type"]), (200, "application/zip"), "the region's zip")
        z = zipfile.ZipFile(io.BytesIO(body))
        names = z.namelist()
        smolensk = [n for n in names if n.startswith("город Смоленск/")]
        check(len(smolensk) >= 10 and "город Смоленск/manifest.json" in smolensk, f"Smolensk's folder: {names}")
        check_equal(sorted({n.split("/")[0] for n in names}), ["город Смоленск", "ошибки.txt"], "the zip's top level")
        errors = z.read("ошибки.txt").decode("utf-8")
        check("Демидовский район" in errors and "не загружены" in errors, f"ошибки.txt: {errors}")
        # Without script: the page of a finished job has none; the coordinator may not see it.
        check("<script" not in get(s.port, path, v.cookie())[2].decode("utf-8"), "no script once finished")
        coordinator = Client(s)
        coordinator.login("moc.smolensk", PASSWORD)
        check_equal(coordinator.get(path).status, 403, "a coordinator: the region's batch page")
        check_equal(coordinator.get("/api/jobs/" + job).status, 404, "a coordinator: the region's job")
    finally:
        d.quit()


def test_html_is_valid():
    files = sorted(os.path.join(PAGES, f) for f in os.listdir(PAGES) if f.endswith(".html"))
    check(len(files) >= 10, f"the flow kept {len(files)} pages; run it first")
    out = subprocess.run(["java", "-jar", VNU, "--format", "json", *files], capture_output=True, text=True, timeout=300)
    messages = json.loads(out.stderr)["messages"]
    problems = [f"{os.path.basename(m.get('url', ''))}:{m.get('lastLine', '')}: {m.get('type')} {m.get('message')}"
                for m in messages if m.get("type") != "info" or m.get("subType") == "warning"]
    check(not problems, "vnu: " + "\n".join(problems[:20]))


TESTS = [
    ("test_coordinator_flow", test_coordinator_flow),
    ("test_region_batch", test_region_batch),
    ("test_html_is_valid", test_html_is_valid),
]

if __name__ == "__main__":
    check(os.path.exists(AXE), "axe-core missing (bash .ci/setup test)")
    sys.exit(main(TESTS, sys.argv))
