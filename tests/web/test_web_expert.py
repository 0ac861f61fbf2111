#!/usr/bin/python3
"""The expert's pages in headless Chromium (helpers of test_web.py):

  test_web_expert.py PPKO WORKDIR TOOLS

The Smolensk sample on the server, councils.json with two experts (the coordinator puts it through
the API): «Петрова А.А.» reviews sh-1 and sh-3, «Орлов Б.Б.» sh-5.
- the expert «Петрова А.А.» signs in and sees exactly sh-1 and sh-3 in «Мои программы»;
- sh-5's page (another expert's program) and a school that is nobody's → 404, also through the API;
- the program page shows what the data knows as of the council's date and labelled textareas;
- a part too long is refused with the message next to its field, the other text kept;
- the conclusion written (hostile text: <script>, quotes, &) is stored in conclusions.json, stays
  text on the page (no script runs) and is found by python-docx in the downloaded DOCX, while the
  parts not written keep their «[Заполняет эксперт: …]» blanks;
- a stale version → 409 through the API; the coordinator reads the same pages without a form;
- every page: screenshot, axe-core and vnu with no violations.
"""

import http.client
import io
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_web  # noqa: E402  (reads PPKO WORKDIR TOOLS from sys.argv, as this file does)
from test_web import (HOSTILE, PASSWORD, PPKO, SOURCE, VNU, Client, Visit, axe_check, browser,  # noqa: E402
                      check, check_equal, click_and_wait, main, no_alert, run_command, sign_in, start_server)

COUNCIL = "2020-12-22"
EXPERTS = [
    {"name": "Петрова А.А.", "position": "методист", "illustrative": True, "schools": ["sh-1", "sh-3"]},
    {"name": "Орлов Б.Б.", "position": "методист", "illustrative": True, "schools": ["sh-5"]},
]
WRITTEN = {
    "directions": "Управленческие решения: внутришкольный мониторинг.\nКадры: " + HOSTILE,
    "recommendations": "Уточнить результаты «в цифрах» & 'сроки'.",
}


def smolensk_with_experts():
    s = start_server("expert")
    out = run_command(PPKO, ["municipality", "import", "smolensk", os.path.join(SOURCE, "samples", "smolensk"),
                             "--db", s.db_location])
    check_equal(out.returncode, 0, f"municipality import: {out.stderr}")
    for login, role, name in (("moc.smolensk", "coordinator", "Координатор Смоленска"),
                              ("petrova", "expert", "Петрова А.А."), ("orlov", "expert", "Орлов Б.Б.")):
        out = run_command(PPKO, ["user", "add", login, "--role", role, "--municipality", "smolensk", "--name", name,
                                 "--db", s.db_location], stdin=PASSWORD + "\n")
        check_equal(out.returncode, 0, f"user add {login}: {out.stderr}")
    coord = Client(s)
    coord.login("moc.smolensk", PASSWORD)
    f = coord.get("/api/municipalities/smolensk/files/councils.json").json
    councils = json.loads(f["content"])
    councils["councils"][0]["experts"] = EXPERTS
    a = coord.request("PUT", "/api/municipalities/smolensk/files/councils.json",
                      {"content": json.dumps(councils, ensure_ascii=False, indent=2) + "\n", "version": f["version"]})
    check_equal(a.status, 200, f"PUT councils.json: {a}")
    return s, coord


def download(port, path, cookie):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Cookie": cookie})
    r = conn.getresponse()
    return r.status, r.read()


def test_expert_writes_a_conclusion_and_downloads_it():
    from selenium.webdriver.common.by import By
    s, coord = smolensk_with_experts()
    base = f"/municipalities/smolensk/expertise/{COUNCIL}"
    d = browser()
    try:
        sign_in(d, s.port, "petrova")
        check(d.current_url.endswith("/expert"), f"the expert starts on «Мои программы»: {d.current_url}")
        v = Visit(d, s.port, "expert")
        text = v.open("/expert")
        links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "main table a")]
        check_equal(sorted(link.rsplit("/", 1)[1] for link in links), ["sh-1", "sh-3"], "the programs listed")
        check("МБОУ «СШ № 1»" in text and "не написано" in text, f"the list: {text[:600]}")
        # Another expert's program and a school nobody reviews: 404 on the page and in the API.
        v.open(base + "/sh-5", 404)
        v.open(base + "/sh-9", 404)
        api = Client(s)
        api.login("petrova", PASSWORD)
        for path in ("/sh-5", "/sh-5/conclusion", "/sh-5/document"):
            check_equal(api.get("/api" + base + path).status, 404, f"API {path} of another expert's program")
        check_equal(api.request("PUT", "/api" + base + "/sh-5/conclusion", {"version": 0, "risks": "x"}).status, 404,
                    "PUT another expert's conclusion")
        check_equal(api.get("/api/municipalities/lesosibirsk/expertise").status, 404, "another municipality")
        # The program page: the data as of the council date, the labelled form.
        text = v.open(base + "/sh-1")
        for want in ("Что известно из данных на дату заседания", "Этап программы", "22.12.2020", "Петрова А.А."):
            check(want in text, f"program page shows «{want}»: {text[:800]}")
        for key in ("directions", "internal_evaluation", "conformity", "recommendations", "risks", "resources"):
            label = d.find_element(By.CSS_SELECTOR, f"label[for='f-{key}']")
            check(label.text, f"the label of {key}")
        # Too long a part: the message next to its field, the text sent kept.
        d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.ID, "f-risks"), "я" * 20001)
        d.find_element(By.ID, "f-directions").send_keys("черновик")
        click_and_wait(d, "main form button[type=submit]")
        no_alert(d, "conclusion form with an error")
        err = d.find_element(By.ID, "f-risks-error").text
        check("[data.bad_value]" in err, f"the message next to the field: {err}")
        check_equal(d.find_element(By.ID, "f-directions").get_attribute("value"), "черновик", "the text sent is kept")
        axe_check(d, "conclusion form with an error")
        # Written through the form.
        for key in ("directions", "risks"):
            d.find_element(By.ID, "f-" + key).clear()
        for key, value in WRITTEN.items():
            d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.ID, "f-" + key), value)
        click_and_wait(d, "main form button[type=submit]")
        no_alert(d, "after saving")
        check(d.current_url.endswith(base + "/sh-1?saved=1"), f"POST-redirect-GET: {d.current_url}")
        text = v.open(base + "/sh-1?saved=1")
        check("Заключение сохранено (правка 1)" in text, f"the notice: {text[:400]}")
        check_equal(d.find_element(By.ID, "f-directions").get_attribute("value"), WRITTEN["directions"],
                    "the hostile text is text in the textarea")
        stored = json.loads(coord.get("/api/municipalities/smolensk/files/conclusions.json").json["content"])
        check_equal(stored["conclusions"], [{"council": COUNCIL, "school": "sh-1", "expert": "Петрова А.А.", "version": 1,
                                             "directions": WRITTEN["directions"].split("\n"),
                                             "recommendations": [WRITTEN["recommendations"]]}], "conclusions.json")
        # A stale version loses.
        a = api.request("PUT", "/api" + base + "/sh-1/conclusion", {"version": 0, "risks": "поздно"})
        check_equal((a.status, a.error_id()), (409, "record.conflict"), f"stale PUT: {a}")
        check_equal(a.json["current"]["version"], 1, "the current conclusion in the 409")
        # The document: the written text, the blanks of what was not written.
        link = d.find_element(By.LINK_TEXT, "Скачать экспертное заключение (DOCX)").get_attribute("href")
        status, body = download(s.port, link.split(str(s.port), 1)[1], v.cookie())
        check_equal(status, 200, f"GET {link}")
        import docx
        doc = docx.Document(io.BytesIO(body))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        whole = "\n".join([p.text for p in doc.paragraphs] + cells)
        for want in ("Управленческие решения: внутришкольный мониторинг.", "Кадры: " + HOSTILE.replace('"', "")[:8],
                     "Рекомендации: Уточнить результаты", "[Заполняет эксперт: риски]", "[Заполняет эксперт: вывод]",
                     "Петрова"):
            check(want in whole, f"the DOCX holds «{want}»: {whole[-1500:]}")
        check('<script>alert("м")</script>' in whole or "<script>alert(«м»)</script>" in whole,
              f"the hostile text is text in the DOCX: {whole[-1500:]}")
        check("[Заполняет эксперт: управленческие" not in whole, "a written part has no blank")
        v.open(base + "/sh-3")
    finally:
        d.quit()
    # The coordinator reads the same pages, without a form; the list names the experts.
    d = browser()
    try:
        d.get(f"http://127.0.0.1:{s.port}/login")
        d.delete_all_cookies()  # the profile folder is shared: the expert's session is not the coordinator's
        sign_in(d, s.port, "moc.smolensk")
        v = Visit(d, s.port, "expert-coordinator")
        text = v.open("/municipalities/smolensk/expertise")
        check("Орлов Б.Б." in text and "Петрова А.А." in text and "написано (правка 1)" in text, f"the list: {text[:800]}")
        text = v.open(base + "/sh-1")
        check(not d.find_elements(By.CSS_SELECTOR, "main form textarea"), "no form for the coordinator")
        check("Управленческие решения" in text, f"the written text read-only: {text[:800]}")
        check_equal(Client(s).get("/api" + base + "/sh-1").status, 401, "anonymous")
    finally:
        d.quit()
    s.stop()


def test_expert_pages_are_valid_html():
    files = sorted(os.path.join(test_web.PAGES, f) for f in os.listdir(test_web.PAGES) if f.endswith(".html"))
    check(len(files) >= 6, f"the browser test kept {len(files)} pages; run it first")
    out = subprocess.run(["java", "-jar", VNU, "--format", "json", *files], capture_output=True, text=True, timeout=300)
    messages = json.loads(out.stderr)["messages"]
    problems = [f"{os.path.basename(m.get('url', ''))}:{m.get('lastLine', '')}: {m.get('type')} {m.get('message')}"
                for m in messages if m.get("type") != "info" or m.get("subType") == "warning"]
    check(not problems, "vnu: " + "\n".join(problems[:20]))
    check_equal(out.returncode, 0, "vnu exit code")


TESTS = [
    ("expert writes a conclusion and downloads it", test_expert_writes_a_conclusion_and_downloads_it),
    ("expert pages are valid HTML", test_expert_pages_are_valid_html),
]

if __name__ == "__main__":
    sys.exit(main(TESTS, sys.argv))
