#!/usr/bin/python3
# Layout of every rendered document as printed: the PDF that `ppko render --format docx,pdf` made
# (LibreOffice, Liberation fonts), read with pdftotext's word boxes, against the DOCX it came from
# and the layout profile. For each document:
#   - page numbers: none on page 1, the page's number centred in the top margin from page 2;
#   - no «№» ends a line;
#   - requisites where the profile puts them: the appendix stamp and «УТВЕРЖДАЮ»/«УТВЕРЖДЕН…» at
#     stamp_indent_mm / approval_indent_mm from the left margin, «СОГЛАСОВАНО» at
#     agreement_indent_mm, the blank's heading, the document kind, date and number and place of
#     issue centred (as heading_align etc. say), the signature's name at the right margin;
#   - tables: every cell's words are found whole in its column (none broken inside a word; a
#     break after a hyphen or dash is a line break, not a broken word), and every row's words are
#     on one page (rows do not split), unless the row is longer than a page could hold;
#   - per document kind (the template, from manifest.json and the workspace's workspace.json): the
#     requisites the kind carries (KINDS, as README's «Реквизиты по видам документов» lists them)
#     are in the DOCX with their requisite styles, in the order GOST puts them, and each one's
#     first line is found in the PDF where the profile puts it: the heading, kind, date and place
#     centred on page 1, «УТВЕРЖДАЮ» at approval_indent_mm, every «СОГЛАСОВАНО» at
#     agreement_indent_mm, the signature's first line at the left margin, set off from the text.
#   check_layout.py OUT_ROOT PROFILE_JSON SOURCE_DIR   (OUT_ROOT: one folder per workspace, see run.sh)
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
X = "{http://www.w3.org/1999/xhtml}"
PT_PER_MM = 72 / 25.4
TOL = 3.0  # points: where a requisite may be off its place (glyph side bearings, rounding)


class Failures:
    def __init__(self):
        self.count = 0

    def check(self, ok, where, message):
        if not ok:
            self.count += 1
            print(f"FAIL {where}: {message}", flush=True)
        return ok


def words_of(text):
    """Words as pdftotext sees them: split at spaces (U+00A0 too); U+2060 has no glyph."""
    return [w for w in re.split(r"[\s\u00a0]+", text.replace("\u2060", "")) if w]


def pdf_words(pdf):
    """[(page, xMin, yMin, xMax, yMax, text)] in pdftotext's order, pages from 1."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout
    root = ET.fromstring(out)
    words = []
    for p, page in enumerate(root.iter(X + "page"), start=1):
        for w in page.iter(X + "word"):
            words.append((p, float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
                          float(w.get("yMax")), w.text or ""))
    return words


def pdf_lines(pdf):
    """[(page, xMin, yMin, xMax, [words])] of pdftotext's layout lines."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    root = ET.fromstring(out)
    lines = []
    for p, page in enumerate(root.iter(X + "page"), start=1):
        for line in page.iter(X + "line"):
            words = [w.text or "" for w in line.iter(X + "word")]
            lines.append((p, float(line.get("xMin")), float(line.get("yMin")), float(line.get("xMax")), words))
    return lines


def paragraph_text(p):
    parts = []
    for node in p.iter():
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append("\t")
        elif node.tag in (W + "br", W + "cr"):
            parts.append("\n")
    return "".join(parts)


def docx_tables(docx):
    """Top-level tables: {"grid": [twips], "rows": [[(first column, span, text or None)]]}; None for
    a cell that continues a vertical merge."""
    with zipfile.ZipFile(docx) as z:
        body = ET.fromstring(z.read("word/document.xml")).find(W + "body")
    tables = []
    for tbl in body.findall(W + "tbl"):
        grid = [int(g.get(W + "w")) for g in tbl.find(W + "tblGrid").findall(W + "gridCol")]
        rows = []
        for tr in tbl.findall(W + "tr"):
            cells, col = [], 0
            for tc in tr.findall(W + "tc"):
                pr = tc.find(W + "tcPr")
                span_el = pr.find(W + "gridSpan") if pr is not None else None
                span = int(span_el.get(W + "val")) if span_el is not None else 1
                vmerge = pr.find(W + "vMerge") if pr is not None else None
                continued = vmerge is not None and vmerge.get(W + "val") != "restart"
                text = "\n".join(paragraph_text(p) for p in tc.findall(W + "p"))
                cells.append((col, span, None if continued else text))
                col += span
            rows.append(cells)
        tables.append({"grid": grid, "rows": rows})
    return tables


def match_words(f, where, label, candidates, wanted, j, first_limit):
    """Matches `wanted` in order in `candidates` from index j: the first word within
    `first_limit` candidates, each next one within 8 (a word the other columns' rows do not
    push far). A word found in pieces on consecutive lines is broken — fine after a hyphen or a
    dash, reported otherwise. Returns the matched candidates, or None when a word is missing."""
    matched = []
    for k, word in enumerate(wanted):
        limit = j + (first_limit if k == 0 else 8)
        found = False
        while j < len(candidates) and j < limit:
            got = candidates[j][5]
            if got == word:
                matched.append(candidates[j])
                j += 1
                found = True
                break
            if len(got) < len(word) and word.startswith(got):
                joined, m = got, j + 1
                while m < len(candidates) and len(joined) < len(word):
                    joined += candidates[m][5]
                    m += 1
                if joined == word:
                    f.check(got[-1] in "-–—/", where,
                            f"{label}: the word «{word}» is broken inside («{got}» | «{word[len(got):]}»)")
                    matched.extend(candidates[j:m])
                    j = m
                    found = True
                    break
            j += 1
        if not found:
            return None
    return matched


def check_tables(f, where, docx, words, profile):
    left = profile["margin_left_mm"] * PT_PER_MM
    top = profile["margin_top_mm"] * PT_PER_MM - 2
    body = [w for w in words if w[2] >= top]  # page numbers live in the top margin
    order = lambda w: (w[0], w[2], w[1])
    cursor = (1, -1.0)  # (page, yMin): what the next row's words must come after
    for t, table in enumerate(docx_tables(docx)):
        edges = [left]
        for g in table["grid"]:
            edges.append(edges[-1] + g / 20)
        for r, row in enumerate(table["rows"]):
            cells = []
            for col, span, text in row:
                if not text or not words_of(text):
                    continue
                x0, x1 = edges[col] - 2, edges[min(col + span, len(edges) - 1)] + 2
                column = sorted((w for w in body if x0 <= w[1] and w[3] <= x1), key=order)
                cells.append((words_of(text), column, text))
            if not cells:
                continue
            label = f"table {t + 1}, row {r + 1}"
            # Where the row starts: an occurrence of its first word after the cursor (anywhere for
            # a table's first row, else among the next 60 in its column) from which every cell's
            # words follow, starting on that page within 40 pt.
            first_words, first_column, first_text = cells[0]
            after = [i for i, w in enumerate(first_column) if (w[0], w[2]) > cursor]
            starts = [i for i in after if first_column[i][5] == first_words[0] or first_words[0].startswith(first_column[i][5])]
            if r > 0:
                starts = [i for i in starts if after and i < after[0] + 60]
            row_words = None
            for i in starts:
                anchor = first_column[i]
                row_cursor = (anchor[0], anchor[2] - 1)
                found = []
                for wanted, column, text in cells:
                    j = next((k for k, w in enumerate(column) if (w[0], w[2]) > row_cursor), len(column))
                    m = match_words(Failures(), where, label, column, wanted, j, 8)
                    if m is None or m[0][0] != anchor[0] or abs(m[0][2] - anchor[2]) > 40:
                        found = None
                        break
                    found.append((m, wanted, column, j))
                if found is not None:
                    # Match again, now reporting broken words.
                    row_words = []
                    for m, wanted, column, j in found:
                        row_words.extend(match_words(f, where, label, column, wanted, j, 8))
                    break
            if not f.check(row_words is not None, where, f"{label}: «{first_text[:60]}» … not found where the row should be"):
                continue
            size = sum(len(c[0]) for c in cells)
            pages = sorted({w[0] for w in row_words})
            f.check(len(pages) == 1 or size > 400, where,
                    f"{label} is split across pages {pages}: «{' '.join(w[5] for w in row_words)[:80]}»")
            last = max(pages)
            cursor = (last, max(w[2] for w in row_words if w[0] == last))


def check_page_numbers(f, where, words, pages, profile):
    width = profile["page_width_mm"] * PT_PER_MM
    left = profile["margin_left_mm"] * PT_PER_MM
    right = width - profile["margin_right_mm"] * PT_PER_MM
    top = profile["margin_top_mm"] * PT_PER_MM - 2
    for p in range(1, pages + 1):
        head = [w for w in words if w[0] == p and w[2] < top]
        if p == 1 and not profile.get("page_number_on_first_page", False):
            f.check(not head, where, f"page 1 has «{' '.join(w[5] for w in head)}» in the top margin, expected no number")
            continue
        ok = len(head) == 1 and head[0][5] == str(p) and abs((head[0][1] + head[0][3]) / 2 - (left + right) / 2) < 10
        f.check(ok, where, f"page {p}: top margin has «{' '.join(w[5] for w in head)}», expected the number {p} centred")


def check_requisites(f, where, lines, signature_names, profile):
    width = profile["page_width_mm"] * PT_PER_MM
    left = profile["margin_left_mm"] * PT_PER_MM
    right = width - profile["margin_right_mm"] * PT_PER_MM
    centre = (left + right) / 2
    stamp_x = left + profile["stamp_indent_mm"] * PT_PER_MM
    approval_x = left + profile.get("approval_indent_mm", 100) * PT_PER_MM
    agreement_x = left + profile.get("agreement_indent_mm", 0) * PT_PER_MM
    for page, x0, y0, x1, words in lines:
        if not words:
            continue
        text = " ".join(words)
        f.check(words[-1] != "№", where, f"page {page}: a line ends with «№»: «{text[-60:]}»")
        if re.match(r"Приложение №( \d+)?$", text) and y0 < 120:
            f.check(abs(x0 - stamp_x) < TOL, where, f"page {page}: the appendix stamp starts at {x0:.1f} pt, the profile puts it at {stamp_x:.1f}")
        if words[0] in ("УТВЕРЖДАЮ", "УТВЕРЖДЕН", "УТВЕРЖДЕНА", "УТВЕРЖДЕНО", "УТВЕРЖДЕНЫ") and len(words) == 1:
            f.check(abs(x0 - approval_x) < TOL, where, f"page {page}: «{words[0]}» starts at {x0:.1f} pt, the profile puts it at {approval_x:.1f}")
        if text == "СОГЛАСОВАНО":
            f.check(abs(x0 - agreement_x) < TOL, where, f"page {page}: «СОГЛАСОВАНО» starts at {x0:.1f} pt, the profile puts it at {agreement_x:.1f}")
        in_stamp = x0 > stamp_x - TOL or x0 > approval_x - TOL
        if re.match(r"от (\d\d\.\d\d\.\d{4}|\[не указано: дата\]) № \S+$", text) and not in_stamp and profile.get("date_number_align", "center") == "center":
            f.check(abs((x0 + x1) / 2 - centre) < TOL, where, f"page {page}: «{text}» is not centred")
        if text in ("ПРИКАЗ", "ПОЛОЖЕНИЕ", "РЕШЕНИЕ", "ОТЧЕТ", "ОТЧЁТ", "ПРОГРАММА", "ПЛАН-ГРАФИК", "ЭКСПЕРТНОЕ ЗАКЛЮЧЕНИЕ",
                    "МУНИЦИПАЛЬНАЯ ПРОГРАММА"):
            f.check(abs((x0 + x1) / 2 - centre) < TOL, where, f"page {page}: the document kind «{text}» is not centred")
        if re.match(r"г\. \S+$", text) and profile.get("place_align", "center") == "center":
            f.check(abs((x0 + x1) / 2 - centre) < TOL, where, f"page {page}: the place of issue «{text}» is not centred")
        for name in signature_names:
            if text.endswith(name):
                f.check(abs(x1 - right) < TOL, where, f"page {page}: the signature «{name}» ends at {x1:.1f} pt, not at the right margin {right:.1f}")


# The requisites of each document kind (template), in the order they stand: the DOCX style of each
# (engine/docx/styles_part.cpp) and how many paragraphs of it at least. Kinds not listed fail the
# check, so a new kind must say which requisites it carries.
HEADING, DOC_TYPE, DATE_NUMBER, PLACE, TITLE = "PpkoHeading", "PpkoDocType", "PpkoDateNumber", "PpkoPlace", "PpkoTitle"
APPROVAL, AGREEMENT, SIGNATURE, STAMP = "PpkoApproval", "PpkoAgreement", "PpkoSignature", "PpkoStamp"
ORDER = [HEADING, DOC_TYPE, DATE_NUMBER, PLACE, TITLE, SIGNATURE]
KINDS = {
    "order": ORDER,
    "partnership_order": ORDER,
    "council_decision": ORDER + [SIGNATURE],  # chair and secretary
    "expert_conclusion": [DOC_TYPE, DATE_NUMBER, TITLE, SIGNATURE],
    "annual_report": [APPROVAL] + ORDER,
    "cycle_report": ORDER,
    "cycle_plan": [APPROVAL, HEADING, DOC_TYPE, TITLE, SIGNATURE],
    "partnership_plan": [HEADING, DOC_TYPE, TITLE, AGREEMENT],  # and one per party: see check_kind
    "program_skeleton": [APPROVAL, HEADING, DOC_TYPE, TITLE],
    "staff_duties": [APPROVAL, HEADING, TITLE],
    "program": [STAMP, DOC_TYPE, TITLE],
    "regulation": [STAMP, DOC_TYPE, TITLE],
    "roadmap": [STAMP, TITLE],
    "staff_list": [STAMP, TITLE],
}
CENTRED = {HEADING, DOC_TYPE, DATE_NUMBER, PLACE, TITLE}


def docx_requisites(docx):
    """[(style, text)] of the DOCX's top-level requisite paragraphs in document order; a signature
    is one entry (its paragraphs are consecutive PpkoSignature paragraphs, its first line first)."""
    with zipfile.ZipFile(docx) as z:
        body = ET.fromstring(z.read("word/document.xml")).find(W + "body")
    out, previous, open_signature = [], None, False
    for p in body.findall(W + "p"):
        style_el = p.find(W + "pPr/" + W + "pStyle")
        style = style_el.get(W + "val") if style_el is not None else ""
        text = paragraph_text(p)
        if not words_of(text):
            continue
        continues = style == previous and (style == STAMP or (style == SIGNATURE and open_signature))
        if style in KIND_STYLES and not continues:
            out.append((style, text))
        open_signature = style == SIGNATURE and "\t" not in text  # a signature ends with its name's line
        previous = style
    return out


KIND_STYLES = {HEADING, DOC_TYPE, DATE_NUMBER, PLACE, TITLE, APPROVAL, AGREEMENT, SIGNATURE, STAMP}


def check_kind(f, where, kind, docx, lines, profile):
    """The kind's requisites (KINDS) are in the DOCX in order and in the PDF where the profile
    puts them (see the header)."""
    wanted = KINDS.get(kind)
    if not f.check(wanted is not None, where, f"the document kind «{kind}» has no requisite list in check_layout.py KINDS"):
        return
    got = docx_requisites(docx)
    # The wanted styles must appear as a subsequence of the DOCX's requisites (in this order).
    i = 0
    for style, _ in got:
        if i < len(wanted) and style == wanted[i]:
            i += 1
    f.check(i == len(wanted), where, f"{kind}: requisites {wanted[i:]} missing or out of order; the DOCX has {[s for s, _ in got]}")
    if kind == "partnership_plan":
        # A «СОГЛАСОВАНО» block per party: the school and each partner (a section of its own).
        with zipfile.ZipFile(docx) as z:
            body = ET.fromstring(z.read("word/document.xml")).find(W + "body")
        partners = sum(1 for p in body.findall(W + "p") if re.match(r"\d+\. Взаимодействие с партн[её]ром", paragraph_text(p)))
        agreements = sum(1 for s, _ in got if s == AGREEMENT)
        f.check(agreements == 1 + partners, where, f"{kind}: {agreements} «СОГЛАСОВАНО» block(s) for the school and {partners} partner(s)")
    width = profile["page_width_mm"] * PT_PER_MM
    left = profile["margin_left_mm"] * PT_PER_MM
    right = width - profile["margin_right_mm"] * PT_PER_MM
    positions = {APPROVAL: left + profile.get("approval_indent_mm", 100) * PT_PER_MM,
                 AGREEMENT: left + profile.get("agreement_indent_mm", 0) * PT_PER_MM,
                 STAMP: left + profile["stamp_indent_mm"] * PT_PER_MM,
                 SIGNATURE: left}
    lines = sorted(lines, key=lambda l: (l[0], l[2], l[1]))
    cursor = (0, -1.0)
    firsts = set()
    for style, text in got:
        first = words_of(re.split("[\n\t]", text)[0])[:3]
        found = next((l for l in lines if (l[0], l[2]) > cursor and l[4][:len(first)] == first), None)
        label = f"{kind}: {style[4:]} «{' '.join(first)}…»"
        if not f.check(found is not None, where, f"{label} is not in the PDF after the requisite before it"):
            continue
        page, x0, y0, x1, _ = found
        cursor = (page, y0)
        if style in CENTRED:
            # A heading line of the blank may be the first of several; each line is centred.
            f.check(abs((x0 + x1) / 2 - (left + right) / 2) < TOL, where, f"{label} on page {page} is not centred")
        elif style in positions:
            f.check(abs(x0 - positions[style]) < TOL, where,
                    f"{label} on page {page} starts at {x0:.1f} pt, the profile puts it at {positions[style]:.1f}")
        if style == SIGNATURE:
            # Set off from the text above it (the style's space before), not directly under it.
            above = [l for l in lines if l[0] == page and l[2] < y0 - 1 and l[2] >= profile["margin_top_mm"] * PT_PER_MM - 2]
            gap = y0 - max(l[2] for l in above) if above else None
            f.check(gap is None or gap > 2.5 * profile["font_size_pt"], where,
                    f"{label} on page {page} stands {gap} pt under the line above it, directly under the text")
        if style in (HEADING, DOC_TYPE, DATE_NUMBER, PLACE, APPROVAL) and style not in firsts:
            f.check(page == 1, where, f"{label} is on page {page}, not on page 1")
        firsts.add(style)


def kinds_of(root, source):
    """{pdf path: template} from each workspace's manifest.json and workspace.json."""
    out = {}
    for manifest in root.glob("*/manifest.json"):
        name = manifest.parent.name
        ws = source / "samples" / name / "workspace.json"
        if not ws.exists():
            ws = source / "tests" / "data" / name / "workspace.json"
        templates = {d["id"]: d["template"] for d in json.loads(ws.read_text(encoding="utf-8"))["documents"]}
        for entry in json.loads(manifest.read_text(encoding="utf-8"))["files"]:
            if entry["format"] == "pdf":
                out[manifest.parent / entry["path"]] = templates[entry["document"]]
    return out


def main():
    if len(sys.argv) != 4:
        print("usage: check_layout.py OUT_ROOT PROFILE_JSON SOURCE_DIR", file=sys.stderr)
        return 2
    root = Path(sys.argv[1])
    profile = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    kinds = kinds_of(root, Path(sys.argv[3]))
    seen_kinds = set()
    f = Failures()
    checked = 0
    for pdf in sorted(root.rglob("*.pdf")):
        docx = pdf.with_suffix(".docx")
        txt = pdf.with_suffix(".txt")
        where = str(pdf.relative_to(root))
        if not f.check(docx.exists() and txt.exists(), where, "the .docx or .txt beside it is missing"):
            continue
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        words = pdf_words(pdf)
        lines = pdf_lines(pdf)
        names = [" ".join(words_of(l[1:])) for l in txt.read_text(encoding="utf-8").split("\n")
                 if l.startswith("\t") and l.strip()]
        check_page_numbers(f, where, words, pages, profile)
        check_requisites(f, where, lines, names, profile)
        check_tables(f, where, docx, words, profile)
        if f.check(pdf in kinds, where, "not listed in its folder's manifest.json"):
            check_kind(f, where, kinds[pdf], docx, lines, profile)
            seen_kinds.add(kinds[pdf])
        checked += 1
    if checked == 0:
        print("FAIL: no PDF to check (did run.sh render with --format pdf?)")
        return 1
    # Every kind with a requisite list was rendered and checked (a sample dropping one fails here).
    f.check(seen_kinds == set(KINDS), "check_layout", f"kinds never rendered: {sorted(set(KINDS) - seen_kinds)}")
    if f.count:
        print(f"check_layout: {f.count} failure(s) in {checked} PDF(s)")
        return 1
    print(f"check_layout: {checked} PDF(s) of {len(seen_kinds)} kinds OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
