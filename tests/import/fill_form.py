"""`ppko form` as a user fills it, with openpyxl (tests/import/run.sh):
  fill_form.py fill KIND FORM.xlsx FILLED.xlsx EXPECTED.json
      checks the form (sheets «Данные» and «Инструкция», the sheet protected, the header and the
      school columns locked, the other data cells unlocked, a validation on every unlocked column
      with a rule), enters test data in unlocked cells only and writes what the import must give;
  fill_form.py verify KIND WORKSPACE EXPECTED.json
      checks that the workspace's data file holds those values."""
import datetime
import json
import sys

def leaves(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from leaves(v)
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield float(obj)

def fill(kind, form, filled, expected_file):
    import openpyxl
    wb = openpyxl.load_workbook(form)
    assert wb.sheetnames == ["Данные", "Инструкция"], wb.sheetnames
    ws, help_ws = wb["Данные"], wb["Инструкция"]
    assert ws.protection.sheet, "the sheet is not protected"
    assert ws.protection.password is None, "the protection has a password"
    titles = [c.value for c in ws[1]]
    assert titles[0] in ("Школа", "Код школы"), titles
    assert all(c.protection.locked for c in ws[1]), "the header is not locked"
    rules = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert rng.min_col == rng.max_col and rng.min_row == 2 and rng.max_row == ws.max_row, (str(rng), ws.max_row)
            rules[rng.min_col] = dv
    assert rules, "no data validation"
    locked_titles = {"Школа", "Наименование школы (справочно)", "Учебный год", "Код школы"}
    for row in ws.iter_rows(min_row=2):
        for c in row:
            want_locked = titles[c.column - 1] in locked_titles
            assert c.protection.locked == want_locked, (c.coordinate, titles[c.column - 1], c.protection.locked)
    # The allowed values of a list column: the «Инструкция» range its validation names.
    def allowed(col):
        ref = rules[col].formula1.split("!")[1].replace("$", "")
        return [(r[0].value, r[1].value or r[0].value) for r in help_ws[ref.split(":")[0]:ref.split(":")[1].replace("A", "B")]]

    expected = {}
    if kind == "indicators":
        for r in (2, 3):
            school = str(ws.cell(r, 1).value)
            values = []
            for col, dv in rules.items():
                if dv.type == "decimal":
                    lo, hi = float(dv.formula1), float(dv.formula2)
                    v = round(lo + (hi - lo) * (0.05 * r + 0.01 * col), 1)
                    ws.cell(r, col).value = v
                    values.append(v)
                elif dv.type == "date":
                    ws.cell(r, col).value = datetime.datetime(2022, 6, 30)
            assert values, "no measure columns"
            expected[school] = sorted(values)
    elif kind == "facts":
        fact_col = titles.index("Факт") + 1
        date_col = titles.index("Дата") + 1
        assert rules[fact_col].type == "list" and rules[date_col].type == "date"
        title, value = allowed(fact_col)[0]
        for r in (2, 3):
            ws.cell(r, date_col).value = datetime.datetime(2021, 10, 1)
            ws.cell(r, fact_col).value = title
            ws.cell(r, titles.index("Пояснение") + 1).value = "Заполнено в бланке"
            expected[str(ws.cell(r, 1).value)] = value
    else:
        col = titles.index("Число обучающихся") + 1
        assert rules[col].type == "whole", rules[col].type
        kind_col = titles.index("Вид") + 1
        assert rules[kind_col].type == "list" and len(allowed(kind_col)) > 3
        ws.cell(2, col).value = int(ws.cell(2, col).value) + 1
        expected[str(ws.cell(2, 1).value)] = ws.cell(2, col).value
    wb.save(filled)
    json.dump(expected, open(expected_file, "w"), ensure_ascii=False)

def verify(kind, wsdir, expected_file):
    expected = json.load(open(expected_file))
    if kind == "indicators":
        recs = json.load(open(wsdir + "/indicators.json"))["indicators"]
        got = {r["school"]: sorted(leaves({k: v for k, v in r.items() if k not in ("school", "period", "known_on", "source")})) for r in recs if r["period"] == "2021-2022"}
        for school, values in expected.items():
            assert got.get(school) == values, (school, got.get(school), values)
            rec = [r for r in recs if r["period"] == "2021-2022" and r["school"] == school][0]
            assert rec.get("known_on") == "2022-06-30", rec
        assert set(got) == set(expected), ("rows without data made records", set(got) - set(expected))
    elif kind == "facts":
        facts = json.load(open(wsdir + "/facts.json"))["facts"]
        for school, fact in expected.items():
            assert any(f["school"] == school and f["date"] == "2021-10-01" and f["fact"] == fact and f.get("note") == "Заполнено в бланке" for f in facts), (school, fact)
    else:
        schools = {s["id"]: s for s in json.load(open(wsdir + "/schools.json"))["schools"]}
        for school, students in expected.items():
            assert schools[school]["students"] == students, schools[school]

if __name__ == "__main__":
    mode, kind = sys.argv[1], sys.argv[2]
    (fill if mode == "fill" else verify)(kind, *sys.argv[3:])
