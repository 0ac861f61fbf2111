#!/usr/bin/env bash
# The must-fail set: every folder of tests/data/must_fail/ is a bad input for `ppko`.
#   args       — the command line (words; $OUT is a fresh output folder that must stay absent;
#                the default state folder is a fresh one too)
#   expected   — the exact standard error, word for word
#   exit_code  — the expected exit code
#   env        — optional: VAR=value lines set for the run (e.g. PPKO_SOFFICE for the PDF cases)
# Each case runs from its own folder so that file names in messages are stable.
# Usage: run.sh PPKO CASES_DIR [--update]   (--update rewrites expected/exit_code for review)
set -uo pipefail
ppko=$1 cases=$2 update=${3:-}
failed=0 passed=0
for dir in "$cases"/*/; do
  name=$(basename "$dir")
  scratch=$(mktemp -d)
  out="$scratch/out"
  export PPKO_STATE_DIR=$scratch/state  # never the user's own state
  read -r -a argv < "$dir/args"
  argv=("${argv[@]//\$OUT/$out}")
  envs=()
  [[ -f $dir/env ]] && mapfile -t envs < "$dir/env"
  stderr=$(cd "$dir" && env "${envs[@]}" "$ppko" "${argv[@]}" 2>&1 >/dev/null)
  code=$?
  stderr=${stderr//$scratch/\$TMP}
  if [[ $update == --update ]]; then
    printf '%s\n' "$stderr" > "$dir/expected"
    echo "$code" > "$dir/exit_code"
  fi
  problems=()
  [[ $code == $(cat "$dir/exit_code") ]] || problems+=("exit code $code, expected $(cat "$dir/exit_code")")
  [[ "$stderr"$'\n' == "$(cat "$dir/expected")"$'\n' ]] || problems+=("message differs:
$(diff <(printf '%s\n' "$stderr") "$dir/expected")")
  if [[ -e $out ]] && [[ -n $(ls -A "$out") ]]; then problems+=("files were written: $(ls "$out")"); fi
  leftovers=$(find "$dir" -name '*.ppko-tmp-*' -o -name out -newer "$dir/args" | head -3)
  [[ -z $leftovers ]] || problems+=("left behind: $leftovers")
  if ((${#problems[@]})); then
    echo "FAIL $name"; printf '  %s\n' "${problems[@]}"; failed=$((failed + 1))
  else
    echo "ok   $name (exit $code)"; passed=$((passed + 1))
  fi
  rm -rf "$scratch"
done
echo "$passed passed, $failed failed"
((failed == 0))
