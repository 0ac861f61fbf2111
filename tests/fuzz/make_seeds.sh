#!/usr/bin/env bash
# Rebuilds the seed corpus (corpus/<target>/) from the project's own inputs: the sample data with
# their schemas, the built-in templates, expressions taken from templates and workflows, the
# workflow definitions and decision tables. The seeds are small and reviewed; inputs a fuzzer
# finds go to regressions/<target>/ (by hand, named after what they reproduce), never here.
#   bash tests/fuzz/make_seeds.sh
set -euo pipefail
cd "$(dirname "$0")"
src=../..
rm -rf corpus
mkdir -p corpus/{json_schema,template,expr,decision_table,workflow,xlsx_reader,server_request}

# json_schema: "<schema stem>\n<data>" for every sample data file (one per kind, the smallest).
declare -A seen=()
for f in $(ls -S -r "$src"/samples/*/*.json "$src"/tests/data/mini/*.json 2>/dev/null); do
  stem=$(basename "$f" .json)
  [[ -f $src/templates/schemas/$stem.schema.json ]] || continue
  [[ -n ${seen[$stem]:-} ]] && continue
  (( $(stat -c %s "$f") <= 16384 )) || continue
  seen[$stem]=1
  { printf '%s\n' "$stem"; cat "$f"; } > "corpus/json_schema/$stem"
done
# …and one schema of its own with the pattern language ("-" selects it).
printf -- '-\n{"type": "object", "fields": {"id": {"type": "string", "required": true, "pattern": "^[a-z][a-z0-9_-]{0,20}$"}, "n": {"type": "integer", "min": 1, "max": 9}, "d": {"type": "date"}, "t": {"type": "text"}}}\0{"id": "sh-1", "n": 3, "d": "01.03.2018", "t": "абзац"}' > corpus/json_schema/own-schema

# template: the built-in templates, each as written.
for f in "$src"/templates/*.tpl; do
  (( $(stat -c %s "$f") <= 16384 )) || continue
  cp "$f" "corpus/template/$(basename "$f" .tpl)"
done

# expr: the expressions of the built-in templates ({{ … }}, {% if/for/set … %}) and workflows.
{
  grep -oh '{{[^}]*}}' "$src"/templates/*.tpl | sed 's/^{{ *//; s/ *}}$//'
  grep -oh '{% *\(if\|elif\|set [a-z_]* =\) [^%]*%}' "$src"/templates/*.tpl | sed -E 's/^\{% *(if|elif|set [a-z_]* =) //; s/ *%\}$//'
  /usr/bin/python3 - "$src"/workflows/*.json <<'PY'
import json, sys
for path in sys.argv[1:]:
    d = json.load(open(path))
    for i in d.get("inputs", []): print(i["expr"])
    for t in d.get("transitions", []) + d.get("year_end", []): print(t["guard"])
    if "applies_to" in d: print(d["applies_to"])
PY
  printf '%s\n' '(1 + 2) * 3 - 4 / 2 % 3' '"а" ~ 1 ~ true' 'x in [20..39] and not y' '[1, [2, [3]]] | length' \
    'date_add_days("2019-05-31", 1)' 'days_between("2019-05-01", "2019-05-31")' 'count_at_least([31, 12, 45], 30)'
} | sort -u | head -80 > /tmp/ppko-fuzz-exprs.$$
n=0
while IFS= read -r e; do
  [[ -n $e ]] || continue
  n=$((n + 1))
  printf '%s' "$e" > "corpus/expr/$(printf '%03d' $n)"
done < /tmp/ppko-fuzz-exprs.$$
rm -f /tmp/ppko-fuzz-exprs.$$

# decision_table and workflow: the built-in definitions, and small tables for each hit policy
# with domains (the gap search) and every kind of cell.
for f in "$src"/workflows/*.json; do
  if grep -q '"rules"' "$f"; then cp "$f" corpus/decision_table/; else cp "$f" corpus/workflow/; fi
done
cat > corpus/decision_table/unique-grades.json <<'JSON'
{"id": "grades", "version": 1, "title": "t", "hit_policy": "unique",
 "inputs": [{"id": "score", "expr": "results.ege_math_fail", "domain": [0, 100]}],
 "outputs": [{"id": "grade", "values": ["2", "3-4", "5"]}],
 "rules": [{"id": "fail", "when": {"score": "< 40"}, "then": {"grade": "2"}},
           {"id": "pass", "when": {"score": "[40..80)"}, "then": {"grade": "3-4"}},
           {"id": "best", "when": {"score": ">= 80"}, "then": {"grade": "5"}}]}
JSON
cat > corpus/decision_table/first-two-inputs.json <<'JSON'
{"id": "t", "version": 1, "title": "t", "hit_policy": "first", "complete": true,
 "inputs": [{"id": "a", "expr": "count_at_least([results.ege_math_fail, results.ege_rus_fail], 30)", "domain": [0, 2]},
            {"id": "k", "expr": "school.kind"}, {"id": "n", "expr": "context.low_income", "domain": [0, 100]}],
 "outputs": [{"id": "o"}], "measures": [{"path": "results.ege_math_fail", "title": "m", "unit": "%", "threshold": 30}],
 "rules": [{"id": "x", "when": {"a": ">= 2", "k": "[\"СШ\", \"ОШ\"]", "n": "(10..20]"}, "then": {"o": "x"}, "priority": 2},
           {"id": "y", "when": {"a": "!= 1", "k": "\"СШ\""}, "then": {"o": "y"}},
           {"id": "z", "when": {"a": "-", "n": "[0..100]"}, "then": {"o": "z"}}]}
JSON
sed 's/"first"/"priority"/' corpus/decision_table/first-two-inputs.json > corpus/decision_table/priority.json
# xlsx_reader: spreadsheet fixtures (CSV in UTF-8 and Windows-1251, XLSX by LibreOffice and
# openpyxl), and the openpyxl one re-zipped without compression so that mutations reach the XML.
for f in results_utf8.csv results_cp1251.csv results_libreoffice.xlsx results_openpyxl.xlsx; do
  cp "$src/tests/data/sheets/$f" corpus/xlsx_reader/
done
/usr/bin/python3 - "$src/tests/data/sheets/results_openpyxl.xlsx" corpus/xlsx_reader/results_openpyxl_stored.xlsx <<'PY'
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as out:
    for info in src.infolist():
        # Every part kept (a valid package: validate-ooxml.sh passes), only stored uncompressed.
        out.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), src.read(info.filename))
PY
# server_request: "METHOD TARGET\nCookie\nBearer\nbody" — requests as the HTTP suite sends them.
seed() { printf '%s\n%s\n%s\n%s' "$2" "$3" "$4" "$5" > "corpus/server_request/$1"; }
seed login 'POST /api/login' '' '' '{"login": "coordinator", "password": "пароль-из-12-знаков"}'
seed whoami 'GET /api/whoami' 'ppko_session=0f1e2d3c4b5a69788796a5b4c3d2e1f0; theme=light' '' ''
seed token 'GET /api/region' '' 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhIiwianRpIjoiMSIsImV4cCI6MX0.c2lnbmF0dXJl' ''
seed programs 'GET /api/municipalities/smolensk/programs/sh-18?year=2020-2021&limit=50&offset=0' '' '' ''
seed patch-user 'PATCH /api/users/school.18@smolensk' '' '' '{"role": "school", "municipality": "smolensk", "school": "sh-18", "active": true, "version": 3}'
seed encoded 'GET /api/municipalities/%2e%2e%2Fetc/programs/a%20b?q=%D0%B0%25' '' '' ''
seed create-municipality 'POST /api/municipalities' '' '' '{"id": "lesosibirsk", "title": "г. Лесосибирск «\"<script>\"»"}'
echo "seeds: $(for t in corpus/*/; do printf '%s %s  ' "$(basename "$t")" "$(ls "$t" | wc -l)"; done)"
