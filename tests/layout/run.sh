#!/usr/bin/env bash
# Layout tests through PDF: renders every samples/*/ workspace and tests/data/mini with
# `ppko render --format docx,pdf --text` (the PDF pool of engine/pdf: LibreOffice with the
# Liberation fonts) into OUT_ROOT/<name>/, then check_layout.py reads each PDF's word boxes
# against its DOCX and the layout profile (see the header of check_layout.py).
#   run.sh PPKO SOURCE_DIR OUT_ROOT
set -euo pipefail
ppko=$1
src=$(cd "$2" && pwd)
out=$3
# Without LibreOffice or poppler-utils the test is skipped (exit 77), not passed: bash .ci/setup test.
command -v soffice >/dev/null || { echo "SKIP: LibreOffice (soffice) is not installed: bash .ci/setup test"; exit 77; }
command -v pdftotext >/dev/null || { echo "SKIP: poppler-utils (pdftotext) is not installed: bash .ci/setup test"; exit 77; }
rm -rf "$out"
mkdir -p "$out"
export PPKO_STATE_DIR=$out/.state  # documents never depend on a developer's own state
for ws in "$src"/samples/*/ "$src"/tests/data/mini/; do
  ws=${ws%/}
  [[ -f $ws/workspace.json ]] || continue  # samples/import: tables, not a workspace
  grep -q '"documents": \[\]' "$ws/workspace.json" && continue
  name=$(basename "$ws")
  echo "render $name (docx, pdf)"
  "$ppko" render "$ws" -o "$out/$name" --format docx,pdf --text --quiet
done
/usr/bin/python3 "$(dirname "$0")/check_layout.py" "$out" "$src/templates/profiles/gost-r-7.0.97-2016.json" "$src"
