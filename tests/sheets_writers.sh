#!/usr/bin/env bash
# The spreadsheet readers against today's writers: regenerates the fixtures of sheets_test with
# the installed LibreOffice and openpyxl (tests/data/sheets/make_fixtures.py) into a scratch
# folder and runs sheets_test's writer cases on them.
#   sheets_writers.sh SHEETS_TEST PYTHON MAKE_FIXTURES
set -euo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: sheets_writers.sh SHEETS_TEST PYTHON MAKE_FIXTURES" >&2
  exit 2
fi
test_bin=$1 python=$2 script=$3
out=$PWD/sheets-fixtures
rm -rf "$out"
mkdir -p "$out"
"$python" "$script" "$out"
PPKO_SHEETS_FIXTURES=$out "$test_bin" --log_level=message \
  --run_test='sheets/results_*:sheets/bad_values_are_reported_with_sheet_and_cell'
