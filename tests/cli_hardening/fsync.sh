#!/usr/bin/env bash
# Outputs reach the disk before they replace old files: under strace, every output file of a
# render is fdatasync'ed (or, for big batches, the file system syncfs'ed) before the first rename,
# and the folder is fsync'ed after the renames. Exit 77 (ctest: skipped) without strace.
# Usage: fsync.sh PPKO SOURCE_DIR
set -uo pipefail
ppko=$1 src=$2
command -v strace >/dev/null || { echo "skipped: strace is not installed"; exit 77; }
strace -f -qq -o /dev/null true 2>/dev/null || { echo "skipped: strace cannot trace here (ptrace not allowed)"; exit 77; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export PPKO_STATE_DIR=$scratch/state
strace -f -qq -e trace=fdatasync,fsync,syncfs,rename -o "$scratch/trace" "$ppko" render "$src/samples/demidovsky" -o "$scratch/out" -q
files=$(find "$scratch/out" -type f | wc -l)
syncs=$(grep -cE 'fdatasync\(' "$scratch/trace")
first_rename=$(grep -nE 'rename\(' "$scratch/trace" | head -1 | cut -d: -f1)
last_sync=$(grep -nE 'fdatasync\(' "$scratch/trace" | tail -1 | cut -d: -f1)
dir_sync=$(awk -v r="$first_rename" 'NR > r && /fsync\(/' "$scratch/trace" | wc -l)
problems=()
((syncs >= files)) || problems+=("$files files written, $syncs fdatasync calls")
[[ -n $first_rename && -n $last_sync ]] && ((last_sync < first_rename)) || problems+=("a rename came before the last fdatasync")
((dir_sync >= 1)) || problems+=("the output folder was not fsync'ed after the renames")
if ((${#problems[@]})); then
  printf 'FAIL %s\n' "${problems[@]}"
  cat "$scratch/trace" | head -40
  exit 1
fi
echo "ok   $files files: $syncs fdatasync before the first rename, $dir_sync fsync of the folder after"
