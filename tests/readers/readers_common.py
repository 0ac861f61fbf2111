# Helpers shared by the independent-reader checks (tests/readers/check_*.py): finding the files
# that render_samples.sh wrote, reading a workspace's JSON, and parsing ppko's --text-plain dump
# (format: engine/document/text_dump.cpp). Run with /usr/bin/python3 (Debian's python3-docx and
# python3-openpyxl live there).
import difflib
import json
import re
import sys
from pathlib import Path

TABLE_OPEN = re.compile(r"^\[таблица (\d+)×(\d+)\]$")
TABLE_ANYWHERE = re.compile(r"\[таблица \d+×\d+\]")
REPLACEMENT = "\ufffd"


def typeset_equivalent(text):
    """Text with the differences ppko's typography pass makes (engine/document/typography.h)
    taken out, so that data can be found verbatim up to typography: U+00A0 is a space, U+2060
    is nothing, «ё» is «е», every dash or hyphen is «-» with no spaces around it, «№» and «§»
    have no space after them."""
    text = text.replace("\u00a0", " ").replace("\u2060", "").replace("ё", "е").replace("Ё", "Е")
    text = re.sub(r" *[-\u2010\u2011\u2013\u2014] *", "-", text)
    return re.sub(r"([№§]) *", r"\1", text)


class Failures:
    """Collects failures so one run reports every problem, then exits 1 if there was any."""

    def __init__(self):
        self.count = 0

    def fail(self, where, message):
        self.count += 1
        print(f"FAIL {where}: {message}", flush=True)

    def check(self, condition, where, message):
        if not condition:
            self.fail(where, message)
        return condition

    def finish(self, what, files):
        if files == 0:
            self.fail(what, "no files were checked (did the readers_render fixture run?)")
        if self.count:
            print(f"{what}: {self.count} failure(s) in {files} file(s)")
            sys.exit(1)
        print(f"{what}: {files} file(s) OK")


def workspaces(out_root):
    """The rendered workspaces: (name, folder) for each subfolder of out_root, sorted."""
    root = Path(out_root)
    if not root.is_dir():
        print(f"FAIL: {root} does not exist (did the readers_render fixture run?)")
        sys.exit(1)
    return [(d.name, d) for d in sorted(root.iterdir()) if d.is_dir() and not d.name.startswith(".")]


def source_dir(out_folder):
    """The workspace folder a rendered folder came from (render_samples.sh writes SOURCE)."""
    return Path((Path(out_folder) / "SOURCE").read_text(encoding="utf-8").strip())


def load_json(folder, name):
    path = Path(folder) / name
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def documents_by_template(workspace_folder):
    """template name → list of output file stems, from workspace.json."""
    ws = load_json(workspace_folder, "workspace.json") or {}
    result = {}
    for d in ws.get("documents", []):
        result.setdefault(d["template"], []).append(d["file"])
    return result


def sanitized(s):
    """What ppko makes of a data value (text::append_sanitized): CR LF and CR become LF; C0
    controls other than TAB and LF, DEL, C1 controls, U+FFFE and U+FFFF become U+FFFD."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in s:
        c = ord(ch)
        if ch in "\t\n":
            out.append(ch)
        elif c < 0x20 or 0x7F <= c < 0xA0 or c in (0xFFFE, 0xFFFF):
            out.append(REPLACEMENT)
        else:
            out.append(ch)
    return "".join(out)


def dump_tables(text):
    """Top-level tables of a text dump, in order: list of dicts with rows, cols and lines (the
    row lines exactly as written, e.g. "|* № п/п | Мероприятие |")."""
    lines = text.split("\n")
    tables = []
    i = 0
    while i < len(lines):
        m = TABLE_OPEN.match(lines[i])
        # A table starts a block: it is the first line or follows the blank separator line.
        if m and (i == 0 or lines[i - 1] == ""):
            rows, cols = int(m.group(1)), int(m.group(2))
            body = lines[i + 1:i + 1 + rows]
            closing = lines[i + 1 + rows] if i + 1 + rows < len(lines) else None
            if closing == "[/таблица]" and all(l.startswith("|") for l in body):
                tables.append({"rows": rows, "cols": cols, "lines": body})
                i += rows + 2
                continue
        i += 1
    return tables


def unified_diff(expected, actual, expected_name, actual_name, limit=200):
    diff = list(difflib.unified_diff(expected.splitlines(keepends=True),
                                     actual.splitlines(keepends=True),
                                     fromfile=expected_name, tofile=actual_name, n=2))
    shown = "".join(diff[:limit])
    if len(diff) > limit:
        shown += f"... ({len(diff) - limit} more diff lines)\n"
    return shown


def hostile_values(workspace_folder):
    """The hostile strings planted in tests/data/hostile, as ppko should show them (sanitized):
    list of (label, value, docx_templates, xlsx_templates) — the templates whose outputs must
    contain the value (the order carries every appendix, so it contains them all)."""
    values = []
    order = load_json(workspace_folder, "order.json")
    if order:
        values.append(("order.title", order["title"], ["order"], []))
        for k, item in enumerate(order["items"]):
            values.append((f"order.items[{k}]", item, ["order"], []))
    roadmap = load_json(workspace_folder, "roadmap.json")
    if roadmap:
        for key in ("activity", "term", "responsible"):
            values.append((f"roadmap.rows[0].{key}", roadmap["rows"][0][key],
                           ["roadmap", "order"], ["roadmap"]))
    centre = load_json(workspace_folder, "centre.json")
    if centre:
        values.append(("centre.staff[0].name", centre["staff"][0]["name"],
                       ["staff_list", "order"], ["staff_list"]))
        for key in ("workplace", "position"):
            values.append((f"centre.staff[1].{key}", centre["staff"][1][key],
                           ["staff_list", "order"], ["staff_list"]))
    return [(label, sanitized(v), d, x) for label, v, d, x in values]
