#!/usr/bin/env bash
# Golden tests. For every workspace (samples/* and tests/data/mini):
#  1. the text of each rendered document (ppko render --text: paragraph by paragraph, table by
#     table, list numbers as Word shows them) equals tests/data/golden/<workspace>/<file>.txt;
#  2. rendering twice, on 3 threads and on 1, gives byte-identical DOCX, XLSX and manifest files
#     (output is deterministic and does not depend on the number of threads);
#     manifest.json lists exactly the files written, each with its true size and SHA-256;
#  3. for tests/data/mini, every part of each DOCX and XLSX package equals the reviewed copy in
#     tests/data/golden/mini/parts/<file>.d/ byte for byte. Nothing is masked: ppko writes no
#     timestamps (DOCX docProps carry no dates; the XLSX creation date is fixed at
#     2000-01-01T00:00:00Z; zip entries have the fixed DOS time 1980-01-01 00:00).
# Usage: run.sh PPKO SOURCE_DIR [--update]   (--update rewrites the goldens for review)
set -uo pipefail
shopt -s nullglob
ppko=$1 src=$2 update=${3:-}
golden=$src/tests/data/golden
failed=0 passed=0
check() {  # name, condition-output
  if [[ -z $2 ]]; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; echo "$2" | head -40; failed=$((failed + 1)); fi
}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export PPKO_STATE_DIR=$scratch/state  # documents never depend on a developer's own state
for ws in "$src"/samples/*/ "$src/tests/data/mini/"; do
  [[ -f $ws/workspace.json ]] || continue  # samples/import: tables, not a workspace
  name=$(basename "$ws")
  "$ppko" render "$ws" -o "$scratch/$name/a" --text -q --jobs 3 || { check "$name renders" "ppko failed"; continue; }
  "$ppko" render "$ws" -o "$scratch/$name/b" --text -q --jobs 1
  for f in "$scratch/$name/a"/*.docx "$scratch/$name/a"/*.xlsx "$scratch/$name/a"/*/*.docx "$scratch/$name/a"/manifest.json; do
    rel=${f#"$scratch/$name/a/"}
    check "$name/$rel is deterministic" "$(cmp "$f" "$scratch/$name/b/$rel" 2>&1)"
  done
  # The manifest lists every file written, with its true size and SHA-256 (checked by coreutils).
  listed=$(/usr/bin/python3 -c 'import json,sys; [print(f["sha256"], f["bytes"], f["path"]) for f in json.load(open(sys.argv[1]))["files"]]' "$scratch/$name/a/manifest.json")
  manifest_problems=$(cd "$scratch/$name/a" && while read -r sum size path; do
      [[ -n $path ]] || continue
      [[ $(sha256sum "$path" | cut -d' ' -f1) == "$sum" ]] || echo "$path: SHA-256 differs"
      [[ $(stat -c %s "$path") == "$size" ]] || echo "$path: size differs"
    done <<< "$listed"
    diff <(cut -d' ' -f3 <<< "$listed" | grep -v '^$' | sort) <(find . -type f ! -name manifest.json -printf '%P\n' | sort))
  check "$name/manifest.json lists every file with its size and SHA-256" "$manifest_problems"
  mkdir -p "$golden/$name"
  for t in "$scratch/$name/a"/*.txt "$scratch/$name/a"/*/*.txt; do
    rel=${t#"$scratch/$name/a/"}
    g=$golden/$name/$rel
    mkdir -p "$(dirname "$g")"
    [[ $update == --update ]] && cp "$t" "$g"
    check "$name/$rel matches golden text" "$(diff -u "$g" "$t" 2>&1)"
  done
done
# No rendered text of any sample speaks the engine's internal language (ids, codes, file names,
# command lines, «→»).
check "no internal identifier, code, file name, command or «→» in any sample's documents" \
  "$(/usr/bin/python3 "$src/tests/golden/scan_internals.py" "$src" "$scratch")"
# Package parts of the mini workspace.
mini=$scratch/mini/a
for f in "$mini"/*.docx "$mini"/*.xlsx; do
  parts=$golden/mini/parts/$(basename "$f").d
  got=$scratch/parts/$(basename "$f").d
  mkdir -p "$got" && (cd "$got" && unzip -q "$f")
  if [[ $update == --update ]]; then rm -rf "$parts"; mkdir -p "$parts"; cp -r "$got"/. "$parts"/; fi
  check "mini/$(basename "$f") parts match golden parts" "$(diff -r "$parts" "$got" 2>&1)"
done
echo "$passed passed, $failed failed"
((failed == 0))
