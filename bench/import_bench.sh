#!/usr/bin/env bash
# `ppko import` of a 40,000-row results table (the country's schools): a copy of samples/smolensk
# with 40,000 more schools, and a CSV and an XLSX (openpyxl) of their indicators with schools named
# by short name (РЦОИ-like: title rows, numbers with a decimal comma, a totals row). Prints the wall
# time and peak RSS (/usr/bin/time) of the whole command: loading the workspace, reading the table,
# matching, merging, validating and writing indicators.json. Target: < 2 s, < 300 MB.
#   bench/import_bench.sh PPKO [ROWS]      (Debian's /usr/bin/python3 with python3-openpyxl)
set -euo pipefail
ppko=$(realpath "$1") rows=${2:-40000}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap '[[ -n ${KEEP:-} ]] || rm -rf "$tmp"' EXIT
export PPKO_STATE_DIR=$tmp/state
cp -r "$src/samples/smolensk" "$tmp/ws"
/usr/bin/python3 - "$tmp" "$rows" <<'PY'
import csv, json, sys, random
tmp, n = sys.argv[1], int(sys.argv[2])
random.seed(1)
path = tmp + "/ws/schools.json"
doc = json.load(open(path))
rows = []
for i in range(n):
    sid = f"bench-{i}"
    short = f"МБОУ «СОШ № {i}» района {i % 97}"
    doc["schools"].append({"id": sid, "name": f"муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № {i}» района {i % 97}",
                           "short_name": short, "kind": "СОШ", "locality": "rural" if i % 3 else "urban", "students": 100 + i % 900})
    rows.append([str(i + 1), short] + [f"{random.uniform(0, 60):.1f}".replace(".", ",") for _ in range(5)])
json.dump(doc, open(path, "w"), ensure_ascii=False, indent=2)
head = ["№ п/п", "Наименование ОО", "ЕГЭ по русскому языку: доля участников ниже минимального порога",
        "ЕГЭ по математике: доля участников ниже минимального порога", "ОГЭ по русскому языку: доля участников ниже минимального порога",
        "ОГЭ по математике: доля участников ниже минимального порога", "ВПР: доля отметок «2»"]
with open(tmp + "/results.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, delimiter=";")
    w.writerow(["Результаты ГИА и ВПР по стране"]); w.writerow([]); w.writerow(head); w.writerows(rows); w.writerow(["", "Итого"])
import openpyxl
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("Результаты")
ws.append(["Результаты ГИА и ВПР по стране"]); ws.append([]); ws.append(head)
for r in rows: ws.append(r)
ws.append(["", "Итого"])
wb.save(tmp + "/results.xlsx")
PY
for f in results.csv results.xlsx; do
  rm -rf "$tmp/run" && cp -r "$tmp/ws" "$tmp/run"
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$ppko" import "$tmp/run" "$tmp/$f" --as indicators --year 2021-2022 >"$tmp/out" 2>"$tmp/err" \
    || { cat "$tmp/err" | head; exit 1; }
  read -r wall user sys rss < "$tmp/time"
  printf "%-13s %s rows: wall %s s, CPU %s s, peak RSS %s MB; %s\n" "$f" "$rows" "$wall" "$(echo "$user + $sys" | bc)"  "$((rss / 1024))" "$(head -1 "$tmp/out")"
done
