#!/usr/bin/env bash
# The expert conclusion prints what the expert wrote and keeps the blanks otherwise. The Smolensk
# sample with councils.json's experts and a conclusions.json of this folder (sh-1: three parts
# written, one with <script>, quotes and &; sh-3: assigned, nothing written) is rendered with
# `ppko render --text`; sh-1's and sh-3's texts equal the reviewed goldens of this folder, and
# every other school's text equals the Smolensk golden (no expert, no conclusion: unchanged).
# A conclusion of an expert the council did not assign is refused with its position.
# Usage: run.sh PPKO SOURCE_DIR [--update]
set -uo pipefail
ppko=$1 src=$2 update=${3:-}
here=$src/tests/expert_conclusion
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export PPKO_STATE_DIR=$scratch/state
failed=0
fail() { echo "FAIL $1"; failed=1; }
cp -r "$src/samples/smolensk" "$scratch/ws"
cp "$here/councils.json" "$here/conclusions.json" "$scratch/ws/"
"$ppko" render "$scratch/ws" -o "$scratch/out" --only expert --text -q || fail "ppko render"
dir=$scratch/out/ekspertnye-zaklyucheniya
for s in sh-1 sh-3; do
  [[ $update == --update ]] && cp "$dir/$s.txt" "$here/$s.txt"
  diff -u "$here/$s.txt" "$dir/$s.txt" || fail "$s.txt differs from its golden"
done
for t in "$src"/tests/data/golden/smolensk/ekspertnye-zaklyucheniya/*.txt; do
  s=$(basename "$t" .txt)
  [[ $s == sh-1 || $s == sh-3 || $s == sh-5 ]] && continue  # sh-5: assigned to another expert
  diff -u "$t" "$dir/$s.txt" || fail "$s.txt differs from the sample's golden"
done
grep -q 'Петрова А.А.' "$scratch/ws/conclusions.json" || fail "fixture"
# An expert the council did not assign to that school: refused, named by file and position.
sed 's/"expert": "Петрова А.А."/"expert": "Орлов Б.Б."/' "$here/conclusions.json" > "$scratch/ws/conclusions.json"
out=$("$ppko" check "$scratch/ws" 2>&1) && fail "an unassigned expert's conclusion passed the check"
grep -q 'conclusions.json:[0-9]*:[0-9]*: \$.conclusions\[0\].expert: эксперт «Орлов Б.Б.» не назначен на программу школы «sh-1»' <<< "$out" ||
  fail "message for an unassigned expert: $out"
[[ $failed == 0 ]] && echo "ok   expert conclusions: written text printed, blanks kept, unassigned refused"
exit $failed
