#!/usr/bin/python3
# Independent reader: python-docx opens every rendered .docx and the body is turned back into
# ppko's --text-plain dump (engine/document/text_dump.cpp) from the XML in document order; the
# result must equal the .txt ppko wrote, byte for byte. Also checks the roadmap and staff tables
# (rows = data rows + 1 header row marked w:tblHeader).
#   /usr/bin/python3 check_docx.py OUT_ROOT      (OUT_ROOT: readers_out/, see render_samples.sh)
import sys

import docx
from docx.oxml.ns import qn

from readers_common import (Failures, documents_by_template, load_json, source_dir,
                            unified_diff, workspaces)

W_P, W_TBL, W_TR, W_TC, W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_HYPERLINK, W_SDT, W_SDTCONTENT = qn("w:hyperlink"), qn("w:sdt"), qn("w:sdtContent")
W_TYPE, W_VAL = qn("w:type"), qn("w:val")
SIGNATURE_STYLE = "PpkoSignature"


def runs(p):
    """The w:r elements of a paragraph, in order (also inside hyperlinks and content controls)."""
    for child in p:
        if child.tag == W_R:
            yield child
        elif child.tag in (W_HYPERLINK, W_SDT, W_SDTCONTENT):
            yield from runs(child)


def is_page_break(p):
    """A paragraph whose only content is <w:br w:type="page"/>."""
    content = [e for r in runs(p) for e in r if e.tag != qn("w:rPr")]
    return len(content) == 1 and content[0].tag == W_BR and content[0].get(W_TYPE) == "page"


def pieces(p):
    """The paragraph's text as a list of strings; each w:tab is its own "\t" piece (so the
    signature's separating tab can be found)."""
    out = []
    for r in runs(p):
        for e in r:
            if e.tag == W_T:
                out.append(e.text or "")
            elif e.tag == W_TAB:
                out.append("\t")
            elif e.tag == W_CR or (e.tag == W_BR and e.get(W_TYPE) in (None, "textWrapping")):
                out.append("\n")
    return out


def style_id(p):
    ppr = p.pPr
    return ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None


def paragraph_text(p):
    parts = pieces(p)
    if style_id(p) == SIGNATURE_STYLE and "\t" in parts:
        # Signature: position lines joined by w:br, a w:tab, the name. The dump writes each
        # position line followed by "\n", then "\t" and the name.
        k = len(parts) - 1 - parts[::-1].index("\t")
        before = "".join(parts[:k])
        return (before + "\n" if before else "") + "\t" + "".join(parts[k + 1:])
    return "".join(parts)


def vmerge_continue(tc):
    tcpr = tc.tcPr
    if tcpr is None:
        return False
    vm = tcpr.find(qn("w:vMerge"))
    return vm is not None and vm.get(W_VAL) in (None, "continue")


def is_empty_paragraph(e):
    return e.tag == W_P and not "".join(pieces(e))


def cell_text(tc):
    if vmerge_continue(tc):
        return "^"
    blocks = [e for e in tc if e.tag in (W_P, W_TBL)]
    # The writer closes a cell that ends with a table with an empty paragraph (Word requires
    # one); it is not in the document model.
    if len(blocks) >= 2 and blocks[-2].tag == W_TBL and is_empty_paragraph(blocks[-1]):
        blocks.pop()
    text = " ¶ ".join(block_text(b) for b in blocks if not (b.tag == W_P and is_page_break(b)))
    return text.replace("\n", " ")


def table_text(tbl):
    rows = tbl.findall(W_TR)
    grid = tbl.find(qn("w:tblGrid"))
    cols = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
    out = [f"[таблица {len(rows)}×{cols}]"]
    for tr in rows:
        trpr = tr.trPr
        header = trpr is not None and trpr.find(qn("w:tblHeader")) is not None
        line = "|*" if header else "|"
        for tc in tr.findall(W_TC):
            line += " " + cell_text(tc) + " |"
        out.append(line)
    out.append("[/таблица]")
    return "\n".join(out)


def block_text(e):
    if e.tag == W_TBL:
        return table_text(e)
    if is_page_break(e):
        return "[разрыв страницы]"
    return paragraph_text(e)


def document_text(document):
    """The --text-plain dump re-created from a python-docx Document."""
    body = document.element.body
    blocks = [block_text(e) for e in body if e.tag in (W_P, W_TBL)]
    return "\n\n".join(blocks) + "\n"


def all_paragraph_texts(document):
    """Every paragraph's text (tabs and line breaks kept), body and table cells, in order."""
    return [paragraph_text(p) for p in document.element.body.iter(W_P)]


def top_tables(document):
    return [e for e in document.element.body if e.tag == W_TBL]


def check_data_table(f, where, document, expected_rows, label):
    tables = top_tables(document)
    if not f.check(len(tables) == 1, where, f"{label}: expected 1 table, found {len(tables)}"):
        return
    rows = tables[0].findall(W_TR)
    f.check(len(rows) == expected_rows + 1, where,
            f"{label} table: {len(rows)} rows, expected {expected_rows} + 1 header")
    for k, tr in enumerate(rows):
        header = tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
        f.check(header == (k == 0), where,
                f"{label} table row {k + 1}: w:tblHeader {'present' if header else 'missing'}")


def main():
    if len(sys.argv) != 2:
        print("usage: check_docx.py OUT_ROOT", file=sys.stderr)
        return 2
    f = Failures()
    files = 0
    for name, folder in workspaces(sys.argv[1]):
        src = source_dir(folder)
        by_template = documents_by_template(src)
        for path in sorted(folder.rglob("*.docx")):
            files += 1
            where = f"{name}/{path.name}"
            try:
                document = docx.Document(str(path))
            except Exception as e:  # python-docx refuses the package
                f.fail(where, f"python-docx cannot open it: {e!r}")
                continue
            txt = path.with_suffix(".txt")
            if f.check(txt.exists(), where, f"{txt.name} missing"):
                expected = txt.read_bytes().decode("utf-8")
                actual = document_text(document)
                if actual != expected:
                    f.fail(where, "text read by python-docx differs from the .txt dump:\n" +
                           unified_diff(expected, actual, txt.name, path.name + " (python-docx)"))
            stem = path.stem
            roadmap = load_json(src, "roadmap.json")
            if roadmap and stem in by_template.get("roadmap", []):
                n = len(roadmap["rows"])
                if name == "demidovsky":
                    f.check(n == 24, where, f"roadmap.json has {n} rows, the seed has 24")
                check_data_table(f, where, document, n, "roadmap")
            centre = load_json(src, "centre.json")
            if centre and stem in by_template.get("staff_list", []):
                n = len(centre["staff"])
                if name == "demidovsky":
                    f.check(n == 7, where, f"centre.json has {n} staff, the seed has 7")
                check_data_table(f, where, document, n, "staff")
    f.finish("check_docx", files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
