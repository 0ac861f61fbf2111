#!/usr/bin/python3
# Every rendered DOCX, read as XML: (1) body text carries no direct bold except where a template
# asks for it — the paragraphs listed in bold_allowed.json (the program's stage lines, <li bold>);
# a list item must not inherit its parent's bold, a clause must not be bold because its section
# title is; requisites are bold by their styles, not directly; (2) every «№» is followed
# by U+00A0 (or ends its paragraph), so «№» never stays alone at a line end.
#   /usr/bin/python3 check_typography.py OUT_ROOT      (OUT_ROOT: readers_out/)
import json
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from readers_common import Failures, workspaces

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Styles whose text is bold by the style itself (headings) or is table text (cells may be bold:
# <th>, <td bold>); other paragraphs must not be bold unless allowed.
NOT_CHECKED = {"PpkoCell", "PpkoDocType", "PpkoTitle", "PpkoHeading1", "PpkoHeading2", "PpkoHeading"}


def main():
    if len(sys.argv) != 2:
        print("usage: check_typography.py OUT_ROOT", file=sys.stderr)
        return 2
    allowed = json.loads((Path(__file__).parent / "bold_allowed.json").read_text(encoding="utf-8"))["allowed"]
    patterns = [(a["style"], re.compile(a["text"])) for a in allowed]
    f = Failures()
    files = 0
    numero = 0
    for name, folder in workspaces(sys.argv[1]):
        for docx in sorted(folder.rglob("*.docx")):
            files += 1
            where = f"{name}/{docx.relative_to(folder)}"
            body = ET.fromstring(zipfile.ZipFile(docx).read("word/document.xml")).find(W + "body")
            for p in body.iter(W + "p"):
                style_el = p.find(W + "pPr/" + W + "pStyle")
                style = style_el.get(W + "val") if style_el is not None else ""
                text = "".join(t.text or "" for t in p.iter(W + "t"))
                for m in re.finditer("№", text):
                    numero += 1
                    after = text[m.end():m.end() + 1]
                    f.check(after in ("\u00a0", "№", ""), where,
                            f"«№» followed by {after!r}, not U+00A0: «{text[max(0, m.start() - 30):m.end() + 20]}»")
                if style in NOT_CHECKED:
                    continue
                bold = any(r.find(W + "rPr/" + W + "b") is not None and "".join(t.text or "" for t in r.iter(W + "t")).strip()
                           for r in p.findall(W + "r"))
                if bold:
                    f.check(any(s == style and rx.search(text) for s, rx in patterns), where,
                            f"direct bold in a {style} paragraph no template asks for: «{text[:80]}»")
    f.check(numero > 0, "check_typography", "no «№» in any document: the check checked nothing")
    f.finish("check_typography", files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
