#!/usr/bin/python3
# The hostile workspace (tests/data/hostile) through independent readers: every planted value
# (markup characters, quotes, «», tabs, line breaks, control characters, a 5,000-character name,
# emoji, mixed scripts, template-like text) must come out verbatim — control characters as
# U+FFFD, tabs and line breaks kept — in ppko's .txt dump, in python-docx's paragraph text and in
# openpyxl's cells; document titles must reach the package properties.
#   /usr/bin/python3 check_hostile.py OUT_ROOT/hostile
import sys
from pathlib import Path

import docx
import openpyxl

from check_docx import all_paragraph_texts
from readers_common import (REPLACEMENT, Failures, documents_by_template, hostile_values, load_json,
                            typeset_equivalent,
                            sanitized, source_dir)


def without_controls(s):
    """s without U+FFFD and control characters (C0 but TAB/LF, DEL, C1)."""
    return "".join(ch for ch in s if not (
        ch == REPLACEMENT or (ord(ch) < 0x20 and ch not in "\t\n") or 0x7F <= ord(ch) < 0xA0))


def main():
    if len(sys.argv) != 2:
        print("usage: check_hostile.py OUT_ROOT/hostile", file=sys.stderr)
        return 2
    folder = Path(sys.argv[1])
    f = Failures()
    if not (folder / "SOURCE").exists():
        f.fail(str(folder), "not rendered (did the readers_render fixture run?)")
        f.finish("check_hostile", 0)
    src = source_dir(folder)
    by_template = documents_by_template(src)
    values = hostile_values(src)
    f.check(len(values) >= 10, str(src), f"only {len(values)} hostile values found in the data")
    name = next((v for label, v, _, _ in values if label == "centre.staff[0].name"), "")
    f.check(len(name) == 5000, "centre.json", f"staff[0].name has {len(name)} characters, not 5000")
    for needle in ("<", ">", "&", '"', "'", "«", "»", "\t", "\n", REPLACEMENT, "🙂",
                   "{{ order.number }}", "{% for %}", "<p>", "</w:t>"):
        f.check(any(needle in v for _, v, _, _ in values), str(src),
                f"no hostile value contains {needle!r}")

    docx_text, txt_text, xlsx_cells = {}, {}, {}
    files = 0

    def stems(templates):
        return [s for t in templates for s in by_template.get(t, [])]

    for stem in sorted({s for _, _, d, _ in values for s in stems(d)}):
        path = folder / f"{stem}.docx"
        if not f.check(path.exists(), stem, f"{path.name} missing"):
            continue
        files += 1
        document = docx.Document(str(path))
        docx_text[stem] = all_paragraph_texts(document)
        txt_text[stem] = (folder / f"{stem}.txt").read_bytes().decode("utf-8")
    for stem in sorted({s for _, _, _, x in values for s in stems(x)}):
        path = folder / f"{stem}.xlsx"
        if not f.check(path.exists(), stem, f"{path.name} missing"):
            continue
        files += 1
        wb = openpyxl.load_workbook(str(path))
        xlsx_cells[stem] = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
                            if isinstance(c.value, str)]

    # Verbatim up to typography (NBSP, dashes, «ё»: see typeset_equivalent): no value may add
    # or lose anything else.
    eq = typeset_equivalent
    txt_text = {k: eq(v) for k, v in txt_text.items()}
    docx_text = {k: [eq(p) for p in v] for k, v in docx_text.items()}
    xlsx_cells = {k: [eq(c) for c in v] for k, v in xlsx_cells.items()}
    for label, raw, docx_templates, xlsx_templates in values:
        value = eq(raw)
        # Table cells show line breaks as spaces in the dump.
        in_table = bool(xlsx_templates)
        dumped = value.replace("\n", " ") if in_table else value
        for stem in stems(docx_templates):
            if stem not in docx_text:
                continue
            f.check(dumped in txt_text[stem], f"{stem}.txt", f"{label} not verbatim: {raw[:200]!r}")
            f.check(any(value in p for p in docx_text[stem]), f"{stem}.docx (python-docx)",
                    f"{label} not verbatim in any paragraph: {raw[:200]!r}")
        for stem in stems(xlsx_templates):
            if stem not in xlsx_cells:
                continue
            f.check(any(value in c for c in xlsx_cells[stem]), f"{stem}.xlsx (openpyxl)",
                    f"{label} not verbatim in any cell: {raw[:200]!r}")

    # Titles from workspace.json reach docProps/core.xml of every file.
    ws = load_json(src, "workspace.json")
    for d in ws["documents"]:
        title = sanitized(d.get("title", ""))
        for fmt in d["formats"]:
            path = folder / f"{d['file']}.{fmt}"
            if not path.exists():
                continue
            if fmt == "docx":
                got = docx.Document(str(path)).core_properties.title
                f.check(got == title, path.name,
                        f"core title {got!r}, expected {title!r}")
            else:
                got = openpyxl.load_workbook(str(path)).properties.title
                f.check(got == title, path.name, f"workbook title {got!r}, expected {title!r}")
    f.finish("check_hostile", files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
