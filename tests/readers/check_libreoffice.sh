#!/usr/bin/env bash
# Independent reader: LibreOffice converts every rendered .docx and .xlsx to PDF in ONE headless
# run (its start-up costs 10–20 s) with a private profile; each must give a non-empty PDF. With
# poppler-utils installed, pdfinfo must count at least one page and pdftotext must find the
# document's first words (DOCX: first line of the .txt dump; XLSX: the first table's first row).
#   check_libreoffice.sh OUT_ROOT      (works in ./lo-in, ./lo-pdf, ./lo-profile)
set -euo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: check_libreoffice.sh OUT_ROOT" >&2
  exit 2
fi
out_root=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
soffice=$(command -v soffice || command -v libreoffice || true)
[[ -n $soffice ]] || { echo "FAIL: soffice not found (bash .ci/setup test)"; exit 1; }

in=$PWD/lo-in
pdf=$PWD/lo-pdf
profile=$PWD/lo-profile
rm -rf "$in" "$pdf"
mkdir -p "$in" "$pdf"

# The roadmap exists as .docx and .xlsx with one stem; staged names keep their PDFs apart:
# <workspace>__<stem>__<ext>.<ext>  →  <workspace>__<stem>__<ext>.pdf
shopt -s nullglob
staged=()
for f in "$out_root"/*/*.docx "$out_root"/*/*.xlsx "$out_root"/*/*/*.docx; do
  rel=${f#"$out_root/"}
  ws=$(dirname "$rel")
  ws=${ws//\//+}  # per-school documents live one folder deeper: «smolensk+makety-programm»
  base=$(basename "$f")
  ext=${base##*.}
  name="${ws}__${base%.*}__${ext}.${ext}"
  cp "$f" "$in/$name"
  staged+=("$in/$name")
done
if [[ ${#staged[@]} -eq 0 ]]; then
  echo "FAIL: no .docx or .xlsx under $out_root (did the readers_render fixture run?)"
  exit 1
fi

echo "soffice: converting ${#staged[@]} file(s)"
rc=0
timeout 300 "$soffice" -env:UserInstallation="file://$profile" --headless --norestore \
  --convert-to pdf --outdir "$pdf" "${staged[@]}" >"$PWD/lo.log" 2>&1 || rc=$?
cat "$PWD/lo.log"
if [[ $rc -ne 0 ]]; then
  echo "FAIL: soffice exited with $rc$([[ $rc -eq 124 ]] && echo ' (timeout 300 s)')"
  exit 1
fi

failures=0
fail() { echo "FAIL $1"; failures=$((failures + 1)); }
have_poppler=0
command -v pdfinfo >/dev/null && command -v pdftotext >/dev/null && have_poppler=1
[[ $have_poppler -eq 1 ]] || echo "note: poppler-utils not installed; checking size and %PDF header only"

for f in "${staged[@]}"; do
  base=$(basename "$f")
  out="$pdf/${base%.*}.pdf"
  if [[ ! -s $out ]]; then
    fail "$base: no PDF (or an empty one)"
    continue
  fi
  if [[ $(head -c 5 "$out") != "%PDF-" ]]; then
    fail "$base: $(basename "$out") does not start with %PDF-"
    continue
  fi
  if [[ $have_poppler -eq 1 ]]; then
    pages=$(pdfinfo "$out" 2>/dev/null | awk '/^Pages:/ {print $2}')
    if [[ -z $pages || $pages -lt 1 ]]; then
      fail "$base: pdfinfo finds no pages"
      continue
    fi
    pdftotext -layout "$out" "${out%.pdf}.txt"
  fi
  echo "ok   $base → $(basename "$out") (${pages:-?} page(s), $(stat -c %s "$out") bytes)"
done

if [[ $have_poppler -eq 1 ]]; then
  here_py=$here /usr/bin/python3 - "$out_root" "$pdf" <<'EOF' || failures=$((failures + 1))
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, os.environ["here_py"])
from readers_common import Failures, dump_tables

out_root, pdf = Path(sys.argv[1]), Path(sys.argv[2])


def squeeze(s):
    return re.sub(r"\s+", " ", s).strip()


f = Failures()
files = 0
for text_path in sorted(pdf.glob("*.txt")):
    ws, stem, ext = text_path.stem.rsplit("__", 2)
    dump = (out_root / ws.replace("+", "/") / f"{stem}.txt").read_text(encoding="utf-8")
    if ext == "docx":
        first = next((l for l in dump.split("\n") if l.strip()), "")
        words = " ".join(first.split()[:3])
    else:
        tables = dump_tables(dump)
        if not tables:
            continue
        cells = tables[0]["lines"][0].lstrip("|*").split(" | ")
        words = " ".join(cells[0].strip(" |").split()[:3])
    if not words:
        continue
    files += 1
    f.check(squeeze(words) in squeeze(text_path.read_text(encoding="utf-8", errors="replace")),
            text_path.name, f"LibreOffice's PDF lacks the document's first words {words!r}")
f.finish("check_libreoffice (pdftotext)", files)
EOF
fi

if [[ $failures -ne 0 ]]; then
  echo "check_libreoffice: $failures failure(s)"
  exit 1
fi
echo "check_libreoffice: ${#staged[@]} file(s) OK"
