#!/usr/bin/env bash
# Schema check: every rendered .docx and .xlsx against the ECMA-376 transitional and OPC schemas
# with the offline validator in the folder `shared` beside the project
# (shared/ooxml/validate-ooxml.sh, see its README). When that folder is absent, as on a clean
# clone of the project alone, the check is skipped: exit 77, which ctest shows as «Skipped»
# (SKIP_RETURN_CODE), never as «Passed» — unless --required is given (CI, where ../shared
# exists), when a missing validator fails the test.
#   check_ooxml.sh [--required] SHARED_OOXML_DIR OUT_ROOT
set -euo pipefail
required=0
if [[ ${1:-} == --required ]]; then
  required=1
  shift
fi
if [[ $# -ne 2 ]]; then
  echo "usage: check_ooxml.sh [--required] SHARED_OOXML_DIR OUT_ROOT" >&2
  exit 2
fi
validator=$1/validate-ooxml.sh
out_root=$2
if [[ ! -f $validator ]]; then
  if ((required)); then
    echo "FAIL: OOXML schema check required but $validator not found"
    exit 1
  fi
  echo "OOXML schema check skipped: ../shared/ooxml not found"
  exit 77
fi
shopt -s nullglob
files=("$out_root"/*/*.docx "$out_root"/*/*.xlsx "$out_root"/*/*/*.docx "$out_root"/*/*/*.xlsx)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "FAIL: no .docx or .xlsx under $out_root (did the readers_render fixture run?)"
  exit 1
fi
rc=0
bash "$validator" "${files[@]}" || rc=$?
if [[ $rc -ne 0 ]]; then
  echo "check_ooxml: validate-ooxml.sh exited with $rc"
  exit 1
fi
echo "check_ooxml: ${#files[@]} file(s) valid"
