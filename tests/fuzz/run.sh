#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer + ASan + UBSan, Debian's libclang-rt-14-dev) and
# runs each for a given time or number of runs, one after another.
#   bash tests/fuzz/run.sh [--build DIR] [--seconds N | --runs N [--seed S]] [--targets a,b,…] [--work DIR]
#     --build    build folder (default build/fuzz)
#     --seconds  time per target (default 60): exploration, a different path through the inputs
#                on every run
#     --runs     a fixed number of executions per target with a fixed random seed (--seed,
#                default 1): the same inputs on every run of the same code, so a finding is
#                reproducible and a gate (CI) does not pass or fail by chance. --seconds then
#                only caps the time (default 600).
#     --targets  which targets (default: every tests/fuzz/<name>.cpp that CMakeLists.txt lists)
#     --work     where each run keeps its corpus and findings (default <build>/work/<target>/)
# Each target starts from a copy of corpus/<target>/ and regressions/<target>/ (the repository's
# files are never changed), with dict/<target>.dict. A finding (crash-*, leak-*, timeout-*,
# oom-*) is left in the work folder and printed; the script then exits 1. A slow-unit-* (one input
# over 10 s, which depends on the machine's load) is printed but does not fail the run. Prints per
# target: executions per second and coverage (libFuzzer's cov: edges, ft: features).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
build=build/fuzz seconds="" runs="" seed=1 targets="" work=""
while (($#)); do
  case $1 in
    --build) build=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "usage: run.sh [--build DIR] [--seconds N | --runs N [--seed S]] [--targets a,b] [--work DIR]" >&2; exit 2 ;;
  esac
done
if [[ -n $runs ]]; then
  limits=(-runs="$runs" -seed="$seed" -max_total_time="${seconds:-600}")
  budget="$runs runs, seed $seed"
else
  limits=(-max_total_time="${seconds:=60}")
  budget="$seconds s"
fi
[[ -n $work ]] || work=$build/work
[[ -n $targets ]] || targets=$(sed -n 's/^ppko_fuzz_target(\([a-z_]*\).*/\1/p' tests/fuzz/CMakeLists.txt | paste -sd, -)
command -v clang++ >/dev/null || { echo "fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

source .ci/configure
CC=clang CXX=clang++ ppko_configure "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPPKO_FUZZ=ON -DPPKO_SANITIZE=OFF \
  -DPPKO_BUILD_TESTS=OFF -DPPKO_BUILD_BENCH=OFF -DPPKO_WERROR=OFF
IFS=, read -r -a list <<< "$targets"
cmake --build "$build" -j2 --target "${list[@]/#/fuzz_}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
found=0
summary=()
for t in "${list[@]}"; do
  dir=$work/$t
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/findings"
  cp tests/fuzz/corpus/"$t"/* "$dir/corpus/"
  cp tests/fuzz/regressions/"$t"/* "$dir/corpus/" 2>/dev/null || true
  echo "fuzz: $t for $budget"
  rc=0
  "$build/tests/fuzz/fuzz_$t" "$dir/corpus" -dict=tests/fuzz/dict/"$t".dict "${limits[@]}" \
    -timeout=30 -rss_limit_mb=2048 -max_len=32768 -print_final_stats=1 -artifact_prefix="$dir/findings/" \
    >"$dir/log.txt" 2>&1 || rc=$?
  done_line=$(grep -E '^#[0-9]+ +DONE' "$dir/log.txt" | tail -1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log.txt" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log.txt" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' <<< "$done_line" || grep -oE 'cov: [0-9]+ ft: [0-9]+' "$dir/log.txt" | tail -1 || true)
  line="$t: ${runs:-?} runs, ${speed:-?} exec/s, ${cov:-no coverage line}, corpus $(ls "$dir/corpus" | wc -l) files"
  # A slow unit (over 10 s) depends on the machine's load: reported, not a failure; a timeout
  # (over 30 s for one input) is a hang and fails like a crash.
  slow=$(ls "$dir/findings" | grep '^slow-unit-' | head -3 | tr '\n' ' ' || true)
  [[ -z $slow ]] || line+=" (slow under this load: $slow— see stat::slowest_unit_time_sec)"
  if ((rc != 0)) || [[ -n $(ls "$dir/findings" | grep -v '^slow-unit-') ]]; then
    found=1
    line+=" — FINDING (exit $rc): $(ls "$dir/findings" | grep -v '^slow-unit-' | head -3 | tr '\n' ' ')"
    grep -E 'ERROR|runtime error|SUMMARY|terminate' "$dir/log.txt" | head -5 || true
  fi
  echo "  $line"
  summary+=("$line")
done
echo "fuzz summary ($budget per target):"
printf '  %s\n' "${summary[@]}"
exit $found
