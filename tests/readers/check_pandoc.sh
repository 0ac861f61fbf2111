#!/usr/bin/env bash
# Independent reader: pandoc's DOCX reader must read every rendered .docx without error, find as
# many tables (nested ones included) as ppko's .txt dump shows, and — for the demidovsky and
# hostile workspaces — show every roadmap activity (roadmap.json) and every staff name
# (centre.json) in its text.
#   check_pandoc.sh OUT_ROOT      (writes pandoc's JSON into ./pandoc-json/)
set -euo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: check_pandoc.sh OUT_ROOT" >&2
  exit 2
fi
out_root=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v pandoc >/dev/null || { echo "FAIL: pandoc not found (bash .ci/setup test)"; exit 1; }

work=$PWD/pandoc-json
rm -rf "$work"
mkdir -p "$work"
failures=0
count=0
shopt -s nullglob
for docx in "$out_root"/*/*.docx "$out_root"/*/*/*.docx; do
  ws=$(basename "$(dirname "$docx")")
  stem=$(basename "$docx" .docx)
  mkdir -p "$work/$ws"
  rc=0
  pandoc -f docx -t json -o "$work/$ws/$stem.json" "$docx" 2>"$work/$ws/$stem.stderr" || rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "FAIL $ws/$stem.docx: pandoc exited with $rc"
    cat "$work/$ws/$stem.stderr"
    failures=$((failures + 1))
  elif [[ -s $work/$ws/$stem.stderr ]]; then
    echo "note $ws/$stem.docx: pandoc said:"
    cat "$work/$ws/$stem.stderr"
  fi
  count=$((count + 1))
done
if [[ $count -eq 0 ]]; then
  echo "FAIL: no .docx under $out_root (did the readers_render fixture run?)"
  exit 1
fi
echo "pandoc read $count file(s), $failures failure(s)"

here_py=$here /usr/bin/python3 - "$out_root" "$work" <<'EOF' || failures=$((failures + 1))
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, os.environ["here_py"])
from readers_common import (TABLE_ANYWHERE, Failures, documents_by_template, load_json, sanitized,
                            source_dir, typeset_equivalent, workspaces)

out_root, work = Path(sys.argv[1]), Path(sys.argv[2])


def walk(node, tables, text):
    """Counts Table nodes and collects the text of a pandoc AST (Str, spaces, breaks)."""
    if isinstance(node, dict):
        t = node.get("t")
        if t == "Table":
            tables[0] += 1
        if t == "Str":
            text.append(node["c"])
            return
        if t in ("Space", "SoftBreak", "LineBreak"):
            text.append(" ")
            return
        if t in ("Para", "Plain", "Header"):
            text.append("\n")
        for v in node.values():
            walk(v, tables, text)
    elif isinstance(node, list):
        for v in node:
            walk(v, tables, text)


def squeeze(s):
    """Whitespace runs (pandoc turns tabs and line breaks into spaces) as one space, up to
    typography (readers_common.typeset_equivalent)."""
    return typeset_equivalent(re.sub(r"\s+", " ", sanitized(s)).strip())


f = Failures()
files = 0
for name, folder in workspaces(out_root):
    src = source_dir(folder)
    by_template = documents_by_template(src)
    for txt in sorted(folder.glob("*.txt")):
        ast_path = work / name / (txt.stem + ".json")
        if not (folder / (txt.stem + ".docx")).exists() or not ast_path.exists():
            continue
        files += 1
        where = f"{name}/{txt.stem}.docx"
        with open(ast_path, encoding="utf-8") as fh:
            ast = json.load(fh)
        tables, text = [0], []
        walk(ast.get("blocks", []), tables, text)
        expected = len(TABLE_ANYWHERE.findall(txt.read_text(encoding="utf-8")))
        f.check(tables[0] == expected, where,
                f"pandoc finds {tables[0]} table(s), the .txt dump has {expected}")
        if name not in ("demidovsky", "hostile"):
            continue
        plain = squeeze("".join(text))
        roadmap = load_json(src, "roadmap.json")
        if roadmap and txt.stem in by_template.get("roadmap", []) + by_template.get("order", []):
            for k, row in enumerate(roadmap["rows"]):
                f.check(squeeze(row["activity"]) in plain, where,
                        f"roadmap row {k + 1} activity missing: {row['activity'][:120]!r}")
        centre = load_json(src, "centre.json")
        if centre and txt.stem in by_template.get("staff_list", []) + by_template.get("order", []):
            for k, person in enumerate(centre["staff"]):
                f.check(squeeze(person["name"]) in plain, where,
                        f"staff {k + 1} name missing: {person['name'][:120]!r}")
f.finish("check_pandoc", files)
EOF

if [[ $failures -ne 0 ]]; then
  echo "check_pandoc: FAILED"
  exit 1
fi
echo "check_pandoc: OK"
