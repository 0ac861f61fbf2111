#!/usr/bin/env bash
# `ppko import` as a user runs it, on a scratch copy of samples/smolensk:
#   - the same table written as a Windows-1251 CSV with «;», by openpyxl and by LibreOffice
#     (soffice --convert-to xlsx, when installed) gives the same indicators.json;
#   - --dry-run writes nothing, a second import adds nothing, a differing value is an error
#     without --replace (file untouched) and a reported change with it; check passes after;
#   - `ppko init` makes a workspace that checks and renders, and takes imported schools and results;
#   - samples/import/ into `ppko init`'s workspace identifies the schools samples/smolensk does;
#   - the README's quick start runs as written;
#   - `ppko archive` / `ppko restore` (deterministic, byte for byte, never outside the folder);
#   - `ppko describe` and `ppko export builtin` (the copies check as the built-ins do);
#   - `ppko form` → filled by openpyxl → `ppko import` with no mapping (fill_form.py);
#   - the must-fail set tests/data/import/<case>/{args,expected,exit_code}: exact messages,
#     exit code, and the workspace left byte for byte as it was.
#   run.sh PPKO SOURCE_DIR PYTHON
set -uo pipefail
ppko=$1 src=$2 python=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export PPKO_STATE_DIR=$scratch/state
failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
ok() { echo "ok   $*"; }

tables=$scratch/tables
"$python" "$src/tests/import/make_tables.py" "$tables" "$src/samples/smolensk/schools.json" || { echo "make_tables.py failed"; exit 1; }

fresh() { rm -rf "$scratch/ws"; cp -r "$src/samples/smolensk" "$scratch/ws"; }

# 1. The CSV export.
fresh
out=$("$ppko" import "$scratch/ws" "$tables/results.csv" --as indicators --year 2021-2022 2>&1) || fail "import results.csv: $out"
expected_head="indicators.json: добавлено: 4 записи (12 значений)"
[[ $(head -1 <<<"$out") == "$expected_head" ]] && ok "csv import: $expected_head" || fail "csv import said: $out"
"$python" - "$scratch/ws/indicators.json" <<'PY' || fail "csv values"
import json, sys
recs = json.load(open(sys.argv[1]))["indicators"]
got = {r["school"]: r["results"] for r in recs if r["period"] == "2021-2022"}
want = {"lyceum-1": {"oge_rus_fail": 2.1, "oge_math_fail": 3, "vpr_fail": 2},
        "gym-1": {"oge_rus_fail": 1.5, "oge_math_fail": 2.5, "vpr_fail": 1.9},
        "sh-1": {"oge_rus_fail": 17.5, "oge_math_fail": 37, "vpr_fail": 27.5},
        "sh-2": {"oge_rus_fail": 6, "oge_math_fail": 8.5, "vpr_fail": 4}}
assert got == want, got
PY
cp "$scratch/ws/indicators.json" "$scratch/from_csv.json"
"$ppko" check "$scratch/ws" >/dev/null 2>&1 && ok "check passes after import" || fail "check after import: $("$ppko" check "$scratch/ws" 2>&1 | head -5)"
# Only the added records differ from the original file (the formatting is kept).
removed=$(diff "$src/samples/smolensk/indicators.json" "$scratch/ws/indicators.json" | grep -c '^<')
[[ $removed == 0 ]] && ok "existing lines of indicators.json kept" || fail "import rewrote $removed existing lines"

# 2. Again: nothing new.
out=$("$ppko" import "$scratch/ws" "$tables/results.csv" --as indicators --year 2021-2022 2>&1)
[[ $out == "indicators.json: нет новых значений (12 значений совпадают с записанными); файл не изменён" ]] && ok "second import adds nothing" || fail "second import: $out"

# 3. openpyxl and LibreOffice give the same JSON.
fresh
"$ppko" import "$scratch/ws" "$tables/results_openpyxl.xlsx" --as indicators --year 2021-2022 >/dev/null 2>&1
cmp -s "$scratch/ws/indicators.json" "$scratch/from_csv.json" && ok "openpyxl xlsx = csv" || fail "openpyxl xlsx differs: $(diff "$scratch/ws/indicators.json" "$scratch/from_csv.json" | head)"
if command -v soffice >/dev/null; then
  (cd "$tables" && soffice -env:UserInstallation=file://$scratch/lo --headless --infilter="CSV:59,34,76,1,,1049" \
     --convert-to xlsx --outdir "$scratch/lo_out" results_utf8.csv >/dev/null 2>&1)
  fresh
  "$ppko" import "$scratch/ws" "$scratch/lo_out/results_utf8.xlsx" --as indicators --year 2021-2022 >/dev/null 2>&1
  cmp -s "$scratch/ws/indicators.json" "$scratch/from_csv.json" && ok "LibreOffice xlsx = csv" || fail "LibreOffice xlsx differs: $(diff "$scratch/ws/indicators.json" "$scratch/from_csv.json" | head)"
fi

# 4. --dry-run, conflicts and --replace.
fresh
cp "$scratch/ws/indicators.json" "$scratch/before.json"
"$ppko" import "$scratch/ws" "$tables/results.csv" --as indicators --year 2021-2022 --dry-run >/dev/null 2>&1
cmp -s "$scratch/ws/indicators.json" "$scratch/before.json" && ok "--dry-run writes nothing" || fail "--dry-run changed the file"
"$ppko" import "$scratch/ws" "$tables/results.csv" --as indicators --year 2021-2022 >/dev/null 2>&1
sed 's/;17,5;/;18;/' "$tables/results.csv" > "$scratch/changed.csv"
cp "$scratch/ws/indicators.json" "$scratch/before.json"
out=$(cd "$scratch" && "$ppko" import ws changed.csv --as indicators --year 2021-2022 2>&1); code=$?
want='changed.csv: changed!C7: МБОУ «СШ № 1» (sh-1), 2021-2022: ОГЭ по русскому языку: доля участников ниже минимального порога — записано 17,5, а в таблице 18; чтобы заменить записанные значения, повторите с --replace [import.conflict]'
[[ $code == 1 && $out == "$want" ]] && ok "a changed value needs --replace" || fail "conflict: exit $code: $out"
cmp -s "$scratch/ws/indicators.json" "$scratch/before.json" || fail "a refused import changed the file"
out=$(cd "$scratch" && "$ppko" import ws changed.csv --as indicators --year 2021-2022 --replace 2>&1)
grep -q 'changed!C7: МБОУ «СШ № 1» (sh-1), 2021-2022: ОГЭ по русскому языку: доля участников ниже минимального порога — было 17,5, станет 18' <<<"$out" && [[ $(head -1 <<<"$out") == "indicators.json: изменено: 1 значение; совпадают с записанными: 11 значений" ]] \
  && ok "--replace reports the change" || fail "--replace: $out"

# 5. Facts.
out=$("$ppko" import "$scratch/ws" "$tables/facts.csv" --as facts 2>&1) || fail "facts import: $out"
grep -q '"date": "2021-10-15"' "$scratch/ws/facts.json" && ok "facts import: $(head -1 <<<"$out")" || fail "facts: $out"

# 6. A workspace from nothing: init → check → render; then the school list and the results
#    imported into it (the example school sh-1 differs from Smolensk's: --replace), check, render.
ws2=$scratch/new
out=$("$ppko" init "$ws2" --authority "Управление образования города Н" --year 2021-2022 2>&1) || fail "init: $out"
[[ -f $ws2/README.md && -f $ws2/schools.json ]] && ok "init: $(head -1 <<<"$out")" || fail "init wrote: $(ls "$ws2")"
"$ppko" check "$ws2" >/dev/null 2>&1 && ok "check passes on init's workspace" || fail "check on init: $("$ppko" check "$ws2" 2>&1 | head -5)"
"$ppko" render "$ws2" -o "$scratch/new_out" -q >/dev/null 2>&1 && [[ -f $scratch/new_out/prikaz.docx ]] \
  && ok "render succeeds on init's workspace" || fail "render on init: $("$ppko" render "$ws2" -o "$scratch/new_out2" 2>&1 | tail -3)"
out=$("$ppko" init "$ws2" 2>&1); code=$?
[[ $code == 2 && $out == "папка $ws2 уже есть и не пуста; ppko init создаёт новую папку данных; подробнее: ppko init --help [cli.usage]" ]] \
  && ok "init refuses a folder with files" || fail "init into a full folder: exit $code: $out"
out=$("$ppko" import "$ws2" "$tables/schools.csv" --as schools --replace 2>&1) || fail "schools into init: $out"
ok "schools into init's workspace: $(head -1 <<<"$out")"
out=$("$ppko" import "$ws2" "$tables/results.csv" --as indicators --year 2020-2021 --replace 2>&1) || fail "results into init: $out"
ok "results into init's workspace: $(head -1 <<<"$out")"
"$ppko" check "$ws2" >/dev/null 2>&1 && ok "check passes after both imports" || fail "check after imports: $("$ppko" check "$ws2" 2>&1 | head -5)"
"$ppko" render "$ws2" -o "$scratch/new_out3" -q >/dev/null 2>&1 && ok "render after imports" || fail "render after imports"

# 7. describe and export builtin.
out=$("$ppko" describe "$src/samples/smolensk" 2>&1)
grep -qx '  results.vpr_fail — ВПР: доля отметок «2» (%, 0–100)' <<<"$out" \
  && grep -q '^    value.dynamics — .*: positive (положительная), none (устойчивой динамики нет), negative (отрицательная)$' <<<"$out" \
  && grep -q '^  report (шаблон annual_report, .*): authority.json, centre.json, events.json, order.json$' <<<"$out" \
  && ok "describe lists measures, facts with values, files per document" || fail "describe: $out"
fresh
out=$("$ppko" export builtin "$scratch/ws" 2>&1) || fail "export builtin: $out"
[[ -f $scratch/ws/templates/order.tpl && -f $scratch/ws/templates/schemas/schools.schema.json && -f $scratch/ws/workflows/ppko.json ]] \
  && "$ppko" check "$scratch/ws" >/dev/null 2>&1 && ok "export builtin: $out; check passes with the copies" || fail "export builtin: $out"
out=$("$ppko" export builtin "$scratch/ws" order.tpl 2>&1); code=$?
[[ $code == 2 && $out == "в папке данных уже есть (не перезаписываются): templates/order.tpl; ничего не записано; подробнее: ppko export --help [cli.usage]" ]] \
  && ok "export never overwrites" || fail "export over a file: exit $code: $out"

# 8. samples/import/ (an РЦОИ-like export per year by openpyxl, social passports in Windows-1251,
#    the school list) imported into a workspace made by `ppko init`: the identification picks the
#    same schools, with the same categories, in every year as samples/smolensk.
ws3=$scratch/from_tables
"$ppko" init "$ws3" --year 2021-2022 >/dev/null 2>&1
"$ppko" import "$ws3" "$src/samples/import/schools.csv" --as schools --replace >/dev/null 2>&1 || fail "samples/import/schools.csv"
for t in "$src"/samples/import/rcoi-*.xlsx "$src"/samples/import/social-passport-*.csv; do
  period=$(basename "$t" | grep -o '[0-9]\{4\}-[0-9]\{4\}')
  out=$("$ppko" import "$ws3" "$t" --as indicators --year "$period" --replace 2>&1) || fail "$(basename "$t"): $out"
done
categories() {  # WORKSPACE YEAR → "school categories" lines, sorted
  PPKO_STATE_DIR=$scratch/state-$RANDOM "$ppko" status "$1" --year "$2" --date "${2:0:4}-10-01" --format json 2>/dev/null |
    "$python" -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(sorted(s["school"]+" "+",".join(s["categories"]) for s in d["schools"] if s["categories"])))'
}
same=0
for y in 2017-2018 2018-2019 2019-2020 2020-2021 2021-2022; do
  a=$(categories "$src/samples/smolensk" "$y") b=$(categories "$ws3" "$y")
  if [[ -n $a && $a == "$b" ]]; then same=$((same + 1)); else fail "identification $y differs: $(diff <(echo "$a") <(echo "$b") | head -5)"; fi
done
((same == 5)) && ok "samples/import → init's workspace: the same identification as samples/smolensk in 5 years"

# 9. archive / restore: the workspace and its state in one file, back byte for byte.
fresh
"$ppko" advance "$scratch/ws" --date 2021-06-01 >/dev/null 2>&1
"$ppko" archive "$scratch/ws" -o "$scratch/a.zip" >/dev/null 2>&1 && "$ppko" archive "$scratch/ws" -o "$scratch/b.zip" >/dev/null 2>&1
cmp -s "$scratch/a.zip" "$scratch/b.zip" && ok "archive: the same folder gives the same bytes" || fail "archive not deterministic"
out=$("$ppko" restore "$scratch/a.zip" "$scratch/restored" --state "$scratch/restored.sqlite" 2>&1) || fail "restore: $out"
diff -r "$scratch/ws" "$scratch/restored" >/dev/null && cmp -s "$PPKO_STATE_DIR/smolensk.sqlite" "$scratch/restored.sqlite" \
  && ok "restore: workspace and state back byte for byte" || fail "restore differs: $out"
out=$("$ppko" status "$scratch/restored" --state "$scratch/restored.sqlite" 2>&1 >/dev/null)
[[ $out == "Состояние программ: $scratch/restored.sqlite (продвинуто по 01.06.2021)" ]] && ok "status says which state file it reads" || fail "status: $out"
out=$("$ppko" restore "$scratch/a.zip" "$scratch/restored2" 2>&1); code=$?
[[ $code == 2 && ! -e $scratch/restored2/workspace.json ]] && ok "restore never overwrites a state file" || fail "restore over a state: exit $code: $out"
"$python" -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); z.writestr('ppko-archive.json','{\"workspace\": \"x\"}'); z.writestr('workspace/workspace.json','{}'); z.writestr('workspace/../../evil','x')" "$scratch/evil.zip"
out=$(cd "$scratch" && "$ppko" restore evil.zip r 2>&1); code=$?
[[ $code == 1 && $out == "evil.zip: в архиве файл «workspace/../../evil» вне workspace/ и state/ или с недопустимым именем; такой архив не восстанавливается [archive.invalid]" && ! -e $scratch/evil && ! -e $scratch/r/workspace.json ]] \
  && ok "restore refuses a name outside the folder" || fail "evil archive: exit $code: $out"

# 10. The README's quick start (between <!-- quickstart:begin/end -->), line by line as written,
#     from a folder where samples/ is the project's.
qs=$scratch/quickstart
mkdir -p "$qs" && ln -s "$src/samples" "$qs/samples"
lines=0
while IFS= read -r line; do
  [[ $line == "ppko "* ]] || continue
  lines=$((lines + 1))
  eval "set -- ${line#ppko }"
  out=$(cd "$qs" && "$ppko" "$@" 2>&1) || { fail "quick start: $line: $out"; break; }
done < <(sed -n '/<!-- quickstart:begin -->/,/<!-- quickstart:end -->/p' "$src/README.md")
((lines >= 5)) && [[ -f $qs/out/new/prikaz.docx ]] && ok "README quick start: $lines commands, documents rendered" || fail "quick start: $lines commands, no documents"

# 11. `ppko form` for each kind: written, valid OOXML (../shared/ooxml, when present), opened by
#     LibreOffice; filled by openpyxl in its unlocked cells; imported with no mapping; check passes
#     and the values are there (rows left empty add nothing).
fresh
forms=$scratch/forms
mkdir -p "$forms"
validator=$src/../shared/ooxml/validate-ooxml.sh
for kind in indicators facts schools; do
  extra=(); [[ $kind == indicators ]] && extra=(--year 2021-2022)
  out=$("$ppko" form "$scratch/ws" $kind -o "$forms/$kind.xlsx" "${extra[@]}" 2>&1) || { fail "form $kind: $out"; continue; }
  if [[ -f $validator ]]; then
    v=$(OOXML_QUIET=1 bash "$validator" "$forms/$kind.xlsx" 2>&1) && ok "form $kind: valid OOXML" || fail "form $kind: validate-ooxml: $v"
  fi
  if command -v soffice >/dev/null; then
    (cd "$forms" && soffice -env:UserInstallation=file://$scratch/lo --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir "$forms/csv" "$kind.xlsx" >/dev/null 2>&1)
    grep -Eq "^(Школа|Код школы)," "$forms/csv/$kind.csv" 2>/dev/null && ok "form $kind: LibreOffice opens it" || fail "form $kind: LibreOffice could not convert it"
  fi
  v=$("$python" "$src/tests/import/fill_form.py" fill $kind "$forms/$kind.xlsx" "$forms/$kind-filled.xlsx" "$forms/$kind.json" 2>&1) \
    && ok "form $kind: protected, validated, filled by openpyxl" || { fail "form $kind: $v"; continue; }
  replace=(); [[ $kind == schools ]] && replace=(--replace)  # the form changes a recorded value
  out=$("$ppko" import "$scratch/ws" "$forms/$kind-filled.xlsx" --as $kind "${replace[@]}" 2>&1) || { fail "import of the $kind form: $out"; continue; }
  v=$("$python" "$src/tests/import/fill_form.py" verify $kind "$scratch/ws" "$forms/$kind.json" 2>&1) \
    && ok "form $kind: imported with no mapping: $(head -1 <<<"$out")" || fail "form $kind values: $v"
done
out=$("$ppko" check "$scratch/ws" 2>&1) && ok "check passes after the forms" || fail "check after the forms: $(head -5 <<<"$out")"
out=$("$ppko" form "$scratch/ws" facts --school sh-1 -o "$forms/one.xlsx" 2>&1) \
  && "$python" -c "import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])['Данные']; assert ws.max_row == 2 and ws['A2'].value == 'sh-1', ws.max_row" "$forms/one.xlsx" \
  && ok "form --school: one row" || fail "form --school: $out"
out=$(cd "$scratch" && "$ppko" form ws facts --school nope -o "$forms/none.xlsx" 2>&1); code=$?
[[ $code == 2 && $out == *"--school «nope»: такой школы нет в schools.json"* && ! -e $forms/none.xlsx ]] \
  && ok "form --school of an unknown school: usage error, no file" || fail "form --school nope: exit $code: $out"

# 12. The must-fail set.
for dir in "$src"/tests/data/import/*/; do
  name=$(basename "$dir")
  fresh
  [[ -f $dir/prepare ]] && (cd "$scratch/ws" && bash "$dir/prepare")
  cp -r "$scratch/ws" "$scratch/ws_before"
  read -r -a argv < "$dir/args"
  argv=("${argv[@]//\$WS/$scratch/ws}")
  stderr=$(cd "$dir" && "$ppko" "${argv[@]}" 2>&1 >/dev/null); code=$?
  stderr=${stderr//$scratch/\$TMP}
  [[ ${UPDATE:-} == 1 ]] && { printf '%s\n' "$stderr" > "$dir/expected"; echo "$code" > "$dir/exit_code"; }
  problems=()
  [[ $code == $(cat "$dir/exit_code") ]] || problems+=("exit $code, expected $(cat "$dir/exit_code")")
  [[ "$stderr"$'\n' == "$(cat "$dir/expected")"$'\n' ]] || problems+=("message differs: $(diff <(printf '%s\n' "$stderr") "$dir/expected")")
  diff -r "$scratch/ws" "$scratch/ws_before" >/dev/null || problems+=("the workspace was changed")
  rm -rf "$scratch/ws_before"
  if ((${#problems[@]})); then fail "$name"; printf '  %s\n' "${problems[@]}"; else ok "must fail: $name (exit $code)"; fi
done
((failed == 0)) && echo "all passed" || echo "$failed failed"
((failed == 0))
