#!/usr/bin/python3
"""The Smolensk sample's data as the tables a municipality receives (values illustrative, the same
as samples/smolensk): for each academic year a results export shaped like the regional centre's
(РЦОИ): title rows, a merged header «ГИА» / «ВПР» over the procedures, numbers as text with a
decimal comma, schools by their full name, a totals row — written by openpyxl; a social-passport
summary for each year as CSV in Windows-1251 with «;» (schools by short name, shares with «%»);
and the school list (UTF-8 CSV). Regenerate with Debian's python3 (python3-openpyxl):
    /usr/bin/python3 samples/import/make_tables.py
"""
import csv
import json
import os

import openpyxl
from openpyxl.styles import Alignment, Font

here = os.path.dirname(os.path.abspath(__file__))
smolensk = os.path.join(here, "..", "smolensk")
schools = json.load(open(os.path.join(smolensk, "schools.json"), encoding="utf-8"))["schools"]
records = json.load(open(os.path.join(smolensk, "indicators.json"), encoding="utf-8"))["indicators"]
by_id = {s["id"]: s for s in schools}


def ru(v):
    return str(v).replace(".", ",") if not isinstance(v, str) else v


RESULTS = [("ege_rus_fail", "ЕГЭ по русскому языку: доля участников ниже минимального порога"),
           ("ege_math_fail", "ЕГЭ по математике: доля участников ниже минимального порога"),
           ("oge_rus_fail", "ОГЭ по русскому языку: доля участников ниже минимального порога"),
           ("oge_math_fail", "ОГЭ по математике: доля участников ниже минимального порога")]

periods = sorted({r["period"] for r in records})
for period in periods:
    rows = [r for r in records if r["period"] == period]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Результаты"
    ws.append([f"Результаты ГИА и ВПР общеобразовательных организаций города Смоленска, {period} учебный год"])
    ws.append(["Выгрузка РЦОИ (значения иллюстративные)"])
    ws.append([])
    ws.append(["№ п/п", "Наименование ОО", "ГИА", None, None, None, "ВПР"])
    ws.merge_cells("C4:F4")
    ws.append([None, None] + [t for _, t in RESULTS] + ["ВПР: доля отметок «2»"])
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    for c in ws[4] + ws[5]:
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, horizontal="center")
    for i, r in enumerate(rows, 1):
        ws.append([i, by_id[r["school"]]["name"]] + [ru(r["results"][k]) for k, _ in RESULTS] + [ru(r["results"]["vpr_fail"])])
    ws.append([None, "Итого по городу", None, None, None, None, None])
    ws.append([])
    ws.append(["Исполнитель: РЦОИ"])
    wb.save(os.path.join(here, f"rcoi-{period}.xlsx"))

    with open(os.path.join(here, f"social-passport-{period}.csv"), "w", encoding="cp1251", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow([f"Сводка социальных паспортов школ, {period} учебный год"])
        w.writerow([])
        w.writerow(["Школа", "Доля обучающихся из малообеспеченных семей", "Доля обучающихся с ОВЗ"])
        for r in rows:
            w.writerow([by_id[r["school"]]["short_name"]] + [ru(r["context"][k]) + "%" for k in ("low_income", "disabled")])
        w.writerow(["Всего", "", ""])

loc = {"urban": "городская", "rural": "сельская"}
with open(os.path.join(here, "schools.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, delimiter=";")
    w.writerow(["Код школы", "Полное наименование", "Наименование в родительном падеже", "Сокращённое наименование",
                "Вид", "Местность", "Число обучающихся", "Район"])
    for s in schools:
        w.writerow([s["id"], s["name"], s.get("name_genitive", ""), s["short_name"], s["kind"], loc[s["locality"]],
                    s.get("students", ""), s.get("district", "")])
