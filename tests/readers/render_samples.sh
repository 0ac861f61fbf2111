#!/usr/bin/env bash
# Fixture for the independent-reader tests: renders every samples/*/ workspace and the hostile
# workspace (tests/data/hostile) with --text-plain into OUT_ROOT/<name>/, and records in
# OUT_ROOT/<name>/SOURCE the folder it came from (the checks read its JSON).
#   render_samples.sh PPKO SOURCE_DIR OUT_ROOT
set -euo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: render_samples.sh PPKO SOURCE_DIR OUT_ROOT" >&2
  exit 2
fi
ppko=$1
src=$(cd "$2" && pwd)
out=$3

rm -rf "$out"
mkdir -p "$out"
count=0
for ws in "$src"/samples/*/ "$src"/tests/data/hostile/ "$src"/tests/data/mini/; do
  ws=${ws%/}
  [[ -f $ws/workspace.json ]] || continue
  # Workspaces that only run workflows (smolensk, sasovo) declare no documents yet.
  grep -q '"documents": \[\]' "$ws/workspace.json" && continue
  name=$(basename "$ws")
  echo "render $name"
  rc=0
  "$ppko" render "$ws" -o "$out/$name" --text-plain --quiet || rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "FAIL: ppko render $ws exited with $rc" >&2
    exit 1
  fi
  shopt -s nullglob
  files=("$out/$name"/*.docx "$out/$name"/*.xlsx "$out/$name"/*/*.docx "$out/$name"/*/*.xlsx)
  shopt -u nullglob
  if [[ ${#files[@]} -eq 0 ]]; then
    echo "FAIL: ppko render $ws wrote no .docx or .xlsx" >&2
    exit 1
  fi
  printf '%s\n' "$ws" >"$out/$name/SOURCE"
  count=$((count + 1))
done
if [[ $count -lt 2 ]]; then
  echo "FAIL: expected at least one sample and the hostile workspace, rendered $count" >&2
  exit 1
fi
echo "rendered $count workspace(s) into $out"
