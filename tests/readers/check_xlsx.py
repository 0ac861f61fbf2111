#!/usr/bin/python3
# Independent reader: openpyxl loads every rendered .xlsx. Each sheet must hold the matching
# top-level table of the document's --text-plain dump (the writer makes one sheet per table, in
# order): as many rows and columns (below at most 4 title rows: the stamp, the title, the caption,
# each one cell merged to the last column), leading header rows bold, frozen and repeated as
# print titles, cell texts equal to the dump's rows; and every sheet prints: a print area from A1
# over the whole table with every chart's anchor inside it, page numbers in the footer. The dump joins a cell's paragraphs with " ¶ " and shows line breaks as spaces,
# the XLSX cell joins paragraphs with a line break, so both sides compare with those as spaces.
#   /usr/bin/python3 check_xlsx.py OUT_ROOT      (OUT_ROOT: readers_out/, see render_samples.sh)
import re
import sys

import openpyxl
from openpyxl.utils import get_column_letter

from readers_common import (Failures, documents_by_template, dump_tables, load_json, source_dir,
                            workspaces)


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def merged_map(ws):
    """(row, col) → (min_row, min_col, max_row, max_col) for every cell inside a merged range."""
    result = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                result[(r, c)] = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
    return result


def row_line(ws, r, ncols, merged, header):
    """A sheet row written the way the dump writes a table row (line breaks as spaces)."""
    line = "|*" if header else "|"
    c = 1
    while c <= ncols:
        span = merged.get((r, c))
        if span and span[0] < r:
            text = "^"
        else:
            text = cell_text(ws.cell(row=r, column=c).value).replace("\n", " ")
        line += " " + text + " |"
        c = span[3] + 1 if span else c + 1
    return line


def frozen_row(ws):
    """The first unfrozen row (1 when nothing is frozen), or None for a column freeze."""
    fp = ws.freeze_panes
    if fp is None:
        return 1
    m = re.fullmatch(r"A(\d+)", fp)
    return int(m.group(1)) if m else None


def check_sheet(f, where, ws, table):
    rows, cols = table["rows"], table["cols"]
    lines = table["lines"]
    headers = 0
    while headers < len(lines) and lines[headers].startswith("|*"):
        headers += 1
    f.check(ws.max_column == cols, where, f"{ws.max_column} columns, the dump has {cols}")
    offset = ws.max_row - rows
    if not f.check(0 <= offset <= 4, where,
                   f"{ws.max_row} rows, the dump's table has {rows} (plus at most 4 title rows)"):
        return
    merged = merged_map(ws)
    for r in range(1, offset + 1):
        # A title row (stamp, title, caption): one text, in a cell merged to the last column.
        filled = [c for c in range(1, cols + 1) if cell_text(ws.cell(row=r, column=c).value) != ""]
        if not f.check(len(filled) == 1, where, f"title row {r} has {len(filled)} texts, expected one"):
            continue
        span = merged.get((r, filled[0]))
        f.check(cols == filled[0] or (span is not None and span[3] == cols), where,
                f"title row {r} is not merged to column {get_column_letter(cols)}")

    # Printing: the print area covers the table from A1 (and the charts), page numbers below.
    printed = ws.print_area or ""
    if isinstance(printed, (list, tuple)):  # openpyxl 3.0 reads it as a list of ranges
        printed = printed[0] if len(printed) == 1 else ",".join(printed)
    area = printed.split("!")[-1].replace("$", "")
    m = re.fullmatch(r"A1(?::([A-Z]+)(\d+))?", area)
    if f.check(m is not None, where, f"print area {ws.print_area!r}, expected A1:…"):
        last_col = m.group(1) or "A"
        last_row = int(m.group(2) or 1)
        f.check(last_col == get_column_letter(cols) and last_row >= ws.max_row, where,
                f"print area {area} does not cover the table A1:{get_column_letter(cols)}{ws.max_row}")
        for chart in ws._charts:
            anchor = chart.anchor
            ends = [anchor._from] + ([anchor.to] if getattr(anchor, "to", None) is not None else [])
            for point in ends:
                f.check(point.col < cols and point.row < last_row, where,
                        f"a chart reaches {get_column_letter(point.col + 1)}{point.row + 1}, outside the print area {area}")
    footer = ws.oddFooter.center.text if ws.oddFooter is not None else None
    f.check(footer == "&P", where, f"footer {footer!r}, expected the page number (&P)")

    # Header rows: frozen on screen, repeated when printed, bold.
    first_unfrozen = frozen_row(ws)
    if headers:
        f.check(first_unfrozen == offset + headers + 1, where,
                f"freeze panes {ws.freeze_panes!r}, expected A{offset + headers + 1} "
                f"({headers} header row(s))")
        titles = (ws.print_title_rows or "").replace("$", "")
        f.check(titles == f"{offset + 1}:{offset + headers}", where,
                f"print title rows {ws.print_title_rows!r}, expected {offset + 1}:{offset + headers}")
        for r in range(offset + 1, offset + headers + 1):
            for c in range(1, cols + 1):
                if (r, c) in merged and merged[(r, c)][:2] != (r, c):
                    continue
                cell = ws.cell(row=r, column=c)
                f.check(bool(cell.font and cell.font.b), where,
                        f"header cell {cell.coordinate} is not bold")
    xlsx_headers = (first_unfrozen or 1) - 1 - offset

    for k in range(rows):
        r = offset + 1 + k
        actual = row_line(ws, r, cols, merged, k < xlsx_headers)
        expected = lines[k].replace(" ¶ ", " ")
        f.check(actual == expected, where,
                f"row {r} differs from the dump:\n  dump: {expected[:600]}\n  xlsx: {actual[:600]}")


def main():
    if len(sys.argv) != 2:
        print("usage: check_xlsx.py OUT_ROOT", file=sys.stderr)
        return 2
    f = Failures()
    files = 0
    for name, folder in workspaces(sys.argv[1]):
        src = source_dir(folder)
        by_template = documents_by_template(src)
        for path in sorted(folder.rglob("*.xlsx")):
            files += 1
            where = f"{name}/{path.name}"
            try:
                wb = openpyxl.load_workbook(str(path))
            except Exception as e:  # openpyxl refuses the package
                f.fail(where, f"openpyxl cannot load it: {e!r}")
                continue
            txt = path.with_suffix(".txt")
            if not f.check(txt.exists(), where, f"{txt.name} missing"):
                continue
            tables = dump_tables(txt.read_bytes().decode("utf-8"))
            sheets = wb.worksheets
            if not tables:
                f.check(len(sheets) == 1 and sheets[0].max_row <= 1 and sheets[0]["A1"].value is None,
                        where, "the document has no table, expected one empty sheet")
                continue
            if not f.check(len(sheets) == len(tables), where,
                           f"{len(sheets)} sheet(s), the dump has {len(tables)} top-level table(s)"):
                continue
            for ws, table in zip(sheets, tables):
                check_sheet(f, f"{where} [{ws.title}]", ws, table)

            stem = path.stem
            roadmap = load_json(src, "roadmap.json")
            if roadmap and stem in by_template.get("roadmap", []):
                n = len(roadmap["rows"]) + 1
                f.check(tables[0]["rows"] == n and n <= sheets[0].max_row <= n + 4, where,
                        f"roadmap sheet has {sheets[0].max_row} rows, expected {n} (+ title rows)")
                if name == "demidovsky":
                    f.check(n == 25, where, f"roadmap has {n - 1} rows, the seed has 24")
            centre = load_json(src, "centre.json")
            if centre and stem in by_template.get("staff_list", []):
                n = len(centre["staff"]) + 1
                f.check(tables[0]["rows"] == n and n <= sheets[0].max_row <= n + 4, where,
                        f"staff sheet has {sheets[0].max_row} rows, expected {n} (+ title rows)")
                if name == "demidovsky":
                    f.check(n == 8, where, f"staff list has {n - 1} people, the seed has 7")
    f.finish("check_xlsx", files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
