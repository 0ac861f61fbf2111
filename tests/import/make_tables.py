#!/usr/bin/python3
"""The tables of the import test, written the ways users' files come: a РЦОИ-like CSV (title rows,
a merged header, numbers as text with «,» and «%», a totals row), the same data by openpyxl (with
a merged header cell), and a form-like CSV of facts. Values for the Smolensk sample's schools,
for 2021-2022 (illustrative).
And a school list in the columns `ppko form`/`ppko import --as schools` know, from the sample.
   make_tables.py OUT_DIR [SCHOOLS_JSON]
"""
import csv, os, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

# (school as the export names it, ОГЭ рус, ОГЭ мат, ВПР)
ROWS = [
    ("lyceum-1", "2,1", "3,0", "2%"),
    ("муниципальное бюджетное общеобразовательное учреждение «Гимназия № 1 имени Н.М. Пржевальского» города Смоленска", "1,5", "2,5", "1,9"),
    ("МБОУ «СШ №1»", "17,5", "37", "27,5%"),
    ("МБОУ СШ № 2", "6", "8,5", "4"),
]
TITLE = ["Результаты ГИА и ВПР, 2021-2022 учебный год", "", "", "", ""]
HEAD1 = ["№ п/п", "Наименование ОО", "ОГЭ", "", "ВПР"]
HEAD2 = ["", "", "ОГЭ по русскому языку: доля участников ниже минимального порога",
         "ОГЭ по математике: доля участников ниже минимального порога", "ВПР: доля отметок «2»"]


def rows():
    return [[str(i + 1), *r] for i, r in enumerate(ROWS)]


with open(os.path.join(out, "results.csv"), "w", encoding="cp1251", newline="") as f:
    w = csv.writer(f, delimiter=";")
    w.writerow(TITLE)
    w.writerow([""] * 5)
    w.writerow(HEAD1)
    w.writerow(HEAD2)
    w.writerows(rows())
    w.writerow(["", "Итого", "", "", ""])

# The same in UTF-8, for LibreOffice to convert (its CSV filter is told the encoding: 76).
with open(os.path.join(out, "results.csv"), encoding="cp1251") as f, \
        open(os.path.join(out, "results_utf8.csv"), "w", encoding="utf-8") as g:
    g.write(f.read())

import openpyxl  # noqa: E402

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Результаты"
ws.append(TITLE)
ws.append([None] * 5)
ws.append(HEAD1)
ws.merge_cells("C3:D3")
ws.append(HEAD2)
for r in rows():
    ws.append(r)
ws.append([None, "Итого", None, None, None])
wb.save(os.path.join(out, "results_openpyxl.xlsx"))

# Facts: the columns ppko form writes.
with open(os.path.join(out, "facts.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Школа", "Дата", "Факт", "Пояснение"])
    w.writerow(["sh-1", "15.10.2021", "program_approved", "Приказ по школе"])

# The school list (for a workspace made by `ppko init`).
if len(sys.argv) > 2:
    import json
    schools = json.load(open(sys.argv[2], encoding="utf-8"))["schools"]
    loc = {"urban": "городская", "rural": "сельская"}
    with open(os.path.join(out, "schools.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Код школы", "Полное наименование", "Сокращённое наименование", "Вид", "Местность", "Число обучающихся"])
        for s in schools:
            w.writerow([s["id"], s["name"], s["short_name"], s["kind"], loc[s["locality"]], s.get("students", "")])
