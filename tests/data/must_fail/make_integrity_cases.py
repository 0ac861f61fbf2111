#!/usr/bin/python3
"""Writes the must-fail cases integrity_*: one small workspace with a workflow, each case
breaking one integrity rule of the data (issue 8: references, duplicates, values outside their
domain or vocabulary). Run it after changing the base; then `run.sh PPKO CASES --update` writes
each case's expected message, to be reviewed by eye before committing."""
import copy, json, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))

def school(i, kind="СОШ"):
    return {"id": f"sh-{i}", "name": f"муниципальное бюджетное общеобразовательное учреждение «Средняя школа № {i}»",
            "short_name": f"МБОУ «СШ № {i}»", "kind": kind, "locality": "urban", "students": 400 + i}

def results(low):
    v = [35.0, 41.0, 12.0, 31.0, 20.0] if low else [2.0, 3.0, 1.0, 2.5, 4.0]
    return dict(zip(["ege_rus_fail", "ege_math_fail", "oge_rus_fail", "oge_math_fail", "vpr_fail"], v))

BASE = {
    "workspace.json": {"workspace": "integrity", "title": "Проверка целостности данных", "workflow": "ppko",
                       "identification": "identification", "documents": []},
    "schools.json": {"schools": [school(1), school(2), school(9), school(10), school(11), school(12)]},
    "organisations.json": {"organisations": [{"id": "lpi", "name": "Лесосибирский педагогический институт – филиал СФУ",
                                              "short_name": "ЛПИ – филиал СФУ", "kind": "филиал вуза"}]},
    "indicators.json": {"indicators": [
        {"school": f"sh-{i}", "period": "2019-2020", "known_on": "2020-07-15", "results": results(i != 9),
         "context": {"low_income": 10.0, "disabled": 2.0}} for i in (1, 2, 9, 10, 11, 12)]},
    "facts.json": {"facts": [
        {"date": "2020-10-12", "school": "sh-1", "fact": "program_approved"},
        {"date": "2021-05-20", "school": "sh-1", "fact": "final_monitoring", "value": {"dynamics": "positive"}}]},
    "partners.json": {"capacity": 3, "partnerships": [
        {"year": "2020-2021", "date": "30.12.2020", "plan_deadline": "15.01.2021", "match": False,
         "pairs": [{"school": "sh-1", "partner": "sh-9"}, {"school": "sh-2", "partner": "lpi"}]}]},
}

def case(name, args, edit):
    files = copy.deepcopy(BASE)
    extra = edit(files) or {}
    d = os.path.join(HERE, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "workspace"))
    for fname, value in list(files.items()) + list(extra.items()):
        path = os.path.join(d, "workspace", fname)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
    with open(os.path.join(d, "args"), "w") as f:
        f.write(args + "\n")
    for n in ("expected", "exit_code"):
        p = os.path.join(d, n)
        if not os.path.exists(p):
            open(p, "w").close()

check = "check workspace"

def fact_school(f): f["facts.json"]["facts"][0]["school"] = "sh-19"
def indicator_school(f): f["indicators.json"]["indicators"][1]["school"] = "sh-3"
def unknown_partner(f): f["partners.json"]["partnerships"][0]["pairs"][1]["partner"] = "lpi-sfu"
def fact_name(f): f["facts.json"]["facts"][1]["fact"] = "final_monitorng"
def fact_value(f): f["facts.json"]["facts"][1]["value"]["dynamics"] = "positiv"
def fact_field(f): f["facts.json"]["facts"][1]["value"] = {"dinamics": "positive"}
def share(f): f["indicators.json"]["indicators"][0]["results"]["vpr_fail"] = 101
def percent_text(f): f["indicators.json"]["indicators"][0]["results"]["vpr_fail"] = "16%"
def indicator_name(f): f["indicators.json"]["indicators"][0]["results"]["oge_rus_fial"] = f["indicators.json"]["indicators"][0]["results"].pop("oge_rus_fail")
def duplicate_record(f): f["indicators.json"]["indicators"].append(copy.deepcopy(f["indicators.json"]["indicators"][0]))
def duplicate_school(f): f["schools.json"]["schools"].append(school(2, kind="ООШ"))
def duplicate_fact(f): f["facts.json"]["facts"].append(copy.deepcopy(f["facts.json"]["facts"][0]))
def capacity(f):
    f["partners.json"]["partnerships"][0]["pairs"] = [{"school": f"sh-{i}", "partner": "sh-9"} for i in (1, 2, 10, 11)]
def self_partner(f): f["partners.json"]["partnerships"][0]["pairs"][0]["partner"] = "sh-1"
def org_clash(f): f["organisations.json"]["organisations"][0]["id"] = "sh-9"
def council_ref(f):
    f["workspace.json"]["documents"] = [{"id": "decision", "template": "council_decision", "file": "reshenie", "formats": ["docx"],
                                         "council": "2020-12-21", "date": "council.date"}]
    return {"councils.json": {"councils": [{"title": "Совет", "subject": "О программах", "date": "22.12.2020"}]}}
def date_source(f):
    f["workspace.json"]["documents"] = [{"id": "report", "template": "annual_report", "file": "otchet", "formats": ["docx"],
                                         "date": "year.ends"}]
def guard_fact(f):
    wf = json.load(open(os.path.join(HERE, "..", "..", "..", "workflows", "ppko.json"), encoding="utf-8"))
    wf["transitions"][1]["guard"] = "exists(facts.final_monitorng)"
    return {"workflows/ppko.json": wf}
def methodology_key(f):
    wf = json.load(open(os.path.join(HERE, "..", "..", "..", "workflows", "ppko.json"), encoding="utf-8"))
    wf["transitions"][0]["guards"] = wf["transitions"][0].pop("guard")
    table = json.load(open(os.path.join(HERE, "..", "..", "..", "workflows", "identification.json"), encoding="utf-8"))
    table["hit_policy"] = "colect"
    return {"workflows/ppko.json": wf, "workflows/identification.json": table}
def expression_value(f):
    table = json.load(open(os.path.join(HERE, "..", "..", "..", "workflows", "identification.json"), encoding="utf-8"))
    table["inputs"][3]["expr"] = "context.disabled + results.vpr_fail"
    f["indicators.json"]["indicators"][2]["results"]["vpr_fail"] = "не проводилась"
    return {"workflows/identification.json": table}

case("integrity_unknown_school", check, fact_school)
case("integrity_unknown_school_indicators", check, indicator_school)
case("integrity_unknown_partner", check, unknown_partner)
case("integrity_unknown_fact", check, fact_name)
case("integrity_fact_value", check, fact_value)
case("integrity_fact_field", check, fact_field)
case("integrity_share_over_100", check, share)
case("integrity_percent_as_text", check, percent_text)
case("integrity_unknown_indicator", check, indicator_name)
case("integrity_duplicate_indicators", check, duplicate_record)
case("integrity_duplicate_school", check, duplicate_school)
case("integrity_duplicate_fact", check, duplicate_fact)
case("integrity_capacity", check, capacity)
case("integrity_self_partner", check, self_partner)
case("integrity_organisation_id", check, org_clash)
case("integrity_unknown_council", check, council_ref)
case("integrity_date_source", check, date_source)
case("integrity_guard_fact", check, guard_fact)
case("integrity_expression_value", check, expression_value)
case("integrity_methodology_schema", check, methodology_key)
