#!/usr/bin/env bash
# The command attacked and misused as the hardening issue (13) found it, in scenarios a single
# must-fail case cannot express (several commands, files planted beforehand, checks afterwards):
#  1. a symlink planted at the old predictable temporary name is not followed;
#  2. temporary files of a run killed with SIGKILL are removed by the next run into the folder;
#  3. --only twice builds the document once; a failed run replaces nothing;
#  4. progress lines on parallel jobs: each number 1…N exactly once;
#  5. wording: counts agree with their nouns (no «файл(ов)», «84 событий»);
#  6. reading commands never create a state file; --dry-run is only advance's; no state is
#     no crash (status, explain, history, summary --date);
#  7. state files: not inside the workspace (also through a dangling symlink), not a device
#     (no /dev/null-journal), render --state on an empty file leaves it empty;
#  8. a state edited by hand is reported (store.damaged), not an internal error;
#  9. -o inside the workspace is refused and leaves no manifest there.
# Usage: run.sh PPKO SOURCE_DIR
set -uo pipefail
ppko=$1 src=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export PPKO_STATE_DIR=$scratch/default-state  # never the user's own state
failed=0 passed=0
check() {
  if [[ -z $2 ]]; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; echo "$2" | head -20; failed=$((failed + 1)); fi
}
demidovsky=$src/samples/demidovsky
smolensk=$src/samples/smolensk

# 1. A symlink at <file>.ppko-tmp-<pid> (the pid is known: exec keeps it) is not written through.
out=$scratch/links
mkdir -p "$out"
echo intact > "$scratch/victim"
bash -c 'ln -s "$1" "$2/prilozhenie-4-sostav-centra.xlsx.ppko-tmp-$$"; exec "$3" render "$4" -o "$2" -q' _ \
  "$scratch/victim" "$out" "$ppko" "$demidovsky"
code=$?
check "a planted symlink is not followed: render succeeds" "$([[ $code == 0 ]] || echo "exit $code")"
check "a planted symlink is not followed: the victim is intact" "$([[ $(cat "$scratch/victim") == intact ]] || echo "victim overwritten")"
check "a planted symlink is not followed: the output is a regular file" \
  "$([[ -f $out/prilozhenie-4-sostav-centra.xlsx && ! -L $out/prilozhenie-4-sostav-centra.xlsx ]] || ls -l "$out")"

# 2. Leftovers of a killed run go; those of a live process stay.
dead=$(bash -c 'echo $$')
touch "$out/prikaz.docx.ppko-tmp-$dead" "$out/prikaz.docx.ppko-tmp-$dead-0123456789abcdef" "$out/x.docx.ppko-tmp-$$-00000000000000aa"
"$ppko" render "$demidovsky" -o "$out" -q
check "temporary files of a killed run are removed by the next run" \
  "$(ls "$out" | grep "ppko-tmp-$dead")"
check "temporary files of a live process are kept" "$([[ -e $out/x.docx.ppko-tmp-$$-00000000000000aa ]] || echo removed)"
rm -f "$out/x.docx.ppko-tmp-$$-00000000000000aa"

# 3. --only twice: one build, one file, a manifest; nothing left behind.
msg=$("$ppko" render "$demidovsky" -o "$scratch/only" --only roadmap --only roadmap 2>&1); code=$?
check "--only named twice renders once (exit 0)" "$([[ $code == 0 ]] || echo "exit $code: $msg")"
check "--only named twice: each file once in the manifest" \
  "$(/usr/bin/python3 -c 'import json,sys,collections; c=collections.Counter(f["path"] for f in json.load(open(sys.argv[1]))["files"]); print(" ".join(p for p,n in c.items() if n>1))' "$scratch/only/manifest.json")"

# 4. Progress lines with two jobs: every number once, the last one N/N.
"$ppko" render "$smolensk" -o "$scratch/progress" -j 2 2>"$scratch/progress.err" >/dev/null
total=$(grep -cE '^[0-9]+/[0-9]+ ' "$scratch/progress.err")
n=$(grep -oE '^[0-9]+/[0-9]+' "$scratch/progress.err" | head -1 | cut -d/ -f2)
numbers=$(grep -oE '^[0-9]+/' "$scratch/progress.err" | tr -d / | sort -n | uniq -d)
check "progress: one line per document ($total of $n)" "$([[ -n $n && $total == "$n" ]] || cat "$scratch/progress.err" | head -5)"
check "progress: no number twice" "$numbers"
check "progress: the last document is $n/$n" "$(grep -q "^$n/$n " "$scratch/progress.err" || echo "no $n/$n line")"

# 5. Wording.
check "render says «Готово: N файлов» in agreement" \
  "$(grep -E '^Готово: [0-9]+ (файл|файла|файлов) в ' "$scratch/progress.err" >/dev/null || grep Готово "$scratch/progress.err")"
dry=$("$ppko" advance "$smolensk" --date 2021-09-01 --dry-run 2>&1 >/dev/null)
check "advance --dry-run agrees numbers and nouns" \
  "$(/usr/bin/python3 - "$dry" <<'PY'
import re, sys
def form(n, one, few, many):
    n %= 100
    if 11 <= n <= 14: return many
    return one if n % 10 == 1 else few if 2 <= n % 10 <= 4 else many
m = re.search(r"Пробный запуск: (\d+) (\S+), (\d+) (\S+) ", sys.argv[1])
if not m: print(sys.argv[1]); sys.exit()
e, ew, p, pw = int(m[1]), m[2].rstrip(","), int(m[3]), m[4]
if ew != form(e, "событие", "события", "событий") or pw != form(p, "программа", "программы", "программ"): print(sys.argv[1])
PY
)"
check "no «(ов)» or «(а)» in any message" "$(cat "$scratch/progress.err" <(echo "$dry") <("$ppko" check "$smolensk" 2>&1) | grep -E '\((ов|а)\)|учебн\.')"

# 6. Reading commands create nothing; --dry-run only for advance; no state is no crash.
state=$scratch/none.sqlite
for cmd in "status $smolensk" "summary $smolensk --date 2020-06-01" "explain $smolensk sh-15" "history $smolensk sh-15"; do
  # shellcheck disable=SC2086
  msg=$("$ppko" $cmd --state "$state" 2>&1); code=$?
  check "ppko ${cmd%% *} without a state file: exit 0, no crash" "$([[ $code == 0 ]] || echo "exit $code: $msg")"
  check "ppko ${cmd%% *} creates no state file" "$([[ -e $state || -e $state-journal ]] && echo created)"
done
for cmd in "status $smolensk" "summary $smolensk" "explain $smolensk sh-15" "history $smolensk sh-15" "check $smolensk" "graph ppko"; do
  # shellcheck disable=SC2086
  msg=$("$ppko" $cmd --dry-run 2>&1); code=$?
  check "ppko ${cmd%% *} --dry-run is a usage error" "$([[ $code == 2 && $msg == *"[cli.usage]"* ]] || echo "exit $code: $msg")"
done
check "the default state folder is not created by reading commands" "$([[ -e $PPKO_STATE_DIR ]] && echo created)"

# 7. State files in the wrong places.
ws=$scratch/ws
cp -r "$smolensk" "$ws"
ln -s "$ws/new.sqlite" "$scratch/link.sqlite"  # dangling: the file would be created in the workspace
msg=$("$ppko" advance "$ws" --date 2019-09-01 --state "$scratch/link.sqlite" 2>&1); code=$?
check "a dangling symlink into the workspace is refused as state" "$([[ $code == 2 && $msg == *"внутри папки данных"* ]] || echo "exit $code: $msg")"
check "…and nothing is created in the workspace" "$(ls "$ws" | grep sqlite)"
msg=$("$ppko" status "$smolensk" --state /dev/null 2>&1); code=$?
check "--state /dev/null is refused (exit 3)" "$([[ $code == 3 ]] || echo "exit $code: $msg")"
check "--state /dev/null leaves no /dev/null-journal" "$([[ -e /dev/null-journal ]] && echo exists)"
: > "$ws/empty.sqlite"
msg=$("$ppko" render "$ws" -o "$scratch/r1" --state "$ws/empty.sqlite" -q 2>&1); code=$?
check "render --state inside the workspace is refused" "$([[ $code == 2 ]] || echo "exit $code: $msg")"
check "…and the empty file stays empty" "$([[ -s $ws/empty.sqlite ]] && echo "written")"
: > "$scratch/empty.sqlite"
"$ppko" render "$smolensk" -o "$scratch/r2" --state "$scratch/empty.sqlite" -q
check "render --state on an empty file outside reads no state and leaves it empty" "$([[ -s $scratch/empty.sqlite ]] && echo written)"

# 8. A state edited by hand.
"$ppko" advance "$smolensk" --date 2019-09-01 --state "$scratch/edit.sqlite" >/dev/null 2>&1
/usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE programs SET academic_year = \"xyz\""); c.commit()' "$scratch/edit.sqlite"
msg=$("$ppko" status "$smolensk" --state "$scratch/edit.sqlite" 2>&1); code=$?
check "a hand-edited academic year is store.damaged (exit 3), not an internal error" \
  "$([[ $code == 3 && $msg == *"[store.damaged]"* ]] || echo "exit $code: $msg")"
/usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE programs SET academic_year = \"2019-2020\""); c.execute("UPDATE meta SET value = \"9999-99-99\" WHERE key = \"advanced_through\""); c.commit()' "$scratch/edit.sqlite"
msg=$("$ppko" summary "$smolensk" --state "$scratch/edit.sqlite" 2>&1); code=$?
check "a hand-edited date of the last advance is store.damaged" "$([[ $code == 3 && $msg == *"[store.damaged]"* ]] || echo "exit $code: $msg")"

# 9. -o inside the workspace.
msg=$("$ppko" render "$ws" -o "$ws" -q 2>&1); code=$?
check "-o the workspace itself is refused (exit 2)" "$([[ $code == 2 ]] || echo "exit $code: $msg")"
check "…and no manifest.json is left there (check still passes)" "$([[ -e $ws/manifest.json ]] && echo left; "$ppko" check "$ws" >/dev/null 2>&1 || echo "check fails")"

echo "$passed passed, $failed failed"
((failed == 0))
